//! Who sees a resource: `exportTo` (and a Service's
//! `networking.istio.io/exportTo` annotation), as Istio's push context
//! indexes Services, ServiceEntries, VirtualServices and DestinationRules
//! (`pkg/config/visibility`, `PushContext.initServiceRegistry`,
//! `initVirtualServices`).

use std::collections::BTreeSet;

/// `exportTo` entry: every namespace.
pub const PUBLIC: &str = "*";
/// `exportTo` entry: the resource's own namespace.
pub const PRIVATE: &str = ".";
/// `exportTo` entry: no namespace at all.
pub const NONE: &str = "~";
/// The Service annotation that plays `exportTo` for Kubernetes Services.
pub const SERVICE_EXPORT_TO_ANNOTATION: &str = "networking.istio.io/exportTo";

/// The namespaces a resource is visible to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportTo {
    /// Every namespace (`*`, or no `exportTo` under the mesh's default).
    Everyone,
    /// These namespaces only (`.` already replaced by the resource's own);
    /// empty for `~`.
    Namespaces(BTreeSet<String>),
}

impl ExportTo {
    /// Reads an `exportTo` list of a resource in `own_namespace`. As in
    /// Istio, `*` wins over every other entry, then `~` hides the resource
    /// from everyone (names beside it do not count), and `.` is the own
    /// namespace. An empty list is the mesh default, public.
    pub fn from_entries<'a>(
        entries: impl IntoIterator<Item = &'a str>,
        own_namespace: &str,
    ) -> Self {
        let entries: BTreeSet<&str> = entries.into_iter().collect();
        if entries.is_empty() || entries.contains(PUBLIC) {
            return ExportTo::Everyone;
        }
        if entries.contains(NONE) {
            return ExportTo::Namespaces(BTreeSet::new());
        }
        let namespaces = entries
            .into_iter()
            .map(|e| if e == PRIVATE { own_namespace } else { e }.to_string())
            .collect();
        ExportTo::Namespaces(namespaces)
    }

    /// Reads a Service's `networking.istio.io/exportTo` annotation: entries
    /// separated by commas, spaces around them ignored; absent or empty is
    /// public.
    pub fn from_annotation(annotation: Option<&str>, own_namespace: &str) -> Self {
        match annotation.filter(|a| !a.is_empty()) {
            None => ExportTo::Everyone,
            Some(list) => Self::from_entries(list.split(',').map(str::trim), own_namespace),
        }
    }

    /// Whether a resource with this `exportTo` is visible from `namespace`.
    pub fn is_visible_to(&self, namespace: &str) -> bool {
        match self {
            ExportTo::Everyone => true,
            ExportTo::Namespaces(namespaces) => namespaces.contains(namespace),
        }
    }

    /// The scopes to index the resource under: [`PUBLIC`] for everyone,
    /// else each namespace (none when hidden).
    pub fn scopes(&self) -> Vec<&str> {
        match self {
            ExportTo::Everyone => vec![PUBLIC],
            ExportTo::Namespaces(namespaces) => namespaces.iter().map(String::as_str).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(entries: &[&str]) -> ExportTo {
        ExportTo::from_entries(entries.iter().copied(), "shop")
    }

    #[test]
    fn empty_and_star_are_public() {
        assert_eq!(export(&[]), ExportTo::Everyone);
        assert_eq!(export(&["a", "*"]), ExportTo::Everyone);
        assert!(export(&[]).is_visible_to("anywhere"));
    }

    #[test]
    fn dot_is_the_own_namespace() {
        let e = export(&[".", "edge"]);
        assert!(e.is_visible_to("shop"));
        assert!(e.is_visible_to("edge"));
        assert!(!e.is_visible_to("other"));
        assert_eq!(e.scopes(), ["edge", "shop"]);
    }

    #[test]
    fn tilde_hides_from_everyone_even_beside_names() {
        assert!(!export(&["~"]).is_visible_to("shop"));
        assert!(!export(&["~", "edge"]).is_visible_to("edge"));
        assert!(export(&["~", "edge"]).scopes().is_empty());
        assert!(export(&["~", "*"]).is_visible_to("edge"));
    }

    #[test]
    fn service_annotations_split_on_commas() {
        let e = ExportTo::from_annotation(Some(" ., edge "), "shop");
        assert!(e.is_visible_to("shop") && e.is_visible_to("edge"));
        assert_eq!(
            ExportTo::from_annotation(Some(""), "shop"),
            ExportTo::Everyone
        );
        assert_eq!(ExportTo::from_annotation(None, "shop"), ExportTo::Everyone);
    }
}
