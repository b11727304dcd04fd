//! MSH0005 duplicate-resource: One input defines a resource twice.
//!
//! The one check of validate that reads across documents: each file's
//! checker records what it defined ([`Defined`], small: no tree, no spec),
//! and [`find`] goes over the records of every file in input order once,
//! with a hash map, when the run's files are collected.
//!
//! Definitions are compared within a folder: a repository often keeps one
//! folder per cluster or environment (or a kustomize base beside its
//! overlays), each applied on its own, as `kubectl apply -f DIR` reads one
//! folder.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::Path;
use std::sync::Arc;

use crate::loader::{Pos, SourceFile};
use crate::model::{FileModel, Object, split_api_version};
use crate::report::{Diagnostic, Example, Level, Origin, Rule};

pub static RULE: Rule = Rule {
    code: "MSH0005",
    name: "duplicate-resource",
    level: Level::Error,
    summary: "Two resources of one input have the same group, kind, namespace and name.",
    kinds: &["*"],
    explanation: "The API server holds one object per group, kind, namespace and name. `kubectl apply` of an input that defines one twice leaves only the last definition, whatever the first said, while tools that take the first (or merge the two) see another configuration: one of the two is lost without a word. The finding is at the name of each later definition and names the first. The version does not tell two objects apart: a VirtualService at `networking.istio.io/v1` and one at `v1beta1` with the same namespace and name are one object. Definitions are compared within one folder (and stdin), the unit `kubectl apply -f DIR` applies: folders of a repository often hold one cluster's or environment's version of the same resources each. Rename one of them, or merge them into one.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews}\n---\napiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  tcp:\n  - route:\n    - destination: {host: reviews}\n",
        fires_at: &["metadata.name"],
    },
};

/// What one file defined, in order: the check's only state, kept small
/// (a resource costs its identity in one allocation and its position), as
/// it lives for the whole run, a million resources of one file included.
#[derive(Debug, Default)]
pub struct Definitions {
    /// The file; `None` until a definition is read from it.
    source: Option<Arc<SourceFile>>,
    defined: Vec<Defined>,
}

#[derive(Debug)]
struct Defined {
    /// Group, kind, namespace (empty for cluster-scoped kinds) and name,
    /// each ended by [`END`].
    identity: Box<str>,
    at: DefinedAt,
}

/// Ends each part of an identity. A NUL in a name or namespace (which
/// other checks refuse) is replaced, so parts never run together.
const END: char = '\0';

/// Where a definition's name is.
#[derive(Debug)]
enum DefinedAt {
    /// Located as it was read, while its tree was at hand.
    Name(Pos),
    /// An object of the file's kept model, located only if it is a
    /// duplicate (a document taken over from an earlier run has no tree,
    /// and reading it again for every object would undo the saving).
    KeptObject(usize),
}

impl Definitions {
    /// Records a named object read from `source`, located at its name now.
    pub fn read(&mut self, source: &Arc<SourceFile>, object: &Object) {
        self.source.get_or_insert_with(|| source.clone());
        let at = DefinedAt::Name(object.locate_value("metadata.name"));
        self.record(object, at);
    }

    /// Records a named object of the file's kept model, by its index there.
    pub fn kept(&mut self, source: &Arc<SourceFile>, object: &Object, index: usize) {
        self.source.get_or_insert_with(|| source.clone());
        self.record(object, DefinedAt::KeptObject(index));
    }

    /// The file's text was let go and `new` reads it back: keeping the
    /// old one would keep the text.
    pub fn moved_to(&mut self, new: &Arc<SourceFile>) {
        if self.source.is_some() {
            self.source = Some(new.clone());
        }
    }

    /// Frees the room a growing list keeps for more.
    pub fn shrink_to_fit(&mut self) {
        self.defined.shrink_to_fit();
    }

    fn record(&mut self, object: &Object, at: DefinedAt) {
        if object.name.is_empty() {
            // Left out or generated: other findings say so, and the API
            // server names it.
            return;
        }
        let (group, _version) = split_api_version(&object.api_version);
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let mut identity = String::new();
        for part in [group, &object.kind, namespace, &object.name] {
            identity.extend(part.chars().map(|c| if c == END { '\u{fffd}' } else { c }));
            identity.push(END);
        }
        self.defined.push(Defined {
            identity: identity.into_boxed_str(),
            at,
        });
    }

    /// The folder of the file, as the file was named.
    fn folder(&self) -> &str {
        self.source
            .as_ref()
            .and_then(|f| Path::new(&f.name).parent())
            .and_then(Path::to_str)
            .unwrap_or_default()
    }

    fn place(
        &self,
        defined: &Defined,
        model: Option<&FileModel>,
    ) -> Option<(Arc<SourceFile>, Pos)> {
        match defined.at {
            DefinedAt::Name(pos) => Some((self.source.clone()?, pos)),
            DefinedAt::KeptObject(index) => {
                let object = model?.objects.get(index)?;
                Some((object.file()?.clone(), object.locate_value("metadata.name")))
            }
        }
    }
}

