//! How each list of a resource compares: as a set (order means nothing to
//! the API), by a key (items are named by a field), as routes (order is
//! meaningful, and a route keeps its identity when it moves), or by
//! position. The normal form sorts sets and keyed lists; `diff` pairs items
//! by the same table.

/// How a list's items are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    /// Order is meaningless: `hosts`, `gateways`, `exportTo`, principals...
    Set,
    /// Order is meaningless and each item is named by these fields (dotted
    /// paths within the item): subsets by name, ports by number.
    Keyed(&'static [&'static str]),
    /// Order decides which route sees a request first: items are paired by
    /// `name`, else by content, so a moved route is a move.
    Routes,
    /// Order is meaningful and items have no identity: match blocks, route
    /// destinations, rules.
    Positional,
}

/// Lists of Istio's typed kinds that are sets wherever they appear.
const SETS: &[&str] = &[
    "hosts",
    "gateways",
    "exportTo",
    "sniHosts",
    "addresses",
    "subjectAltNames",
    "destinationSubnets",
    "allowMethods",
    "allowHeaders",
    "exposeHeaders",
    "audiences",
];

/// AuthorizationPolicy's `source`, `operation` and `condition` lists: a
/// request matches when it matches any item.
const AUTHORIZATION_SETS: &[&str] = &[
    "principals",
    "notPrincipals",
    "requestPrincipals",
    "notRequestPrincipals",
    "namespaces",
    "notNamespaces",
    "ipBlocks",
    "notIpBlocks",
    "remoteIpBlocks",
    "notRemoteIpBlocks",
    "hosts",
    "notHosts",
    "ports",
    "notPorts",
    "methods",
    "notMethods",
    "paths",
    "notPaths",
    "values",
    "notValues",
];

/// How the list at `shape` (its path with the list indexes left out, e.g.
/// `spec.servers.hosts`) of a resource of `kind` compares; `typed` tells a
/// kind meshctl types (Istio's lists are known) from another one (only
/// Kubernetes' Service ports are).
pub fn list_order(kind: &str, typed: bool, shape: &str) -> ListOrder {
    let field = shape.rsplit('.').next().unwrap_or(shape);
    match (kind, shape) {
        ("Service", "spec.ports") if !typed => ListOrder::Keyed(&["port", "protocol"]),
        _ if !typed => ListOrder::Positional,
        ("VirtualService", "spec.http" | "spec.tcp" | "spec.tls") => ListOrder::Routes,
        ("DestinationRule", _) if field == "subsets" => ListOrder::Keyed(&["name"]),
        ("DestinationRule", _) if field == "portLevelSettings" => {
            ListOrder::Keyed(&["port.number"])
        }
        ("Gateway", "spec.servers") => ListOrder::Keyed(&["port.number", "name"]),
        ("ServiceEntry", "spec.ports") => ListOrder::Keyed(&["number"]),
        ("HTTPRoute", "spec.rules.retry.codes") => ListOrder::Set,
        ("AuthorizationPolicy", _) if AUTHORIZATION_SETS.contains(&field) => ListOrder::Set,
        _ if SETS.contains(&field) => ListOrder::Set,
        _ => ListOrder::Positional,
    }
}

/// The value at a dotted path within an item (`port.number`): a keyed
/// list's key.
pub fn key_value<'a>(item: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
    key.split('.').try_fold(item, |value, part| value.get(part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_compare_as_the_api_reads_them() {
        assert_eq!(
            list_order("VirtualService", true, "spec.hosts"),
            ListOrder::Set
        );
        assert_eq!(
            list_order("VirtualService", true, "spec.http"),
            ListOrder::Routes
        );
        assert_eq!(
            list_order("VirtualService", true, "spec.http.route"),
            ListOrder::Positional
        );
        assert_eq!(
            list_order("DestinationRule", true, "spec.subsets"),
            ListOrder::Keyed(&["name"])
        );
        assert_eq!(
            list_order(
                "AuthorizationPolicy",
                true,
                "spec.rules.from.source.principals"
            ),
            ListOrder::Set
        );
        assert_eq!(
            list_order("AuthorizationPolicy", true, "spec.rules"),
            ListOrder::Positional
        );
        assert_eq!(
            list_order("HTTPRoute", true, "spec.rules.retry.codes"),
            ListOrder::Set
        );
        // An untyped kind's `hosts` is whatever its owner says: kept in order.
        assert_eq!(
            list_order("Foo", false, "spec.hosts"),
            ListOrder::Positional
        );
    }
}
