//! Documents to objects: unwraps `List`s, reads the envelope, defaults the
//! namespace and deserializes the typed body.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;

use super::meta::ObjectMeta;

use super::de::{FieldProblem, FieldProblemKind, from_node, suggest};
use super::kind::{ApiGroup, KindSpec, Lookup, MeshKind, MeshSpec, is_cluster_scoped, lookup};
use super::kube::{KubeObject, read_kube_object};
use super::resource::Resource;
use super::schema_rules::SchemaRules;
use crate::loader::{
    Limits, LoadedFile, Node, ParsedDocument, Pos, ProblemKind, SourceFile, Value, parse_documents,
    reparse_document,
};

/// One resource, read from a document (or an item of a `List`), from a
/// cluster, or made up.
#[derive(Debug, Clone)]
pub struct Object {
    /// Where it came from.
    pub source: ObjectSource,
    /// The resource's own tree, for locating fields by path. Kept while the
    /// object is checked; once its typed content holds what later stages
    /// read, a file's object lets it go (see [`Object::release_tree`]) and
    /// reads it again from the source when a finding needs a position.
    tree: OnceLock<Box<Node>>,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// After defaulting; `None` for cluster-scoped kinds.
    pub namespace: Option<String>,
    /// Read on first use for kinds outside the mesh model (see
    /// [`Object::metadata`]); boxed, since a Kubernetes kind meshctl types
    /// has it in its typed object and leaves this empty.
    metadata: OnceLock<Box<ObjectMeta>>,
    pub body: Body,
    /// What the schema check found; checks do not run on an object with problems.
    pub problems: Vec<FieldProblem>,
    /// Whether the document has a `status`.
    has_status: bool,
    /// The typed Kubernetes object, read on first use: only cross-resource
    /// checks need it, and `validate` alone should not pay for it.
    kube: OnceLock<Option<KubeObject>>,
}

/// Where an object came from.
#[derive(Debug, Clone)]
pub enum ObjectSource {
    /// A document of an input file, or an item of a `List` document.
    File(FilePlace),
    /// Read from a cluster's API server: no file, no line to point at.
    /// `json` is the object as read (without what no check reads), from
    /// which its tree is built again once let go; without it the object
    /// keeps its tree.
    Cluster { json: Option<Arc<str>> },
    /// Made up by meshctl, as istioctl makes up its default ingress
    /// gateway; the text says what it stands for.
    Synthetic(&'static str),
}

/// Where in an input file an object was written.
#[derive(Debug, Clone)]
pub struct FilePlace {
    pub file: Arc<SourceFile>,
    /// 0-based index of the document in its file.
    pub document: usize,
    /// The document's bytes in the file (the whole `List` for its items).
    pub span: Range<usize>,
    /// The line the document starts on.
    pub line: u32,
    /// The object's index among the items, when the document is a `List`.
    pub item: Option<usize>,
    /// For a `List`'s item, the document read again, shared by every item
    /// of the `List`: each item that needs its tree back takes it from one
    /// re-read instead of parsing the whole `List` again (which would cost
    /// items x size).
    reread: Option<Arc<OnceLock<Option<Node>>>>,
}

/// One document of a file, as it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// 0-based index of the document in its file.
    pub index: usize,
    /// Its bytes in the file (see [`crate::loader::ParsedDocument::span`]).
    pub span: Range<usize>,
    /// Set when the document is a `List` (`kind: List`, `ServiceList`, ...):
    /// its items are objects of their own, whose [`FilePlace::item`] gives
    /// their index, and the wrapper is kept here to write the List back.
    pub list: Option<ListWrapper>,
}

/// The envelope of a `List` document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListWrapper {
    pub api_version: String,
    pub kind: String,
    /// How many items it has (each an object, or a problem when it is not
    /// a resource).
    pub items: usize,
}

/// The typed content of a mesh object (Kubernetes kinds are typed on
/// demand, see [`Object::kube`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Mesh(MeshSpec),
    /// Any other kind (never an error).
    Other,
}

