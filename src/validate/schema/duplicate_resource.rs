//! MSH0005 duplicate-resource: One input defines a resource twice.
//!
//! The one check of validate that reads across documents: each file's
//! checker records what it defined ([`Definitions`]: per resource a keyed
//! hash of its identity and where it is, 40 bytes), and [`find`] sorts the
//! records of the run once. Only a duplicate is read again, for its name.
//!
//! Definitions are compared within a folder: a repository often keeps one
//! folder per cluster or environment (or a kustomize base beside its
//! overlays), each applied on its own, as `kubectl apply -f DIR` reads one
//! folder.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::loader::{Limits, MAX_DEPTH_CEILING, ParsedDocument, Pos, SourceFile, parse_documents};
use crate::model::{FileModel, Object, read_document, split_api_version};
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
/// as it lives for the whole run, a million resources of one file included.
#[derive(Debug, Default)]
pub struct Definitions {
    /// The file; `None` until a definition is read from it.
    source: Option<Arc<SourceFile>>,
    defined: Vec<Defined>,
}

#[derive(Debug)]
struct Defined {
    /// [`identity_hash`] of group, kind, namespace and name.
    identity: u64,
    at: DefinedAt,
}

/// Where a definition is.
#[derive(Debug)]
enum DefinedAt {
    /// Read from the file: its name's position, and the document it is in
    /// (its bytes, and its index among the document's objects, for a
    /// `List`'s items), read again only if it is a duplicate.
    Read {
        name: Pos,
        document: Range<usize>,
        object: usize,
    },
    /// An object of the file's kept model, by its index there (a document
    /// taken over from an earlier run: the model holds it anyway).
    KeptObject(usize),
}

/// The identity of a resource, hashed with a key of this run: 64 bits
/// tell a million resources apart but for a chance of about one in
/// 30 million, and the key keeps crafted names from colliding on purpose.
/// A duplicate is confirmed by its identity read again before it is
/// reported.
fn identity_hash(object: &Object) -> u64 {
    static KEY: OnceLock<RandomState> = OnceLock::new();
    KEY.get_or_init(RandomState::new).hash_one(identity(object))
}

fn identity(object: &Object) -> (&str, &str, Option<&str>, &str) {
    let (group, _version) = split_api_version(&object.api_version);
    (
        group,
        &object.kind,
        object.namespace.as_deref(),
        &object.name,
    )
}

impl Definitions {
    /// Records the named objects of one document read from `source`,
    /// located at their names now, while their trees are at hand.
    pub fn read(&mut self, source: &Arc<SourceFile>, document: Range<usize>, objects: &[Object]) {
        self.source.get_or_insert_with(|| source.clone());
        for (index, object) in objects.iter().enumerate().filter(|(_, o)| named(o)) {
            self.defined.push(Defined {
                identity: identity_hash(object),
                at: DefinedAt::Read {
                    name: object.locate_value("metadata.name"),
                    document: document.clone(),
                    object: index,
                },
            });
        }
    }

    /// Records a named object of the file's kept model, by its index there.
    pub fn kept(&mut self, source: &Arc<SourceFile>, object: &Object, index: usize) {
        self.source.get_or_insert_with(|| source.clone());
        if named(object) {
            self.defined.push(Defined {
                identity: identity_hash(object),
                at: DefinedAt::KeptObject(index),
            });
        }
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

    /// The folder of the file, as the file was named.
    fn folder(&self) -> &str {
        self.source
            .as_ref()
            .and_then(|f| Path::new(&f.name).parent())
            .and_then(Path::to_str)
            .unwrap_or_default()
    }
}

/// Left out or generated names: other findings say so, and the API server
/// names the object.
fn named(object: &Object) -> bool {
    !object.name.is_empty()
}

/// One file's definitions, with its kept model (if any) and the namespace
/// its objects that name none were given.
pub struct FileDefinitions<'a> {
    pub definitions: &'a Definitions,
    pub model: Option<&'a FileModel>,
    pub default_namespace: &'a str,
}

