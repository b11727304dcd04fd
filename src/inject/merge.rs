//! Kubernetes' strategic merge, for the pod fields injection touches: a
//! template (or a user's container) laid over a pod. Mappings merge key by
//! key; lists Kubernetes merges by a key (containers, volumes, env, ports,
//! mounts) merge item by item, in place, new items appended; other lists
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

fn merge_lists(items: &mut Vec<Json>, patch: &[Json], key: &str) {
    for new in patch {
        let id = new.get(key);
        match items
            .iter_mut()
            .find(|item| id.is_some() && item.get(key) == id)
        {
            Some(existing) => merge(existing, new),
            None => items.push(new.clone()),
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
}
