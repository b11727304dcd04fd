//! The text report of `meshctl simulate`: the request, the trace, then the
//! outcome. (`-o json` is the [`Simulation`] serialised as it is.)

use std::fmt::Write as _;

use crate::simulate::{AuthzDecision, Options, Protocol, Simulation};

/// The text report: the request, the trace, then the outcome; what comes
/// from the input (names, hosts, headers) is escaped for the terminal.
pub fn render_simulation(sim: &Simulation, options: &Options) -> String {
    let mut s = String::new();
    let through = if sim.through == "mesh" {
        "a sidecar (mesh)".to_string()
    } else {
        format!("Gateway {}", sim.through)
    };
    let _ = writeln!(s, "request   {}", sim.request);
    let _ = writeln!(
        s,
        "from      namespace {}, through {through}",
        sim.source_namespace
    );
    let _ = writeln!(s, "host      {}", sim.host);
    if let Some(sni) = &sim.sni {
        let _ = writeln!(s, "sni       {sni}");
    }
    let _ = writeln!(s, "\ntrace");
    for step in &sim.trace {
        let indent = "  ".repeat(usize::from(step.depth) + 1);
        let _ = writeln!(
            s,
            "{indent}{:<8} {}: {}",
            step.verdict.as_str(),
            step.subject,
            step.detail
        );
    }
    let _ = writeln!(s, "\nresult");
    let l4 = match (sim.tcp_route_index, sim.tls_route_index) {
        (Some(i), _) => Some(format!("tcp[{i}]")),
        (_, Some(i)) => Some(format!("tls[{i}]")),
        _ => None,
    };
    let route = match (&sim.virtual_service, sim.http_route_index, &l4) {
        _ if let Some(origin) = &sim.gateway_api_route => origin.label(),
        (Some(vs), None, Some(l4)) => {
            let mut r = format!("VirtualService {vs} {l4}");
            if let Some(k) = sim.match_index {
                let _ = write!(r, " match[{k}]");
            }
            r
        }
        (Some(vs), Some(i), _) => {
            let mut r = format!("VirtualService {vs} http[{i}]");
            if let Some(name) = &sim.http_route_name {
                let _ = write!(r, " ({name})");
            }
            if let Some(k) = sim.match_index {
                let _ = write!(r, " match[{k}]");
            }
            if let (Some(d), Some(j)) = (&sim.delegate, sim.delegate_route_index) {
                let _ = write!(r, ", delegate {d} http[{j}]");
            }
            r
        }
        _ => "no VirtualService route".to_string(),
    };
    let _ = writeln!(
        s,
        "  matched        {}: {route}",
        if sim.matched { "yes" } else { "no" }
    );
    if let Some(reason) = &sim.reason {
        let _ = writeln!(s, "  reason         {reason}");
    }
    for d in &sim.destinations {
        let mut line = d.host.clone();
        if let Some(subset) = &d.subset {
            let _ = write!(line, " subset {subset}");
        }
        if let Some(port) = d.port {
            let _ = write!(line, " port {port}");
        }
        let _ = writeln!(
            s,
            "  destination    {line} weight {} ({:.2}%)",
            d.weight,
            d.share * 100.0
        );
        if let Some(dr) = &d.destination_rule {
            let _ = writeln!(s, "                 DestinationRule {dr}");
        }
        if let Some(labels) = &d.subset_labels {
            let parts: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let _ = writeln!(s, "                 subset labels {}", parts.join(","));
        }
        if !d.workloads.is_empty() {
            let _ = writeln!(s, "                 workloads {}", d.workloads.join(", "));
        }
        if let Some(policy) = &d.traffic_policy {
            let _ = writeln!(s, "                 traffic policy {policy}");
        }
        if let Some(headers) = &d.headers {
            let _ = writeln!(s, "                 headers {headers}");
        }
        if let Some(problem) = &d.problem {
            let _ = writeln!(s, "                 problem: {problem}");
        }
    }
    if let Some(r) = &sim.redirect {
        let _ = writeln!(s, "  redirect       {} {}", r.redirect_code, r.location);
    }
    if let Some(d) = &sim.direct_response {
        let body = d
            .body
            .as_deref()
            .map(|b| format!(" {b:?}"))
            .unwrap_or_default();
        let _ = writeln!(s, "  direct reply   {}{body}", d.status);
    }
    if let Some(r) = &sim.rewrite {
        let mut what = Vec::new();
        if let Some(uri) = &r.uri {
            what.push(format!("uri {uri:?}"));
        }
        if let Some(re) = &r.uri_regex_rewrite {
            what.push(format!("uriRegexRewrite {re}"));
        }
        if let Some(a) = &r.authority {
            what.push(format!("authority {a:?}"));
        }
        let _ = writeln!(
            s,
            "  rewrite        {}: path becomes {:?}",
            what.join(", "),
            r.path
        );
    }
    if !sim.destinations.is_empty() && sim.protocol == Protocol::Http {
        let timeout = sim.timeout.as_deref().unwrap_or("none (disabled)");
        let _ = writeln!(s, "  timeout        {timeout}");
    }
    if let Some(r) = &sim.retries {
        let line = if r.attempts == 0 {
            "off".to_string()
        } else {
            let mut line = format!(
                "{} attempts on {}",
                r.attempts,
                r.retry_on.as_deref().unwrap_or("")
            );
            if let Some(t) = &r.per_try_timeout {
                let _ = write!(line, ", {t} per try");
            }
            if let Some(b) = &r.backoff {
                let _ = write!(line, ", {b} backoff");
            }
            if r.default {
                line.push_str(" (Istio's default)");
            }
            line
        };
        let _ = writeln!(s, "  retries        {line}");
    }
    if let Some(f) = &sim.fault {
        if let Some(d) = &f.delay {
            let _ = writeln!(
                s,
                "  fault delay    {} on {}% of requests",
                d.fixed_delay.as_deref().unwrap_or("(exponential)"),
                d.percentage
            );
        }
        if let Some(a) = &f.abort {
            let status = match (a.http_status, &a.grpc_status) {
                (Some(h), _) => format!("HTTP {h}"),
                (None, Some(g)) => format!("gRPC {g}"),
                _ => "(unsupported)".into(),
            };
            let _ = writeln!(
                s,
                "  fault abort    {status} on {}% of requests",
                a.percentage
            );
        }
    }
    for m in &sim.mirrors {
        let subset = m
            .subset
            .as_deref()
            .map(|x| format!(" subset {x}"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  mirror         {}{subset} ({}% of requests)",
            m.host, m.percentage
        );
    }
    if let Some(h) = &sim.headers {
        let _ = writeln!(s, "  headers        {h}");
    }
    if let (Some(counts), Some(expected)) = (&sim.counts, &sim.expected) {
        let total = options.count.unwrap_or(0);
        let _ = writeln!(
            s,
            "  counts         {total} requests, seed {}",
            options.seed
        );
        let width = counts.keys().map(String::len).max().unwrap_or(0);
        for (key, n) in counts {
            let e = expected.get(key).and_then(|v| v.as_f64()).unwrap_or(0.0);
            let share = if total == 0 {
                0.0
            } else {
                e / total as f64 * 100.0
            };
            let _ = writeln!(
                s,
                "                 {key:<width$}  {:>10}  expected {e:.1} ({share:.2}%)",
                n.as_u64().unwrap_or(0)
            );
        }
        if let Some(f) = &sim.fault_counts {
            let _ = writeln!(
                s,
                "                 delayed {}, aborted {}",
                f.delayed, f.aborted
            );
        }
    }
    if let Some(a) = &sim.authorization {
        let by = match (&a.policy, a.rule_index) {
            (Some(p), Some(i)) => format!("by {p} rules[{i}]"),
            _ if a.decision == AuthzDecision::Deny => "no ALLOW policy matches".to_string(),
            _ => "no policy decides".to_string(),
        };
        let _ = writeln!(
            s,
            "  authorization  {} {by} (at {})",
            a.decision.as_str(),
            a.workload
        );
        if let Some(c) = &a.custom {
            let _ = writeln!(
                s,
                "                 CUSTOM policy {c} matched: its provider decides first"
            );
        }
    }
    super::terminal_safe(&s).into_owned()
}