/// A problem that keeps a document from becoming an object at all.
#[derive(Debug, Clone)]
pub struct DocumentProblem {
    pub source: Arc<SourceFile>,
    /// Field path within the object, when the problem is about a field.
    pub path: String,
    pub document: usize,
    /// The object (index in [`FileModel::objects`]) the problem lies in,
    /// when its document could still be read.
    pub object: Option<usize>,
    pub kind: DocumentProblemKind,
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentProblemKind {
    /// From the YAML reader.
    Load(ProblemKind),
    /// Not a mapping, or no `apiVersion`/`kind`.
    NotAResource,
}

/// Everything read from one file.
#[derive(Debug, Default)]
pub struct FileModel {
    /// Every document, empty ones included, in file order.
    pub documents: Vec<Document>,
    pub objects: Vec<Object>,
    pub problems: Vec<DocumentProblem>,
}

impl FileModel {
    /// Points the objects and problems at a copy of their file without its
    /// text (see [`SourceFile::let_go`]); the old file and the new, when
    /// the file can be read back.
    pub fn let_go_text(&mut self) -> Option<(Arc<SourceFile>, Arc<SourceFile>)> {
        let old = self.objects.iter().find_map(|o| o.file().cloned())?;
        let new = old.let_go()?;
        for object in &mut self.objects {
            if let ObjectSource::File(place) = &mut object.source
                && Arc::ptr_eq(&place.file, &old)
            {
                place.file = new.clone();
            }
        }
        for problem in &mut self.problems {
            if Arc::ptr_eq(&problem.source, &old) {
                problem.source = new.clone();
            }
        }
        Some((old, new))
    }

    pub fn shrink_to_fit(&mut self) {
        self.documents.shrink_to_fit();
        self.objects.shrink_to_fit();
        self.problems.shrink_to_fit();
    }

    /// Adds the documents, objects and problems of a later part of the same
    /// file (read document by document).
    pub fn append(&mut self, later: FileModel) {
        let offset = self.objects.len();
        self.documents.extend(later.documents);
        self.objects.extend(later.objects);
        self.problems
            .extend(later.problems.into_iter().map(|problem| DocumentProblem {
                object: problem.object.map(|i| i + offset),
                ..problem
            }));
    }
}

impl Object {
    /// The registered kind, whether or not it is served at this version.
    pub fn mesh_kind(&self) -> Option<MeshKind> {
        match lookup(&self.api_version, &self.kind) {
            Lookup::Served(kind) | Lookup::UnservedVersion(kind) => Some(kind),
            Lookup::Unchecked(_)
            | Lookup::UnknownKind(_)
            | Lookup::Kubernetes
            | Lookup::Foreign => None,
        }
    }

    /// The object's metadata. Mesh kinds have it from their typed read,
    /// the Kubernetes kinds meshctl types from [`Object::kube`]; other kinds
    /// read it on first use, since `validate` needs only their name and
    /// namespace.
    pub fn metadata(&self) -> &ObjectMeta {
        if let Some(metadata) = self.metadata.get() {
            return metadata;
        }
        if let Some(kube) = self.kube() {
            return kube.metadata();
        }
        self.metadata
            .get_or_init(|| Box::new(untyped_metadata(self.tree())))
    }

    /// The Kubernetes object, for the kinds meshctl models (Service, Pod,
    /// Deployment, ...). Kubernetes validation is not meshctl's job, so an
    /// object Kubernetes would refuse is simply `None`.
    pub fn kube(&self) -> Option<&KubeObject> {
        self.kube
            .get_or_init(|| read_kube_object(&self.api_version, &self.kind, self.tree()))
            .as_ref()
    }

    /// The file the object was read from; `None` for a cluster's object or
    /// a made-up one, which findings then cannot point into.
    pub fn file(&self) -> Option<&Arc<SourceFile>> {
        match &self.source {
            ObjectSource::File(place) => Some(&place.file),
            ObjectSource::Cluster { .. } | ObjectSource::Synthetic(_) => None,
        }
    }

    /// The resource's tree, read again from its file if it was let go.
    pub fn tree(&self) -> &Node {
        self.tree.get_or_init(|| Box::new(self.read_tree_again()))
    }

