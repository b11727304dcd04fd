//! Kubernetes' strategic merge, for the pod fields injection touches: a
//! template (or a user's container) laid over a pod. Mappings merge key by
//! key; lists Kubernetes merges by a key (containers, volumes, env, ports,
//! mounts) merge item by item, in the order strategic merge gives; other lists
//! and scalars are replaced; a null removes the field.

use serde_json::{Map, Value as Json};

/// The merge key of a list field, as the Kubernetes API declares it
/// (`patchMergeKey`).
fn merge_key(field: &str) -> Option<&'static str> {
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "resourceClaims"
        | "schedulingGates" => Some("name"),
        "ports" => Some("containerPort"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "hostAliases" => Some("ip"),
        "topologySpreadConstraints" => Some("topologyKey"),
        _ => None,
    }
}

/// Lays `patch` over `target`.
pub fn merge(target: &mut Json, patch: &Json) {
    match (target, patch) {
        (Json::Object(target), Json::Object(patch)) => merge_maps(target, patch),
        (target, patch) => *target = patch.clone(),
    }
}

fn merge_maps(target: &mut Map<String, Json>, patch: &Map<String, Json>) {
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
            continue;
        }
        match (target.get_mut(key), merge_key(key), value) {
            (Some(Json::Array(items)), Some(merge_key), Json::Array(new)) => {
                merge_lists(items, new, merge_key);
            }
            (Some(existing @ Json::Object(_)), _, Json::Object(_)) => merge(existing, value),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Merges a keyed list as Kubernetes' strategic merge orders it: the
/// patch's items (merged with their originals) in patch order, the
/// original-only items in original order, and between the two an
/// original-only item goes first only when it stood before the patch item
/// in the original.
fn merge_lists(items: &mut Vec<Json>, patch: &[Json], key: &str) {
    if patch.is_empty() {
        return;
    }
    let original = std::mem::take(items);
    let position = |item: &Json| {
        let id = item.get(key)?;
        original.iter().position(|o| o.get(key) == Some(id))
    };
    let merged: Vec<(Option<usize>, Json)> = patch
        .iter()
        .map(|new| {
            let at = position(new);
            let mut item = at.map_or_else(|| Json::Object(Map::new()), |i| original[i].clone());
            merge(&mut item, new);
            (at, item)
        })
        .collect();
    let patched: Vec<usize> = merged.iter().filter_map(|(at, _)| *at).collect();
    let mut server_only = original
        .iter()
        .enumerate()
        .filter(|(i, _)| !patched.contains(i))
        .peekable();
    let mut merged = merged.into_iter().peekable();
    loop {
        let take_server = match (server_only.peek(), merged.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some((server_at, _)), Some((patch_at, _))) => patch_at.is_some_and(|p| *server_at < p),
        };
        if take_server {
            items.push(server_only.next().expect("peeked").1.clone());
        } else {
            items.push(merged.next().expect("peeked").1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn named_items_merge_in_place_and_new_ones_come_last() {
        let mut pod = json!({"containers": [{"name": "app", "image": "a"}, {"name": "istio-proxy", "tty": true, "args": ["x"]}]});
        merge(
            &mut pod,
            &json!({"containers": [{"name": "istio-proxy", "image": "proxy", "args": ["proxy"]}, {"name": "extra"}]}),
        );
        assert_eq!(
            pod,
            json!({"containers": [
                {"name": "app", "image": "a"},
                {"name": "istio-proxy", "tty": true, "args": ["proxy"], "image": "proxy"},
                {"name": "extra"}
            ]})
        );
    }

    #[test]
    fn new_items_come_before_the_original_only_ones() {
        let mut pod = json!({"volumes": [{"name": "certs"}]});
        merge(
            &mut pod,
            &json!({"volumes": [{"name": "a"}, {"name": "b"}]}),
        );
        assert_eq!(
            pod,
            json!({"volumes": [{"name": "a"}, {"name": "b"}, {"name": "certs"}]})
        );
    }
}
