//! Suppressions, as istioctl has them: `--suppress 'CODE=Kind ns/name'`
//! (also istioctl's `Kind name.namespace`; `*` is a wildcard anywhere) and the
//! `galley.istio.io/analyze-suppress: CODE,CODE` annotation (`*` for every
//! code) on the resource itself. A suppression that suppresses nothing is
//! reported, so suppressions do not outlive the problem they hid.

use std::collections::HashMap;
use std::sync::Arc;

use crate::loader::{Pos, SourceFile, quoted};
use crate::model::Object;
use crate::report::{Diagnostic, Example, Level, Origin, Rule};

/// The annotation istioctl reads.
pub const ANNOTATION: &str = "galley.istio.io/analyze-suppress";

pub static UNUSED_SUPPRESSION: Rule = Rule {
    code: "MSH9001",
    name: "unused-suppression",
    level: Level::Warning,
    summary: "A suppression that no longer suppresses anything.",
    kinds: &["*"],
    explanation: "A `--suppress` flag (or a `suppress` entry of `.meshctl.yaml`) or a \
        `galley.istio.io/analyze-suppress` annotation hides findings of a code on a resource. An \
        unused flag is named as the finding's origin (`--suppress CODE=Kind ns/name`), an unused \
        file entry by its file and line. Once the problem is fixed, the suppression hides nothing, \
        but it would silently hide the problem if it came back. Remove the suppression (or the code \
        from the annotation).",
    example: Example {
        yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  annotations:\n    galley.istio.io/analyze-suppress: IST0118\nspec:\n  selector:\n    app: reviews\n  ports:\n  - name: http\n    port: 9080\n",
        fires_at: &["metadata.annotations[\"galley.istio.io/analyze-suppress\"]"],
    },
};

/// Characters of a suppression's text an origin shows whole.
const QUOTED_TEXT: usize = 80;

/// A `--suppress` flag, or a `suppress` entry of `.meshctl.yaml`, parsed.
#[derive(Debug, Clone)]
pub struct FlagSuppression {
    text: String,
    code: String,
    kind: String,
    /// Matched against `ns/name` when it has a `/`, else against istioctl's
    /// `name.namespace` (`name` for a cluster-scoped resource).
    resource: String,
    /// Where a configuration file declares it; `None` for a flag.
    declared: Option<Declared>,
}

/// A suppression's place in a configuration file.
#[derive(Debug, Clone)]
struct Declared {
    source: Arc<SourceFile>,
    pos: Pos,
    path: String,
}

impl FlagSuppression {
    /// Parses `CODE=Kind ns/name`, `CODE=Kind name.namespace` or `CODE=*`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (code, target) = text.split_once('=').ok_or_else(|| {
            format!(
                "--suppress {}: expected CODE=Kind ns/name, e.g. 'IST0102=Namespace default'",
                quoted(text)
            )
        })?;
        let target = target.trim();
        let (kind, resource) = match target.split_once(char::is_whitespace) {
            Some((kind, resource)) => (kind, resource.trim()),
            None if target == "*" => ("*", "*"),
            None => {
                return Err(format!(
                    "--suppress {}: the resource needs a kind and a name, e.g. 'Namespace default' or 'VirtualService *'",
                    quoted(text)
                ));
            }
        };
        Ok(FlagSuppression {
            text: text.to_string(),
            code: code.trim().to_string(),
            kind: kind.to_string(),
            resource: resource.to_string(),
            declared: None,
        })
    }

    /// The same suppression, declared at `path` (`suppress[0]`) of a
    /// configuration file rather than by a flag.
    pub fn declared_at(mut self, source: &Arc<SourceFile>, pos: Pos, path: String) -> Self {
        self.declared = Some(Declared {
            source: source.clone(),
            pos,
            path,
        });
        self
    }

    /// What an unused-suppression finding names as its origin: the flag as
    /// typed (`--suppress CODE=Kind ns/name`), or the file's `suppress`
    /// entry, whose file and line the finding also gives.
    fn origin(&self) -> Origin {
        let kind = if self.declared.is_some() {
            "suppress"
        } else {
            "--suppress"
        };
        let name = if self.text.chars().nth(QUOTED_TEXT).is_some() {
            quoted(&self.text)
        } else {
            self.text.clone()
        };
        Origin {
            kind: kind.into(),
            namespace: None,
            name,
        }
    }

    /// The finding that this suppression suppressed nothing.
    fn unused(&self) -> Diagnostic {
        let finding = Diagnostic::new(
            &UNUSED_SUPPRESSION,
            "this suppression matched no finding; remove it, or it will hide the problem if it comes back",
        )
        .origin(Some(self.origin()));
        match &self.declared {
            Some(at) => finding.at(&at.source, at.pos, at.path.clone()),
            None => finding,
        }
    }

    /// The code part (a glob when it has a `*`).
    pub fn code(&self) -> &str {
        &self.code
    }

    fn matches(&self, diagnostic: &Diagnostic) -> bool {
        let Some(origin) = &diagnostic.origin else {
            return false;
        };
        let name = match (&origin.namespace, self.resource.contains('/')) {
            (Some(ns), true) => format!("{ns}/{}", origin.name),
            (Some(ns), false) => format!("{}.{ns}", origin.name),
            (None, _) => origin.name.clone(),
        };
        glob(&self.code, diagnostic.rule.code)
            && glob(&self.kind, &origin.kind)
            && glob(&self.resource, &name)
    }
}

