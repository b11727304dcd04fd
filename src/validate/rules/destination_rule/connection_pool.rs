//! Connection pool settings: DestinationRule traffic policies here, and the
//! same check for Sidecar ingress listeners (see [`check_connection_pool`]).

use std::time::Duration;

use super::super::support::validate_duration;
use super::super::{Findings, webhook_rule};
use super::{KINDS, settings};
use crate::mesh::duration;
use crate::model::istio::{
    ConnectionPoolSettings, DestinationRuleSpec, H2UpgradePolicy, HttpSettings, TcpSettings,
};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "destinationrule-connection-pool",
    KINDS,
    "Connection pool limits and timeouts that Istio refuses.",
    "A `connectionPool` must set `tcp` or `http`. Its limits (`maxConnections`, \
     `http1MaxPendingRequests`, `http2MaxRequests`, `maxRequestsPerConnection`, `maxRetries`, \
     `maxConcurrentStreams`) may not be negative, its timeouts and keepalive intervals must be at \
     least 1ms in whole milliseconds (a tcp `idleTimeout` of 0s disables it), an `http2KeepAlive` \
     needs both `interval` and `timeout`, and `useClientProtocol` contradicts `h2UpgradePolicy: \
     UPGRADE`. Istio's webhook and the CRD refuse these settings.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  trafficPolicy:\n    connectionPool:\n      tcp: {maxConnections: -1, connectTimeout: 0.5ms}\n      http: {h2UpgradePolicy: UPGRADE, useClientProtocol: true, http2KeepAlive: {interval: 10s}}\n",
        fires_at: &[
            "spec.trafficPolicy.connectionPool.http",
            "spec.trafficPolicy.connectionPool.http.http2KeepAlive",
            "spec.trafficPolicy.connectionPool.tcp.maxConnections",
            "spec.trafficPolicy.connectionPool.tcp.connectTimeout",
        ],
    },
);

pub fn check(spec: &DestinationRuleSpec, found: &mut Findings) {
    for level in settings(spec) {
        if let Some(pool) = level.connection_pool {
            check_connection_pool(pool, &format!("{}.connectionPool", level.path), found);
        }
    }
}

/// Istio's `validateConnectionPool`, reporting under `path`.
pub fn check_connection_pool(pool: &ConnectionPoolSettings, path: &str, found: &mut Findings) {
    if pool.http.is_none() && pool.tcp.is_none() {
        found.report(path, "connection pool must have at least one field");
        return;
    }
    if let Some(http) = &pool.http {
        check_http(http, &format!("{path}.http"), found);
    }
    if let Some(tcp) = &pool.tcp {
        check_tcp(tcp, &format!("{path}.tcp"), found);
    }
}

fn non_negative(value: Option<i32>, field: &str, what: &str, path: &str, found: &mut Findings) {
    if let Some(value) = value.filter(|v| *v < 0) {
        found.report(
            format!("{path}.{field}"),
            format!("{what} must be non-negative, found {value}"),
        );
    }
}

fn duration(value: Option<&String>, field: &str, path: &str, found: &mut Findings) {
    if let Some(text) = value
        && let Err(reason) = validate_duration(text)
    {
        found.report(format!("{path}.{field}"), reason);
    }
}

fn check_http(http: &HttpSettings, path: &str, found: &mut Findings) {
    let limits = [
        (
            http.http1_max_pending_requests,
            "http1MaxPendingRequests",
            "http1 max pending requests",
        ),
        (
            http.http2_max_requests,
            "http2MaxRequests",
            "http2 max requests",
        ),
        (
            http.max_requests_per_connection,
            "maxRequestsPerConnection",
            "max requests per connection",
        ),
        (http.max_retries, "maxRetries", "max retries"),
        (
            http.max_concurrent_streams,
            "maxConcurrentStreams",
            "max concurrent streams",
        ),
    ];
    for (value, field, what) in limits {
        non_negative(value, field, what, path, found);
    }
    duration(http.idle_timeout.as_ref(), "idleTimeout", path, found);
    if http.h2_upgrade_policy == Some(H2UpgradePolicy::Upgrade)
        && http.use_client_protocol == Some(true)
    {
        found.report(
            path,
            "use client protocol must not be true when H2UpgradePolicy is UPGRADE",
        );
    }
    if let Some(keepalive) = &http.http2_keep_alive {
        let at = format!("{path}.http2KeepAlive");
        for (value, field) in [
            (&keepalive.interval, "interval"),
            (&keepalive.timeout, "timeout"),
        ] {
            match value {
                None => found.report(&at, format!("http2 keepalive {field} is required")),
                Some(_) => duration(value.as_ref(), field, &at, found),
            }
        }
    }
}

fn check_tcp(tcp: &TcpSettings, path: &str, found: &mut Findings) {
    non_negative(
        tcp.max_connections,
        "maxConnections",
        "max connections",
        path,
        found,
    );
    duration(tcp.connect_timeout.as_ref(), "connectTimeout", path, found);
    duration(
        tcp.max_connection_duration.as_ref(),
        "maxConnectionDuration",
        path,
        found,
    );
    // A zero idle timeout turns the timeout off, which Istio allows.
    let idle_off = tcp
        .idle_timeout
        .as_deref()
        .and_then(|text| duration::parse(text).ok())
        .is_some_and(|d| d < Duration::from_millis(1));
    if !idle_off {
        duration(tcp.idle_timeout.as_ref(), "idleTimeout", path, found);
    }
    if let Some(keepalive) = &tcp.tcp_keepalive {
        let at = format!("{path}.tcpKeepalive");
        duration(keepalive.time.as_ref(), "time", &at, found);
        duration(keepalive.interval.as_ref(), "interval", &at, found);
    }
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    const HEAD: &str = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  host: r\n  trafficPolicy:\n    connectionPool:\n";

    fn check(body: &str) -> String {
        findings(&format!("{HEAD}{body}"))
    }

    #[test]
    fn pools() {
        assert_eq!(
            check("      tcp: {idleTimeout: 0s, tcpKeepalive: {time: 7200s, interval: 75s}}\n"),
            ""
        );
        assert_eq!(
            check("      http: {http2KeepAlive: {interval: 10s, timeout: 1s}, idleTimeout: 1h}\n"),
            ""
        );
        assert!(
            check("      http: {maxRetries: -1}\n").contains("max retries must be non-negative")
        );
        assert!(check("      tcp: {idleTimeout: 1500us}\n").contains("ms precision"));
        assert!(check("      {}\n").contains("at least one field"));
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
