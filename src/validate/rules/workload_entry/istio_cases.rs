//! Istio's own validation table for WorkloadEntry, replayed as YAML.

use super::super::support::istio_table::{Case, Verdict, assert_table};
use Verdict::*;

const NO: &str = "";

#[test]
fn istio_table() {
    let cases: &[Case] = &[
        ("valid", NO, "  address: 1.2.3.4\n", Clean),
        ("missing address", NO, "  {}\n", Invalid),
        (
            "missing address with network",
            NO,
            "  network: network-2\n",
            Warn,
        ),
        (
            "valid unix endpoint",
            NO,
            "  address: unix:///lon/google/com\n",
            Clean,
        ),
        (
            "invalid unix endpoint",
            NO,
            "  address: unix:///lon/google/com\n  ports: {\"7777\": 7777}\n",
            Invalid,
        ),
        (
            "valid FQDN",
            NO,
            "  address: validdns.com\n  ports: {\"7777\": 7777}\n",
            Clean,
        ),
        (
            "invalid FQDN",
            NO,
            "  address: invaliddns.com:9443\n  ports: {\"7777\": 7777}\n",
            Invalid,
        ),
        (
            "valid IP",
            NO,
            "  address: 172.16.1.1\n  ports: {\"7777\": 7777}\n",
            Clean,
        ),
    ];
    assert_table("WorkloadEntry", "default", cases);
}
