//! Suppressions, as istioctl has them: `--suppress 'CODE=Kind ns/name'`
//! (also istioctl's `Kind name.namespace`; `*` is a wildcard anywhere) and the
//! `galley.istio.io/analyze-suppress: CODE,CODE` annotation (`*` for every
//! code) on the resource itself. A suppression that suppresses nothing is
//! reported, so suppressions do not outlive the problem they hid.

use std::collections::HashMap;

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
    explanation: "A `--suppress` flag or a `galley.istio.io/analyze-suppress` annotation hides \
        findings of a code on a resource. Once the problem is fixed, the suppression hides nothing, \
        but it would silently hide the problem if it came back. Remove the suppression (or the code \
        from the annotation).",
    example: Example {
        yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  annotations:\n    galley.istio.io/analyze-suppress: IST0118\nspec:\n  selector:\n    app: reviews\n  ports:\n  - name: http\n    port: 9080\n",
        fires_at: &["metadata.annotations[\"galley.istio.io/analyze-suppress\"]"],
    },
};

/// A `--suppress` flag, parsed.
#[derive(Debug, Clone)]
pub struct FlagSuppression {
    text: String,
    code: String,
    kind: String,
    /// Matched against `ns/name` when it has a `/`, else against istioctl's
    /// `name.namespace` (`name` for a cluster-scoped resource).
    resource: String,
}

impl FlagSuppression {
    /// Parses `CODE=Kind ns/name`, `CODE=Kind name.namespace` or `CODE=*`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (code, target) = text.split_once('=').ok_or_else(|| {
            format!(
                "--suppress {text:?}: expected CODE=Kind ns/name, e.g. 'IST0102=Namespace default'"
            )
        })?;
        let target = target.trim();
        let (kind, resource) = match target.split_once(char::is_whitespace) {
            Some((kind, resource)) => (kind, resource.trim()),
            None if target == "*" => ("*", "*"),
            None => {
                return Err(format!(
                    "--suppress {text:?}: the resource needs a kind and a name, e.g. 'Namespace default' or 'VirtualService *'"
                ));
            }
        };
        Ok(FlagSuppression {
            text: text.to_string(),
            code: code.trim().to_string(),
            kind: kind.to_string(),
            resource: resource.to_string(),
        })
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
        kept.push(Diagnostic::new(
            &UNUSED_SUPPRESSION,
            format!("--suppress {:?} matched no finding", flag.text),
        ));
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
