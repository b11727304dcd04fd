//! The shape of DestinationRule traffic policies: no empty policies, port
//! settings that name a port, tunnels with a valid target.

use super::super::support::{validate_fqdn, validate_port};
use super::super::{Findings, webhook_rule};
use super::{KINDS, traffic_policies};
use crate::mesh::cidr::is_ip_address;
use crate::model::istio::{DestinationRuleSpec, TrafficPolicy, TunnelSettings};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "destinationrule-traffic-policy",
    KINDS,
    "Empty traffic policies, port-level settings without a port, or bad tunnel settings.",
    "A `trafficPolicy` (top-level or in a subset) must set at least one field, and may not set both \
     `tunnel` and `proxyProtocol`. Each `portLevelSettings` entry must name its `port` and set at least \
     one of `loadBalancer`, `connectionPool`, `outlierDetection` or `tls`. A `tunnel` needs a \
     `targetHost` that is a DNS name or an IP address, a `targetPort` in 1..65535, and a `protocol` of \
     `CONNECT` or `POST` when set. Istio's webhook refuses these; remove the empty blocks or complete them.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: egress\nspec:\n  host: egress.example.com\n  trafficPolicy:\n    tunnel: {protocol: GET, targetHost: \"bad host\", targetPort: 8080}\n    portLevelSettings:\n    - tls: {mode: SIMPLE}\n  subsets:\n  - name: v1\n    trafficPolicy: {}\n",
        fires_at: &[
            "spec.trafficPolicy.tunnel.protocol",
            "spec.trafficPolicy.tunnel.targetHost",
            "spec.trafficPolicy.portLevelSettings[0]",
            "spec.subsets[0].trafficPolicy",
        ],
    },
);

pub fn check(spec: &DestinationRuleSpec, found: &mut Findings) {
    for (path, policy) in traffic_policies(spec) {
        check_policy(policy, &path, found);
    }
}

fn check_policy(policy: &TrafficPolicy, path: &str, found: &mut Findings) {
    if *policy == TrafficPolicy::default() {
        found.report(path, "traffic policy must have at least one field");
        return;
    }
    if policy.tunnel.is_some() && policy.proxy_protocol.is_some() {
        found.report(path, "tunnel and proxyProtocol must not be set together");
    }
    for (i, port) in policy.port_level_settings.iter().enumerate() {
        let path = format!("{path}.portLevelSettings[{i}]");
        if port.port.is_none() {
            found.report(&path, "portTrafficPolicy must have valid port");
        }
        let empty = port.connection_pool.is_none()
            && port.load_balancer.is_none()
            && port.outlier_detection.is_none()
            && port.tls.is_none();
        if empty {
            found.report(&path, "port traffic policy must have at least one field");
        }
    }
    if let Some(tunnel) = &policy.tunnel {
        check_tunnel(tunnel, &format!("{path}.tunnel"), found);
    }
}

fn check_tunnel(tunnel: &TunnelSettings, path: &str, found: &mut Findings) {
    if let Some(protocol) = &tunnel.protocol
        && !matches!(protocol.as_str(), "" | "CONNECT" | "POST")
    {
        found.report(
            format!("{path}.protocol"),
            format!("tunnel protocol must be \"CONNECT\" or \"POST\", found {protocol:?}"),
        );
    }
    let host = tunnel.target_host.as_deref().unwrap_or_default();
    if let Err(reason) = validate_fqdn(host)
        && !is_ip_address(host)
    {
        found.report(
            format!("{path}.targetHost"),
            format!("tunnel target host must be valid FQDN or IP address: {reason}; {host} is not a valid IP"),
        );
    }
    if let Err(reason) = validate_port(tunnel.target_port.unwrap_or_default()) {
        found.report(
            format!("{path}.targetPort"),
            format!("tunnel target port is invalid: {reason}"),
        );
    }
}

#[cfg(test)]
mod cases {

    use super::super::traffic_policy_findings as check;

    #[test]
    fn tunnels() {
        assert_eq!(
            check("    tunnel: {targetHost: 10.0.0.1, targetPort: 443}\n"),
            ""
        );
        assert_eq!(
            check("    tunnel: {protocol: POST, targetHost: proxy.example.com, targetPort: 443}\n"),
            ""
        );
        assert!(check("    tunnel: {targetHost: a.com, targetPort: 0}\n").contains("targetPort"));
        assert!(
            check(
                "    tunnel: {targetHost: a.com, targetPort: 1}\n    proxyProtocol: {version: V1}\n"
            )
            .contains("must not be set together")
        );
    }

    #[test]
    fn port_level_settings() {
        assert_eq!(
            check("    portLevelSettings:\n    - port: {number: 80}\n      tls: {mode: DISABLE}\n"),
            ""
        );
        assert!(
            check("    portLevelSettings:\n    - port: {number: 80}\n")
                .contains("at least one field")
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
