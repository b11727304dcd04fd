//! The `WorkloadEntry` spec: the same message as a ServiceEntry's endpoints
//! (`WorkloadEntry` in service_entry.rs), served as a kind of its own.

use super::*;

/// `WorkloadEntry` in the Istio API.
pub type WorkloadEntrySpec = WorkloadEntry;