impl FileDefinitions<'_> {
    /// A definition's group and resource, and its name's place: read again
    /// from the file for a definition read from it.
    fn resolve(&self, defined: &Defined) -> Option<Resolved> {
        match &defined.at {
            DefinedAt::KeptObject(index) => {
                let object = self.model?.objects.get(*index)?;
                Some(Resolved::of(
                    object,
                    object.file()?.clone(),
                    object.locate_value("metadata.name"),
                ))
            }
            DefinedAt::Read {
                name,
                document,
                object,
            } => {
                let source = self.definitions.source.as_ref()?;
                let objects = read_again(source, document.clone(), self.default_namespace);
                Some(Resolved::of(objects.get(*object)?, source.clone(), *name))
            }
        }
    }
}

/// A definition read again: what it is and where its name is.
struct Resolved {
    group: String,
    origin: Origin,
    file: Arc<SourceFile>,
    name: Pos,
}

impl Resolved {
    fn of(object: &Object, file: Arc<SourceFile>, name: Pos) -> Self {
        Resolved {
            group: identity(object).0.to_string(),
            origin: Origin::of(object),
            file,
            name,
        }
    }

    fn same_resource(&self, other: &Resolved) -> bool {
        self.group == other.group && self.origin == other.origin
    }
}

/// The objects of the document at `span` of `source`, read again. It was
/// read once within the run's bounds, so none is needed now but the depth
/// the checks can walk.
fn read_again(source: &SourceFile, span: Range<usize>, default_namespace: &str) -> Vec<Object> {
    let text = source.slice(span).into_owned();
    let alone = Arc::new(SourceFile::new(source.name.clone(), text));
    let unbounded = Limits {
        max_file_bytes: u64::MAX,
        max_document_bytes: usize::MAX,
        max_depth: MAX_DEPTH_CEILING,
        max_alias_nodes: usize::MAX,
    };
    let mut model = FileModel::default();
    let documents: Vec<ParsedDocument> = parse_documents(&alone, &unbounded);
    for document in documents {
        read_document(&alone, document, default_namespace, &mut model);
    }
    model.objects
}

/// The findings about every definition after the first of one resource,
/// per file (in the order of `files`), unsorted within a file.
pub fn find(files: &[FileDefinitions]) -> Vec<Vec<Diagnostic>> {
    // (folder, identity, file, definition): sorted, a resource's
    // definitions stand together, the first first.
    let mut folders: HashMap<&str, usize> = HashMap::new();
    let mut all: Vec<(usize, u64, usize, usize)> = Vec::new();
    for (file_index, file) in files.iter().enumerate() {
        let next_id = folders.len();
        let folder_id = *folders.entry(file.definitions.folder()).or_insert(next_id);
        all.extend(
            file.definitions
                .defined
                .iter()
                .enumerate()
                .map(|(i, d)| (folder_id, d.identity, file_index, i)),
        );
    }
    all.sort_unstable();
    let mut found = vec![Vec::new(); files.len()];
    for group in all
        .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
        .filter(|g| g.len() > 1)
    {
        let resolve = |&(_, _, file, index): &(usize, u64, usize, usize)| {
            files[file]
                .resolve(&files[file].definitions.defined[index])
                .map(|r| (file, r))
        };
        let Some((_, first)) = resolve(&group[0]) else {
            continue;
        };
        for (file, later) in group[1..].iter().filter_map(resolve) {
            if later.same_resource(&first) {
                found[file].push(finding(&later, &first));
            }
        }
    }
    found
}

fn finding(later: &Resolved, first: &Resolved) -> Diagnostic {
    let message = format!(
        "{} is defined a second time: the first definition is at {}:{}:{}, and `kubectl apply` keeps only the last",
        later.origin, first.file.name, first.name.line, first.name.column
    );
    Diagnostic::new(&RULE, message)
        .at(&later.file, later.name, "metadata.name")
        .origin(Some(later.origin.clone()))
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