    /// The position of a field path within this object (its key's).
    pub fn locate(&self, path: &str) -> Pos {
        self.with_tree(|tree| tree.locate(path))
    }

    /// The position of a field path's value (see [`Node::locate_value`]).
    pub fn locate_value(&self, path: &str) -> Pos {
        self.with_tree(|tree| tree.locate_value(path))
    }

    /// Reads the object's tree without keeping one that had been let go:
    /// locating a finding must not bring every released tree back for the
    /// rest of the run.
    fn with_tree<R>(&self, read: impl FnOnce(&Node) -> R) -> R {
        match self.tree.get() {
            Some(tree) => read(tree),
            None => read(&self.read_tree_again()),
        }
    }

    /// Whether the document has a `status` (which the mesh's controllers
    /// write), known without reading a released tree again.
    pub fn has_status(&self) -> bool {
        self.has_status
    }

    /// Lets the tree go once the typed content (mesh spec or Kubernetes
    /// object, and with it the metadata) holds what later stages read, when
    /// the tree can be read again from the object's file. An object of a
    /// kind meshctl does not type keeps it: analyzers read such kinds (a
    /// Secret, a ConfigMap) from the tree. Lint keeps every object of a run,
    /// and their trees would cost many times the input.
    pub fn release_tree(&mut self) {
        let typed = matches!(self.body, Body::Mesh(_)) || self.kube().is_some();
        let readable_again = match &self.source {
            ObjectSource::File(_) | ObjectSource::Cluster { json: Some(_) } => true,
            ObjectSource::Cluster { json: None } | ObjectSource::Synthetic(_) => false,
        };
        if typed && readable_again {
            self.tree.take();
        }
    }

    /// This object as read from another document of the same text (`diff`
    /// reads a document written alike on both sides once): the same
    /// content, at the other document's place. A kept tree stays behind,
    /// since its positions are this file's; the copy reads its own again
    /// when asked.
    pub fn copied_to(
        &self,
        file: &Arc<SourceFile>,
        document: usize,
        span: Range<usize>,
        line: u32,
    ) -> Object {
        Object {
            source: ObjectSource::File(FilePlace {
                file: file.clone(),
                document,
                span,
                line,
                item: None,
                reread: None,
            }),
            tree: OnceLock::new(),
            api_version: self.api_version.clone(),
            kind: self.kind.clone(),
            name: self.name.clone(),
            namespace: self.namespace.clone(),
            metadata: self.metadata.clone(),
            body: self.body.clone(),
            problems: self.problems.clone(),
            has_status: self.has_status,
            kube: self.kube.clone(),
        }
    }

