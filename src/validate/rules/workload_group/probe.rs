//! WorkloadGroup: the readiness probe the agent runs on each workload.

use super::super::support::validate_port;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::{ReadinessProbe, WorkloadGroupSpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "workloadgroup-probe",
    KINDS,
    "WorkloadGroup readiness probe that Istio refuses.",
    "A probe must say how to check the workload: one of `httpGet`, `tcpSocket`, `exec` or \
     `grpc` (a probe with none is refused). HTTP and TCP probes need a port from 1 to 65535; \
     an HTTP probe's scheme is `HTTP` or `HTTPS` when given; an exec probe needs a command.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: WorkloadGroup\nmetadata:\n  name: vms\nspec:\n  template: {}\n  probe:\n    httpGet:\n      port: 0\n      scheme: TCP\n",
        fires_at: &["spec.probe.httpGet.port", "spec.probe.httpGet.scheme"],
    },
);

pub fn check(spec: &WorkloadGroupSpec, found: &mut Findings) {
    if let Some(probe) = &spec.probe {
        check_method(probe, found);
    }
}

fn check_method(probe: &ReadinessProbe, found: &mut Findings) {
    if let Some(http) = &probe.http_get {
        check_port("spec.probe.httpGet.port", http.port, found);
        let scheme = http.scheme.as_deref().unwrap_or_default();
        if !matches!(scheme, "" | "HTTP" | "HTTPS") {
            found.report(
                "spec.probe.httpGet.scheme",
                "httpGet.scheme must be one of \"HTTPS\", \"HTTP\"",
            );
        }
    } else if let Some(tcp) = &probe.tcp_socket {
        check_port("spec.probe.tcpSocket.port", tcp.port, found);
    } else if let Some(exec) = &probe.exec {
        if exec.command.is_empty() {
            found.report("spec.probe.exec", "exec.command is required");
        }
    } else if probe.grpc.is_none() {
        // Istio's webhook knows no probe without a method.
        found.report(
            "spec.probe",
            "unknown health check method: set one of httpGet, tcpSocket, exec or grpc",
        );
    }
}

fn check_port(path: &str, port: Option<u32>, found: &mut Findings) {
    if let Err(reason) = validate_port(port.unwrap_or_default()) {
        found.report(path, reason);
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
