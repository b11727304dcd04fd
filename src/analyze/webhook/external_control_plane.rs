//! The webhooks of a cluster run by an external control plane (IST0163,
//! IST0164): Istio's injection and validation webhooks must reach istiod
//! through a Service or a URL, and a URL should name a host, not an IP.

use super::super::{Analyzer, Report};
use super::webhooks;

use crate::loader::{Node, Value};
use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static INVALID_CONFIG: Rule = Rule {
    code: "IST0163",
    name: "invalid-external-control-plane-config",
    level: Level::Warning,
    summary: "An Istio webhook with neither a Service nor a usable URL to reach istiod.",
    kinds: &[
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    ],
    explanation: "With an external control plane, the remote cluster's injection and \
        validation webhooks (`istio-sidecar-injector*`, `istio-validator*`, \
        `istiod-default-validator`) reach istiod through `clientConfig.url`, the external \
        control plane's ingress gateway. A webhook with neither `url` nor `service`, or with a \
        URL that does not parse, reaches nothing: pods are created without sidecars, or \
        configuration without validation.",
    example: Example {
        yaml: "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: istio-sidecar-injector-external-istiod\nwebhooks:\n- name: namespace.sidecar-injector.istio.io\n  admissionReviewVersions: [v1]\n  clientConfig:\n    url:\n",
        fires_at: &["webhooks[0].clientConfig"],
    },
};

pub static ADDRESS_IS_IP: Rule = Rule {
    code: "IST0164",
    name: "external-control-plane-address-is-not-a-hostname",
    level: Level::Info,
    summary: "An Istio webhook that reaches the external control plane by IP address.",
    kinds: &[
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    ],
    explanation: "The webhook URL of an external control plane names its ingress gateway by \
        IP address. The gateway's certificate is then checked against an IP, and the address \
        changes when the load balancer is recreated. Give the gateway a DNS name and use it in \
        the URL.",
    example: Example {
        yaml: "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: istio-sidecar-injector-external-istiod\nwebhooks:\n- name: namespace.sidecar-injector.istio.io\n  admissionReviewVersions: [v1]\n  clientConfig:\n    url: https://10.0.0.1:15017/inject\n",
        fires_at: &["webhooks[0].clientConfig.url"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "externalcontrolplane.ExternalControlPlaneAnalyzer",
    rules: &[&INVALID_CONFIG, &ADDRESS_IS_IP],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    let validators = snapshot
        .of_kind("ValidatingWebhookConfiguration")
        .filter(|o| o.name == "istiod-default-validator" || o.name.starts_with("istio-validator"));
    let injectors = snapshot
        .of_kind("MutatingWebhookConfiguration")
        .filter(|o| o.name.starts_with("istio-sidecar-injector"));
    for config in validators.chain(injectors) {
        for (i, webhook) in webhooks(config.tree()).iter().enumerate() {
            check_client_config(
                config,
                webhook,
                &format!("webhooks[{i}].clientConfig"),
                report,
            );
        }
    }
}

fn check_client_config(config: &Object, webhook: &Node, path: &str, report: &mut Report) {
    let name = webhook.get_str("name").unwrap_or_default();
    let client = webhook.get("clientConfig");
    let present = |key| {
        client
            .and_then(|c| c.get(key))
            .filter(|n| !matches!(n.value, Value::Null))
    };
    match present("url").map(|u| u.as_str()) {
        Some(Some(url)) => match url_host(url) {
            None => report.report(
                &INVALID_CONFIG,
                config,
                &format!("{path}.url"),
                format!("webhook {name:?}: the URL {url:?} does not parse; the webhook cannot reach the external control plane"),
            ),
            Some(host) if crate::mesh::cidr::is_ip_address(host) => report.report(
                &ADDRESS_IS_IP,
                config,
                &format!("{path}.url"),
                format!("webhook {name:?} reaches the external control plane at the IP address {host}; a host name is recommended in production"),
            ),
            Some(_) => {}
        },
        // A URL of another type is the schema's to report.
        Some(None) => {}
        None if present("service").is_none() => report.report_with_help(
            &INVALID_CONFIG,
            config,
            path,
            format!("webhook {name:?} has neither a URL nor a Service: it cannot reach the external control plane"),
            "set clientConfig.url to the external control plane's ingress gateway",
        ),
        None => {}
    }
}

/// The host of a URL as Go's `url.Parse(u).Hostname()` gives it (without
/// brackets around an IPv6 address); `None` when Go would refuse the URL.
fn url_host(url: &str) -> Option<&str> {
    if url.chars().any(|c| c.is_ascii_control() || c == ' ') {
        return None;
    }
    let rest = url.split_once("://").map_or("", |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(bracketed) = host_port.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']')?;
        return (after.is_empty() || after.starts_with(':')).then_some(host);
    }
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, ""));
    port.chars().all(|c| c.is_ascii_digit()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        INVALID_CONFIG,
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: istiod-default-validator\nwebhooks:\n- name: validation.istio.io\n  admissionReviewVersions: [v1]\n  clientConfig:\n    url: https://istiod.example.com:15017/validate\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: istio-sidecar-injector\nwebhooks:\n- name: sidecar-injector.istio.io\n  admissionReviewVersions: [v1]\n  clientConfig:\n    service: {name: istiod, namespace: istio-system}\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: other-injector\nwebhooks:\n- name: inject.example.com\n  admissionReviewVersions: [v1]\n  clientConfig: {}\n"
    );

    #[test]
    fn an_ip_address_is_reported_a_host_name_is_not() {
        insta::assert_snapshot!(findings_of(&ADDRESS_IS_IP, ADDRESS_IS_IP.example.yaml));
        let ipv6 = ADDRESS_IS_IP
            .example
            .yaml
            .replace("10.0.0.1", "[2001:db8::1]");
        assert!(findings_of(&ADDRESS_IS_IP, &ipv6).contains("2001:db8::1"));
        let named = ADDRESS_IS_IP
            .example
            .yaml
            .replace("10.0.0.1", "istiod.example.com");
        assert_eq!(findings_of(&ADDRESS_IS_IP, &named), "");
    }

    #[test]
    fn url_hosts_as_go_reads_them() {
        assert_eq!(
            url_host("https://user@host.example:443/x"),
            Some("host.example")
        );
        assert_eq!(url_host("https://[::1]:15017/inject"), Some("::1"));
        assert_eq!(url_host("https://host:port/"), None);
        assert_eq!(url_host("https://ho st/"), None);
    }
}