    fn read_tree_again(&self) -> Node {
        let place = match &self.source {
            ObjectSource::File(place) => place,
            ObjectSource::Cluster { json: Some(json) } => return read_json_again(json),
            _ => unreachable!("only an object with a file or its JSON lets its tree go"),
        };
        let item = match place.item {
            None => reparse_document(&place.file, &place.span, place.line),
            Some(i) => place
                .reread
                .as_ref()
                .and_then(|reread| {
                    reread
                        .get_or_init(|| reparse_document(&place.file, &place.span, place.line))
                        .as_ref()
                })
                .and_then(|root| root.get("items"))
                .and_then(|items| match &items.value {
                    Value::Seq(items) => items.get(i).cloned(),
                    _ => None,
                }),
        };
        // The file has not changed since it was read, so this does not
        // happen; a missing tree only costs a position.
        item.unwrap_or_else(|| Node::new(Pos::default(), Value::Null))
    }
}

/// A cluster object's tree, from the JSON it was read from (JSON is YAML).
fn read_json_again(json: &str) -> Node {
    let source = SourceFile::new("", json.to_string());
    parse_documents(&source, &Limits::default())
        .into_iter()
        .find_map(|d| d.root)
        // It parsed when it was read, so this does not happen.
        .unwrap_or_else(|| Node::new(Pos::default(), Value::Null))
}

/// Takes the items out of a `List` document.
fn list_items(root: &mut Node) -> Vec<Node> {
    let Value::Map(entries) = &mut root.value else {
        return Vec::new();
    };
    let Some(items) = entries.iter_mut().find(|e| &*e.key == "items") else {
        return Vec::new();
    };
    match std::mem::replace(&mut items.value.value, Value::Null) {
        Value::Seq(items) => items,
        _ => Vec::new(),
    }
}

/// Reads a resource that does not come from a file (a cluster's object, a
/// made-up one). `None` when the tree is not a resource: not a mapping, or
/// without string `apiVersion` and `kind`.
pub fn read_tree(root: Node, source: ObjectSource, default_namespace: &str) -> Option<Object> {
    let api_version = root.get_str("apiVersion")?.to_string();
    let kind = root.get_str("kind")?.to_string();
    let reader = ObjectReader {
        source,
        default_namespace,
    };
    Some(reader.read_object(root, api_version, kind, None))
}

/// Reads every document of a loaded file into objects.
pub fn read_file(file: LoadedFile, default_namespace: &str) -> FileModel {
    let mut model = FileModel::default();
    for doc in file.documents {
        read_document(&file.source, doc, default_namespace, &mut model);
    }
    model
}

/// Reads one document of `source` into objects, adding them, the document
/// and its problems to `model`.
pub fn read_document(
    source: &Arc<SourceFile>,
    doc: ParsedDocument,
    default_namespace: &str,
    model: &mut FileModel,
) {
    let first_object = model.objects.len();
    let mut document = Document {
        index: doc.index,
        span: doc.span.clone(),
        list: None,
    };
    if let Some(root) = doc.root {
        let reader = Reader {
            file: source,
            document: doc.index,
            objects: ObjectReader {
                source: ObjectSource::File(FilePlace {
                    file: source.clone(),
                    document: doc.index,
                    span: doc.span,
                    line: doc.start.line,
                    item: None,
                    reread: Some(Arc::default()),
                }),
                default_namespace,
            },
        };
        document.list = reader.read_document(root, model);
    }
    model.documents.push(document);
    for problem in doc.problems {
        // The last object of the document that starts before the problem.
        let object = (first_object..model.objects.len())
            .rev()
            .find(|&i| model.objects[i].tree().pos <= problem.pos);
        let path = object
            .zip(problem.related)
            .and_then(|(i, pos)| model.objects[i].tree().path_of(pos))
            .unwrap_or_default();
        model.problems.push(DocumentProblem {
            source: source.clone(),
            path,
            document: doc.index,
            object,
            kind: DocumentProblemKind::Load(problem.kind),
            pos: problem.pos,
            message: problem.message,
            help: problem.help,
        });
    }
}

/// Reads the documents of a file: Lists, and what is not a resource.
struct Reader<'a> {
    file: &'a Arc<SourceFile>,
    document: usize,
    objects: ObjectReader<'a>,
}

/// Reads one resource into an [`Object`].
struct ObjectReader<'a> {
    /// The source of the objects it reads (for a file, without the item).
    source: ObjectSource,
    default_namespace: &'a str,
}