/// The codes an object's annotation suppresses, and whether each was used.
struct AnnotationSuppression<'a> {
    object: &'a Object,
    codes: Vec<(String, bool)>,
}

/// Drops the suppressed findings and reports every suppression that
/// suppressed none.
pub fn apply(
    diagnostics: Vec<Diagnostic>,
    flags: &[FlagSuppression],
    objects: &[Object],
) -> Vec<Diagnostic> {
    let mut annotated: HashMap<Origin, AnnotationSuppression> = objects
        .iter()
        .filter_map(|object| {
            let value = object.metadata().annotations.as_ref()?.get(ANNOTATION)?;
            let codes = value
                .split(',')
                .map(|c| (c.trim().to_string(), false))
                .filter(|(c, _)| !c.is_empty())
                .collect();
            Some((Origin::of(object), AnnotationSuppression { object, codes }))
        })
        .collect();
    let mut flag_used = vec![false; flags.len()];
    let mut kept = Vec::with_capacity(diagnostics.len());
    for diagnostic in diagnostics {
        let mut suppressed = false;
        for (flag, used) in flags.iter().zip(flag_used.iter_mut()) {
            if flag.matches(&diagnostic) {
                *used = true;
                suppressed = true;
            }
        }
        if let Some(annotation) = diagnostic
            .origin
            .as_ref()
            .and_then(|o| annotated.get_mut(o))
        {
            for (code, used) in &mut annotation.codes {
                if code == "*" || code.eq_ignore_ascii_case(diagnostic.rule.code) {
                    *used = true;
                    suppressed = true;
                }
            }
        }
        if !suppressed {
            kept.push(diagnostic);
        }
    }
    for (flag, _) in flags.iter().zip(flag_used).filter(|(_, used)| !used) {
        kept.push(flag.unused());
    }
    let path = format!("metadata.annotations[\"{ANNOTATION}\"]");
    let mut unused: Vec<_> = annotated.into_values().collect();
    unused.sort_by_key(|a| {
        let file = a.object.file().map(|f| f.name.clone());
        (file, a.object.tree().pos)
    });
    for annotation in unused {
        for (code, _) in annotation.codes.iter().filter(|(_, used)| !used) {
            let object = annotation.object;
            kept.push(
                Diagnostic::new(
                    &UNUSED_SUPPRESSION,
                    format!(
                        "{ANNOTATION} suppresses {code}, but the resource has no {code} finding"
                    ),
                )
                .about(object, object.locate_value(&path), path.clone()),
            );
        }
    }
    kept
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_stars_anywhere() {
        assert!(glob("*", ""));
        assert!(glob("IST01*", "IST0118"));
        assert!(glob("*.default", "reviews.default"));
        assert!(glob("a*b*c", "aXbYc"));
        assert!(!glob("a*b*c", "aXbY"));
        assert!(!glob("ab*ab", "ab"));
        assert!(glob("exact", "exact"));
        assert!(!glob("exact", "exactly"));
    }

    #[test]
    fn parses_both_resource_forms_and_refuses_the_rest() {
        assert!(FlagSuppression::parse("IST0102=Namespace default").is_ok());
        assert!(FlagSuppression::parse("IST0101=VirtualService default/*").is_ok());
        assert!(FlagSuppression::parse("IST0101=*").is_ok());
        assert!(FlagSuppression::parse("IST0101").is_err());
        assert!(FlagSuppression::parse("IST0101=VirtualService").is_err());
    }

    #[test]
    fn a_flag_matches_on_code_kind_and_name() {
        let rule = &UNUSED_SUPPRESSION;
        let diagnostic = Diagnostic::new(rule, "x").origin(Some(Origin {
            kind: "VirtualService".into(),
            namespace: Some("shop".into()),
            name: "reviews".into(),
        }));
        let hit = |s: &str| FlagSuppression::parse(s).unwrap().matches(&diagnostic);
        assert!(hit("MSH9001=VirtualService shop/reviews"));
        assert!(hit("MSH9001=VirtualService reviews.shop"));
        assert!(hit("MSH*=* *"));
        assert!(!hit("MSH9001=VirtualService other/reviews"));
        assert!(!hit("IST0101=VirtualService shop/reviews"));
        assert!(!hit("MSH9001=Gateway shop/reviews"));
    }
}