impl Defined {
    /// The resource as findings name it.
    fn origin(&self) -> Origin {
        let mut parts = self.identity.split(END);
        let mut next = || parts.next().unwrap_or_default().to_string();
        let _group = next();
        let kind = next();
        let namespace = Some(next()).filter(|n| !n.is_empty());
        Origin {
            kind,
            namespace,
            name: next(),
        }
    }
}

/// One file's definitions, with its kept model (if any).
pub struct FileDefinitions<'a> {
    pub definitions: &'a Definitions,
    pub model: Option<&'a FileModel>,
}

/// The findings about every definition after the first of one resource,
/// per file (in the order of `files`), unsorted within a file.
pub fn find(files: &[FileDefinitions]) -> Vec<Vec<Diagnostic>> {
    let mut first: HashMap<(&str, &str), (&FileDefinitions, &Defined)> = HashMap::new();
    let mut found = vec![Vec::new(); files.len()];
    for (file_index, file) in files.iter().enumerate() {
        let folder = file.definitions.folder();
        for defined in &file.definitions.defined {
            match first.entry((folder, &defined.identity)) {
                Entry::Vacant(slot) => {
                    slot.insert((file, defined));
                }
                Entry::Occupied(earlier) => {
                    let (earlier_file, earlier) = *earlier.get();
                    found[file_index].extend(finding((file, defined), (earlier_file, earlier)));
                }
            }
        }
    }
    found
}

fn finding(
    (file, later): (&FileDefinitions, &Defined),
    (first_file, first): (&FileDefinitions, &Defined),
) -> Option<Diagnostic> {
    let (source, pos) = file.definitions.place(later, file.model)?;
    let first_place = first_file
        .definitions
        .place(first, first_file.model)
        .map(|(file, pos)| format!(" at {}:{}:{}", file.name, pos.line, pos.column))
        .unwrap_or_default();
    let origin = later.origin();
    let message = format!(
        "{origin} is defined a second time: the first definition is{first_place}, and `kubectl apply` keeps only the last"
    );
    Some(
        Diagnostic::new(&RULE, message)
            .at(&source, pos, "metadata.name")
            .origin(Some(origin)),
    )
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod cases {
    use crate::validate::test_support::{findings_of, run_files};

    fn duplicates(yaml: &str) -> String {
        findings_of(&super::RULE, yaml)
    }

    const ROUTE: &str = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews}\n";

    #[test]
    fn every_later_definition_names_the_first() {
        let three = format!("{ROUTE}---\n{ROUTE}---\n{ROUTE}");
        let found = duplicates(&three);
        assert_eq!(found.lines().count(), 2, "{found}");
        assert!(found.contains("MSH0005 12:18 metadata.name"), "{found}");
        assert!(found.contains("MSH0005 21:18 metadata.name"), "{found}");
        assert!(
            found
                .lines()
                .all(|l| l.contains("the first definition is at test.yaml:3:18")),
            "{found}"
        );
    }

    #[test]
    fn group_kind_namespace_and_name_make_the_identity() {
        let other_namespace = ROUTE.replace("namespace: shop", "namespace: store");
        let other_kind = ROUTE.replace("kind: VirtualService", "kind: DestinationRule");
        let other_group = ROUTE.replace("networking.istio.io/v1", "example.com/v1");
        for other in [other_namespace, other_kind, other_group] {
            assert_eq!(duplicates(&format!("{ROUTE}---\n{other}")), "", "{other}");
        }
        // The default namespace is the one given: an object that names
        // none is the same as one that names it.
        let defaulted = ROUTE.replace(", namespace: shop", "");
        let explicit = ROUTE.replace("namespace: shop", "namespace: default");
        assert_ne!(duplicates(&format!("{defaulted}---\n{explicit}")), "");
    }

    #[test]
    fn kubernetes_kinds_and_list_items_count_too() {
        let service = "apiVersion: v1\nkind: Service\nmetadata: {name: reviews}\nspec:\n  ports: [{port: 80}]\n";
        let list = format!(
            "apiVersion: v1\nkind: List\nitems:\n- {}",
            service.trim_end().replace('\n', "\n  ")
        );
        let found = duplicates(&format!("{service}---\n{list}\n"));
        assert!(
            found.contains("Service default/reviews is defined a second time"),
            "{found}"
        );
    }

    #[test]
    fn definitions_in_other_folders_are_other_clusters() {
        let run = |names: [&str; 2]| {
            let files = names.map(|name| (name, ROUTE));
            run_files(&files)
                .iter()
                .filter(|d| d.code() == "MSH0005")
                .count()
        };
        assert_eq!(
            run(["envs/prod/routes.yaml", "envs/staging/routes.yaml"]),
            0
        );
        assert_eq!(run(["envs/prod/routes.yaml", "envs/prod/more.yaml"]), 1);
    }

    #[test]
    fn an_unnamed_resource_is_left_to_other_findings() {
        let unnamed = ROUTE.replace("name: reviews, ", "");
        assert_eq!(duplicates(&format!("{unnamed}---\n{unnamed}")), "");
    }
}
