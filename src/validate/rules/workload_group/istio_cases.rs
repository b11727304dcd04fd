//! Istio's own validation table for WorkloadGroup, replayed as YAML.

use super::super::support::istio_table::{Case, Verdict, assert_table};
use Verdict::*;

const NO: &str = "";

#[test]
fn istio_table() {
    let cases: &[Case] = &[
        ("valid", NO, "  template: {}\n", Clean),
        (
            "invalid",
            NO,
            "  template: {}\n  metadata: {labels: {\".\": \"~\"}}\n",
            Invalid,
        ),
        (
            "probe missing method",
            NO,
            "  template: {}\n  probe: {}\n",
            Invalid,
        ),
        // The CRD requires the port, so the schema refuses these first.
        (
            "probe nil",
            NO,
            "  template: {}\n  probe: {httpGet: {}}\n",
            Schema,
        ),
        (
            "probe http empty",
            NO,
            "  template: {}\n  probe: {httpGet: {}}\n",
            Schema,
        ),
        (
            "probe http valid",
            NO,
            "  template: {}\n  probe: {httpGet: {port: 5}}\n",
            Clean,
        ),
        (
            "probe tcp invalid",
            NO,
            "  template: {}\n  probe: {tcpSocket: {}}\n",
            Schema,
        ),
        (
            "probe tcp valid",
            NO,
            "  template: {}\n  probe: {tcpSocket: {port: 5}}\n",
            Clean,
        ),
        (
            "probe exec invalid",
            NO,
            "  template: {}\n  probe: {exec: {}}\n",
            Schema,
        ),
        (
            "probe exec valid",
            NO,
            "  template: {}\n  probe: {exec: {command: [foo, bar]}}\n",
            Clean,
        ),
        // Beyond the table: the port must be a port, even where the CRD takes 0.
        (
            "probe http port 0",
            NO,
            "  template: {}\n  probe: {httpGet: {port: 0}}\n",
            Invalid,
        ),
        ("template required", NO, "  {}\n", Schema),
    ];
    assert_table("WorkloadGroup", "default", cases);
}
