//! The one type every finding has, and the declaration every rule makes.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::loader::{Pos, SourceFile, with_long_values_cut};
use crate::model::{Mesh, Object};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "Info",
            Level::Warning => "Warning",
            Level::Error => "Error",
        }
    }

    /// SARIF's name for the level.
    pub fn sarif(self) -> &'static str {
        match self {
            Level::Info => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A documented example for a rule: input that fires it, and the field paths
/// it must fire at (a meta-test runs every example).
#[derive(Debug)]
pub struct Example {
    pub yaml: &'static str,
    pub fires_at: &'static [&'static str],
}

/// What a rule declares about itself. `meshctl explain`, the generated rule
/// docs and SARIF's rule table all come from here.
#[derive(Debug)]
pub struct Rule {
    /// `IST0101` for istioctl's codes, `MSH....` for meshctl's own.
    pub code: &'static str,
    /// kebab-case name, e.g. `unknown-field`.
    pub name: &'static str,
    pub level: Level,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// The kinds the rule reads (`*` for any document).
    pub kinds: &'static [&'static str],
    /// Markdown: why it matters and how to fix it.
    pub explanation: &'static str,
    pub example: Example,
}

/// Where meshctl's own rules are documented.
const MESHCTL_DOCS: &str = "https://github.com/meshctl/meshctl/blob/main/docs/rules.md";

impl Rule {
    /// A code borrowed from a mesh's own analyzer (istioctl's `IST0101`)
    /// links to that mesh's page for it; meshctl's own codes to docs/rules.md.
    pub fn documentation_url(&self) -> String {
        let borrowed = Mesh::ALL
            .into_iter()
            .filter_map(Mesh::diagnostic_codes)
            .find(|codes| self.code.starts_with(codes.prefix));
        match borrowed {
            Some(codes) => format!("{}{}/", codes.docs_url_base, self.code.to_ascii_lowercase()),
            None => format!("{MESHCTL_DOCS}#{}", self.anchor()),
        }
    }

    /// The rule's anchor in docs/rules.md (its `## CODE name` heading).
    pub fn anchor(&self) -> String {
        format!("{}-{}", self.code, self.name).to_ascii_lowercase()
    }
}

/// The resource a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl Origin {
    /// The origin of a finding about an object.
    pub fn of(object: &Object) -> Self {
        Origin {
            kind: object.kind.clone(),
            namespace: object.namespace.clone(),
            name: object.name.clone(),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, name) = (name_part(&self.kind), name_part(&self.name));
        match &self.namespace {
            Some(ns) => write!(f, "{kind} {}/{name}", name_part(ns)),
            None => write!(f, "{kind} {name}"),
        }
    }
}

/// Characters of a Kubernetes name, at most.
const NAME_CHARS: usize = 253;

/// A kind, namespace or name as findings name it: a longer one than any
/// Kubernetes name (refused, MSH1006) is cut, as it is shown with every
/// finding about its resource.
fn name_part(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(NAME_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => format!("{}... ({} bytes in all)", &text[..end], text.len()).into(),
    }
}

/// The exact place of the field at fault.
#[derive(Debug, Clone)]
pub struct Location {
    pub source: Arc<SourceFile>,
    pub pos: Pos,
    /// Field path within the resource, e.g. `spec.http[0].route[1].weight`;
    /// empty for a finding about a whole document.
    pub path: String,
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    /// The rule's level unless configuration overrides it.
    pub level: Level,
    pub message: String,
    pub origin: Option<Origin>,
    pub location: Option<Location>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding of `rule`. A value quoted in the message (or the help)
    /// longer than a line is cut: a megabyte-long host must not be printed
    /// whole, in any format.
    pub fn new(rule: &'static Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            level: rule.level,
            message: with_long_values_cut(message.into()),
            origin: None,
            location: None,
            help: None,
        }
    }

    pub fn at(mut self, source: &Arc<SourceFile>, pos: Pos, path: impl Into<String>) -> Self {
        self.location = Some(Location {
            source: source.clone(),
            pos,
            path: path.into(),
        });
        self
    }

    /// About the field at `path` of an object, found at `pos` in the
    /// object's file: the object is the origin. An object without a file (a
    /// cluster's, a made-up one) gives no location, so no file, line, column
    /// or path is reported (as CLI.md asks for cluster objects).
    pub fn about(self, object: &Object, pos: Pos, path: impl Into<String>) -> Self {
        let located = match object.file() {
            Some(file) => self.at(file, pos, path),
            None => self,
        };
        located.origin(Some(Origin::of(object)))
    }

    pub fn origin(mut self, origin: Option<Origin>) -> Self {
        self.origin = origin;
        self
    }

    pub fn help(mut self, help: Option<String>) -> Self {
        self.help = help.map(with_long_values_cut);
        self
    }

    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    /// Order within one file: position, then code.
    pub fn sort_key(&self) -> (Pos, &'static str) {
        (
            self.location.as_ref().map(|l| l.pos).unwrap_or_default(),
            self.rule.code,
        )
    }

    /// `routes.yaml:12`, istioctl's "reference": where the resource's
    /// finding is, for scripts that split it on the last `:`.
    pub fn reference(&self) -> Option<String> {
        let l = self.location.as_ref()?;
        Some(format!("{}:{}", l.source.name, l.pos.line))
    }
}