impl Reader<'_> {
    fn problem(&self, pos: Pos, message: String, help: Option<String>) -> DocumentProblem {
        DocumentProblem {
            source: self.file.clone(),
            path: String::new(),
            document: self.document,
            object: None,
            kind: DocumentProblemKind::NotAResource,
            pos,
            message,
            help,
        }
    }

    /// Reads a document (or a List's item, `item`); returns the List's
    /// envelope when the document is one.
    fn read_document(&self, root: Node, model: &mut FileModel) -> Option<ListWrapper> {
        self.read_node(root, None, model)
    }

    fn read_node(
        &self,
        root: Node,
        item: Option<usize>,
        model: &mut FileModel,
    ) -> Option<ListWrapper> {
        match &root.value {
            Value::Null => None, // an empty document, as kubectl skips it
            Value::Map(_) => self.read_resource(root, item, model),
            _ => {
                model.problems.push(self.problem(
                    root.pos,
                    format!(
                        "a document must be a Kubernetes resource (a mapping), found {}",
                        root.type_name()
                    ),
                    None,
                ));
                None
            }
        }
    }

    fn read_resource(
        &self,
        root: Node,
        item: Option<usize>,
        model: &mut FileModel,
    ) -> Option<ListWrapper> {
        let api_version = root.get_str("apiVersion").map(str::to_string);
        let kind = root.get_str("kind").map(str::to_string);
        let (Some(api_version), Some(kind)) = (api_version, kind) else {
            let missing = if root.get_str("apiVersion").is_none() {
                "apiVersion"
            } else {
                "kind"
            };
            model.problems.push(self.problem(
                root.pos,
                format!("not a Kubernetes resource: {missing:?} is missing or not a string"),
                Some("every resource needs string `apiVersion` and `kind` fields".into()),
            ));
            return None;
        };
        // A List's items are resources of their own; a List inside one is
        // not read as a List (Kubernetes has none).
        let items = root.get("items").filter(|_| kind.ends_with("List"));
        if let (None, Some(items)) = (item, items) {
            match &items.value {
                Value::Seq(_) | Value::Null => {
                    return Some(self.read_list(root, api_version, kind, model));
                }
                _ => {
                    // Not a resource of its own, and its items cannot be read:
                    // kubectl refuses it.
                    let mut problem = self.problem(
                        root.locate_value("items"),
                        format!(
                            "the items of a {kind} must be a list, found {}",
                            items.type_name()
                        ),
                        None,
                    );
                    problem.path = "items".into();
                    model.problems.push(problem);
                    return None;
                }
            }
        }
        model
            .objects
            .push(self.objects.read_object(root, api_version, kind, item));
        None
    }

    /// `kind: List` (and `ServiceList`, ...): each item is read as a resource
    /// of its own, keeping its positions in the file.
    fn read_list(
        &self,
        mut root: Node,
        api_version: String,
        kind: String,
        model: &mut FileModel,
    ) -> ListWrapper {
        let items = list_items(&mut root);
        let wrapper = ListWrapper {
            api_version,
            kind,
            items: items.len(),
        };
        for (i, item) in items.into_iter().enumerate() {
            self.read_node(item, Some(i), model);
        }
        wrapper
    }
}

impl ObjectReader<'_> {
    fn source_of(&self, item: Option<usize>) -> ObjectSource {
        match &self.source {
            ObjectSource::File(place) => ObjectSource::File(FilePlace {
                item,
                // Only a List's items read their document again as one.
                reread: item.and(place.reread.clone()),
                ..place.clone()
            }),
            other => other.clone(),
        }
    }

    fn read_object(
        &self,
        node: Node,
        api_version: String,
        kind: String,
        item: Option<usize>,
    ) -> Object {
        let mut problems = Vec::new();
        let metadata = OnceLock::new();
        let body = match lookup(&api_version, &kind) {
            Lookup::Served(mesh) => {
                let (typed, spec, found) = mesh.read(&node);
                problems = found;
                let _ = metadata.set(Box::new(typed));
                Body::Mesh(spec)
            }
            Lookup::UnservedVersion(mesh) => {
                problems.push(FieldProblem {
                    kind: FieldProblemKind::UnsupportedVersion,
                    path: "apiVersion".into(),
                    pos: node.locate("apiVersion"),
                    message: format!("{kind} is not served at {api_version:?}"),
                    help: Some(format!(
                        "use one of {}",
                        mesh.api_versions().collect::<Vec<_>>().join(", ")
                    )),
                });
                Body::Other
            }
            Lookup::UnknownKind(group) => {
                problems.push(unknown_kind(&node, &api_version, &kind, group));
                Body::Other
            }
            Lookup::Unchecked(_) | Lookup::Kubernetes | Lookup::Foreign => Body::Other,
        };
        let field = |name| {
            node.get("metadata")
                .and_then(|m| m.get_str(name))
                .filter(|v| !v.is_empty())
        };
        let name = field("name")
            .or_else(|| field("generateName"))
            .map(str::to_string);
        // Kinds meshctl does not model are taken as they come (an
        // IstioOperator for `istioctl install` has no name, and is fine).
        if name.is_none() && matches!(body, Body::Mesh(_)) {
            problems.push(FieldProblem {
                kind: FieldProblemKind::MissingRequired,
                path: "metadata.name".into(),
                pos: node.locate("metadata"),
                message: "missing required field \"name\" in metadata".into(),
                help: None,
            });
        }
        let namespace = (!is_cluster_scoped(&kind)).then(|| {
            field("namespace")
                .unwrap_or(self.default_namespace)
                .to_string()
        });
        Object {
            source: self.source_of(item),
            name: name.unwrap_or_default(),
            namespace,
            metadata,
            api_version,
            kind,
            body,
            problems,
            has_status: node.get("status").is_some(),
            tree: OnceLock::from(Box::new(node)),
            kube: OnceLock::new(),
        }
    }
}

