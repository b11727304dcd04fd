//! Which of the wanted kinds the cluster serves, at which version and under
//! which resource name. Aggregated discovery (one request for `/api`, one
//! for `/apis`) where the server offers it; otherwise the plain documents,
//! fetching only the group versions of the wanted groups.

use std::collections::{BTreeSet, HashMap};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{APIGroupList, APIResourceList, APIVersions};
use kube::core::discovery::v2::{ACCEPT_AGGREGATED_DISCOVERY_V2, APIGroupDiscoveryList};
use serde_json::Value;

use super::KindRef;
use super::list::Requests;

/// A kind as the cluster serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Served {
    pub kind: KindRef,
    pub version: String,
    /// The resource name in URLs (`pods`, `virtualservices`).
    pub plural: String,
    pub namespaced: bool,
}

impl Served {
    pub fn api_version(&self) -> String {
        match self.kind.group {
            "" => self.version.clone(),
            group => format!("{group}/{}", self.version),
        }
    }

    /// `pods`, `virtualservices.networking.istio.io`: as RBAC and kubectl
    /// name a resource.
    pub fn resource_name(&self) -> String {
        match self.kind.group {
            "" => self.plural.clone(),
            group => format!("{}.{group}", self.plural),
        }
    }

    /// The URL path of the collection, in a namespace or cluster-wide.
    pub fn path(&self, namespace: Option<&str>) -> String {
        let base = match self.kind.group {
            "" => format!("/api/{}", self.version),
            group => format!("/apis/{group}/{}", self.version),
        };
        match namespace.filter(|_| self.namespaced) {
            Some(ns) => format!("{base}/namespaces/{ns}/{}", self.plural),
            None => format!("{base}/{}", self.plural),
        }
    }
}

/// The wanted kinds the cluster serves; a kind it does not serve (its CRD
/// is not installed) is absent.
pub(super) async fn served(
    requests: &Requests,
    wanted: &[KindRef],
) -> Result<HashMap<KindRef, Served>, kube::Error> {
    let groups: BTreeSet<&str> = wanted.iter().map(|k| k.group).collect();
    let mut found = Vec::new();
    if groups.contains("") {
        found.extend(core(requests, wanted).await?);
    }
    if groups.iter().any(|g| !g.is_empty()) {
        found.extend(named_groups(requests, wanted, &groups).await?);
    }
    let mut served = HashMap::new();
    // The first version found is the preferred one: later ones never
    // replace it.
    for resource in found {
        served.entry(resource.kind).or_insert(resource);
    }
    Ok(served)
}

/// The core group (`/api`).
async fn core(requests: &Requests, wanted: &[KindRef]) -> Result<Vec<Served>, kube::Error> {
    let document = requests
        .get_json("/api", "discovery of /api", ACCEPT_AGGREGATED_DISCOVERY_V2)
        .await?;
    if is_aggregated(&document) {
        return Ok(aggregated(
            serde_json::from_value(document).map_err(kube::Error::SerdeError)?,
            wanted,
        ));
    }
    let versions: APIVersions =
        serde_json::from_value(document).map_err(kube::Error::SerdeError)?;
    let mut found = Vec::new();
    for version in versions.versions {
        found.extend(group_version(requests, wanted, "", &version).await?);
    }
    Ok(found)
}

/// The named groups (`/apis`), of which only the wanted ones are fetched
/// when the server has no aggregated discovery.
async fn named_groups(
    requests: &Requests,
    wanted: &[KindRef],
    groups: &BTreeSet<&str>,
) -> Result<Vec<Served>, kube::Error> {
    let document = requests
        .get_json(
            "/apis",
            "discovery of /apis",
            ACCEPT_AGGREGATED_DISCOVERY_V2,
        )
        .await?;
    if is_aggregated(&document) {
        return Ok(aggregated(
            serde_json::from_value(document).map_err(kube::Error::SerdeError)?,
            wanted,
        ));
    }
    let list: APIGroupList = serde_json::from_value(document).map_err(kube::Error::SerdeError)?;
    let mut found = Vec::new();
    for group in list
        .groups
        .iter()
        .filter(|g| groups.contains(g.name.as_str()))
    {
        // The preferred version first, then the others in the server's order.
        let preferred = group.preferred_version.as_ref().map(|v| v.version.clone());
        let versions = preferred
            .iter()
            .chain(group.versions.iter().map(|v| &v.version))
            .collect::<Vec<_>>();
        let mut seen = BTreeSet::new();
        for version in versions.into_iter().filter(|v| seen.insert(*v)) {
            found.extend(group_version(requests, wanted, &group.name, version).await?);
        }
    }
    Ok(found)
}

fn is_aggregated(document: &Value) -> bool {
    document.get("kind").and_then(Value::as_str) == Some("APIGroupDiscoveryList")
}

/// The resources of an aggregated discovery document, versions in the
/// server's order of preference.
fn aggregated(list: APIGroupDiscoveryList, wanted: &[KindRef]) -> Vec<Served> {
    let mut found = Vec::new();
    for group in list.items {
        let name = group.metadata.and_then(|m| m.name).unwrap_or_default();
        for version in group.versions {
            let Some(version_name) = version.version else {
                continue;
            };
            for resource in version.resources {
                let (Some(plural), Some(kind)) = (
                    resource.resource,
                    resource.response_kind.and_then(|k| k.kind),
                ) else {
                    continue;
                };
                if let Some(kind) = wanted_kind(wanted, &name, &kind) {
                    found.push(Served {
                        kind,
                        version: version_name.clone(),
                        plural,
                        namespaced: resource.scope.as_deref() == Some("Namespaced"),
                    });
                }
            }
        }
    }
    found
}

/// The resources of one plain group version document.
async fn group_version(
    requests: &Requests,
    wanted: &[KindRef],
    group: &str,
    version: &str,
) -> Result<Vec<Served>, kube::Error> {
    let path = match group {
        "" => format!("/api/{version}"),
        _ => format!("/apis/{group}/{version}"),
    };
    let document = requests
        .get_json(&path, &format!("discovery of {path}"), "application/json")
        .await?;
    let list: APIResourceList =
        serde_json::from_value(document).map_err(kube::Error::SerdeError)?;
    Ok(list
        .resources
        .into_iter()
        // `pods/log` and other subresources are not collections.
        .filter(|r| !r.name.contains('/'))
        .filter_map(|r| {
            Some(Served {
                kind: wanted_kind(wanted, group, &r.kind)?,
                version: version.to_string(),
                plural: r.name,
                namespaced: r.namespaced,
            })
        })
        .collect())
}

/// The wanted kind discovery names (by owned strings), if it is wanted.
fn wanted_kind(wanted: &[KindRef], group: &str, kind: &str) -> Option<KindRef> {
    wanted
        .iter()
        .find(|k| k.group == group && k.kind == kind)
        .copied()
}
