//! Kubernetes' rules for object and namespace names (apimachinery's
//! `IsDNS1123Subdomain` and `IsDNS1123Label`): lower case only, unlike the
//! host-name labels Istio checks in specs. The API server refuses a custom
//! resource whose name or namespace breaks them.

/// A name for a namespaced or cluster-scoped custom resource: at most 253
/// characters, dot-separated parts of lower-case letters, digits and `-`,
/// each starting and ending with a letter or digit.
pub fn is_object_name(name: &str) -> bool {
    name.len() <= 253 && name.split('.').all(is_lower_dns_label_text)
}

/// A namespace name: one such part, at most 63 characters.
pub fn is_namespace_name(name: &str) -> bool {
    name.len() <= 63 && is_lower_dns_label_text(name)
}

fn is_lower_dns_label_text(part: &str) -> bool {
    let bytes = part.as_bytes();
    !bytes.is_empty()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_kubernetes() {
        for good in ["reviews", "reviews-v1", "a.b.c", "0abc", &"a".repeat(253)] {
            assert!(is_object_name(good), "{good}");
        }
        for bad in [
            "",
            "Bad_Name!",
            "x/y",
            "a b",
            "UPPER",
            "-a",
            "a-",
            "a..b",
            ".a",
            &"a".repeat(254),
        ] {
            assert!(!is_object_name(bad), "{bad}");
        }
        assert!(is_namespace_name("shop-1"));
        for bad in ["a.b", "BAD NS!", "Shop", &"a".repeat(64)] {
            assert!(!is_namespace_name(bad), "{bad}");
        }
    }
}