/// A kind its group does not serve, as the API server would refuse it,
/// with the closest kind the group has.
fn unknown_kind(node: &Node, api_version: &str, kind: &str, group: ApiGroup) -> FieldProblem {
    FieldProblem {
        kind: FieldProblemKind::UnknownKind,
        path: "kind".into(),
        pos: node.locate("kind"),
        message: format!("unknown kind {kind:?} in {api_version}"),
        help: Some(suggest(kind, group.kinds().unwrap_or_default())),
    }
}

/// Metadata of an object whose body is not typed: read leniently, since
/// only names, namespaces, labels and annotations matter for it.
fn untyped_metadata(node: &Node) -> ObjectMeta {
    node.get("metadata")
        .and_then(|m| from_node::<meta::ObjectMeta>(m, SchemaRules::none(), false).0)
        .map(ObjectMeta::from)
        .unwrap_or_default()
}

/// Reads a resource whose spec is `S`, under the schema rules of its kind
/// (the registry instantiates it for each kind).
pub(super) fn read_mesh<S: KindSpec>(node: &Node) -> (ObjectMeta, MeshSpec, Vec<FieldProblem>) {
    let (resource, problems) = from_node::<Resource<S>>(node, SchemaRules::of_kind(S::KIND), true);
    let resource = resource.unwrap_or_default();
    (
        resource.metadata.into(),
        S::wrap(Box::new(resource.spec)),
        problems,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{Limits, parse_documents};

    fn objects(yaml: &str) -> Vec<Object> {
        let source = SourceFile::new("t.yaml", yaml.to_string());
        let documents = parse_documents(&source, &Limits::default());
        read_file(LoadedFile { source, documents }, "default").objects
    }

    #[test]
    fn kubernetes_kinds_are_typed_on_demand() {
        let found = objects(
            "apiVersion: v1\nkind: Service\nmetadata: {name: reviews}\nspec:\n  ports: [{name: http, port: 9080}]\n",
        );
        let Some(KubeObject::Service(service)) = found[0].kube() else {
            panic!("not a Service: {:?}", found[0].kube());
        };
        let ports = service.spec.as_ref().unwrap().ports.as_ref().unwrap();
        assert_eq!(ports[0].port, 9080);
        assert_eq!(found[0].namespace.as_deref(), Some("default"));
    }

    #[test]
    fn a_kind_its_group_does_not_serve_is_refused_with_a_suggestion() {
        let found = objects(
            "apiVersion: networking.istio.io/v1\nkind: VirtualServce\nmetadata: {name: t}\nspec: {anything: 1}\n",
        );
        let problem = &found[0].problems[0];
        assert_eq!(problem.kind, FieldProblemKind::UnknownKind);
        assert_eq!(
            problem.message,
            "unknown kind \"VirtualServce\" in networking.istio.io/v1"
        );
        assert_eq!(
            problem.help.as_deref(),
            Some("did you mean \"VirtualService\"?")
        );
        assert_eq!(found[0].body, Body::Other);
    }

    #[test]
    fn a_kind_its_mesh_serves_but_meshctl_does_not_check_is_taken_as_it_comes() {
        let found = objects(
            "apiVersion: extensions.istio.io/v1alpha1\nkind: TrafficExtension\nmetadata: {name: t}\nspec: {anything: 1}\n",
        );
        assert!(found[0].problems.is_empty());
        assert_eq!(found[0].body, Body::Other);
    }

    #[test]
    fn lists_unwrap_into_objects_and_cluster_kinds_have_no_namespace() {
        let found = objects(
            "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: prod}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: prod}}\n",
        );
        let origins: Vec<_> = found
            .iter()
            .map(|o| (o.kind.as_str(), o.namespace.as_deref(), o.name.as_str()))
            .collect();
        assert_eq!(
            origins,
            [
                ("Namespace", None, "prod"),
                ("ConfigMap", Some("prod"), "c")
            ]
        );
    }

    #[test]
    fn lists_stay_lists_and_their_items_know_their_place() {
        let text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n- {apiVersion: v1, kind: Namespace, metadata: {name: c}}\n";
        let source = SourceFile::new("t.yaml", text.to_string());
        let documents = parse_documents(&source, &Limits::default());
        let model = read_file(LoadedFile { source, documents }, "default");
        let lists: Vec<_> = model.documents.iter().map(|d| d.list.clone()).collect();
        let wrapper = ListWrapper {
            api_version: "v1".into(),
            kind: "List".into(),
            items: 2,
        };
        assert_eq!(lists, [None, Some(wrapper)]);
        assert!(
            text[model.documents[1].span.clone()].starts_with("---\napiVersion: v1\nkind: List")
        );
        let places: Vec<_> = model
            .objects
            .iter()
            .map(|o| match &o.source {
                ObjectSource::File(place) => (place.document, place.item),
                other => panic!("not from a file: {other:?}"),
            })
            .collect();
        assert_eq!(places, [(0, None), (1, Some(0)), (1, Some(1))]);
    }

    #[test]
    fn a_released_tree_is_read_again_with_the_same_positions() {
        let mut found = objects(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: b\n    labels: {app: b}\n",
        );
        let before: Vec<_> = found.iter().map(|o| o.tree().clone()).collect();
        for object in &mut found {
            object.release_tree();
            assert!(
                object.tree.get().is_none(),
                "a typed object lets its tree go"
            );
        }
        assert_eq!(found[1].metadata().labels.as_ref().unwrap()["app"], "b");
        assert_eq!(
            found[1].locate("metadata.labels.app"),
            Pos {
                line: 11,
                column: 14
            }
        );
        let after: Vec<_> = found.iter().map(|o| o.tree().clone()).collect();
        assert_eq!(before, after);
        let rereads: Vec<_> = found
            .iter()
            .map(|o| match &o.source {
                ObjectSource::File(place) => place.reread.clone().unwrap(),
                _ => unreachable!("read from a file"),
            })
            .collect();
        assert!(
            Arc::ptr_eq(&rereads[0], &rereads[1]) && rereads[0].get().is_some(),
            "a List is read again once for all of its items"
        );
    }

    #[test]
    fn objects_of_untyped_kinds_and_objects_without_a_file_keep_their_trees() {
        let mut secret = objects("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n").remove(0);
        secret.release_tree();
        assert!(secret.tree.get().is_some());
        let tree = objects("apiVersion: v1\nkind: Service\nmetadata: {name: a}\n")
            .remove(0)
            .tree()
            .clone();
        let mut cluster = read_tree(
            tree.clone(),
            ObjectSource::Cluster { json: None },
            "default",
        )
        .unwrap();
        cluster.release_tree();
        assert!(cluster.tree.get().is_some());
        assert!(cluster.file().is_none());
        // With its JSON, a cluster object lets its tree go and reads it again.
        let json = r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"}}"#;
        let source = ObjectSource::Cluster {
            json: Some(json.into()),
        };
        let mut cluster = read_tree(tree, source, "default").unwrap();
        cluster.release_tree();
        assert!(cluster.tree.get().is_none());
        assert_eq!(
            cluster
                .tree()
                .get("metadata")
                .and_then(|m| m.get_str("name")),
            Some("a")
        );
    }
}
