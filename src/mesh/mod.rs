//! Istio's mesh semantics, one home each: what a host name means in a
//! namespace, who sees a resource (`exportTo`), which Gateway a reference
//! names, IP addresses and CIDR blocks, durations, label selectors, regular
//! expressions as RE2 reads them, and the Gateway API's ReferenceGrants and
//! ListenerSets.
//!
//! The engines (validate, analyze, simulate) and the snapshot read these
//! rules from here, so a fix to one of them reaches every command. The layer
//! sits above `model` and below `snapshot`: plain functions over strings and
//! maps, no I/O. Each rule follows Istio's own code (named in the docs), so
//! where meshctl's engines once disagreed, Istio decides.

pub mod cidr;
pub mod duration;
pub mod gateway;
pub mod gateway_class;
pub mod host;
pub mod listener_set;
pub mod re2;
pub mod reference_grant;
pub mod selector;
pub mod visibility;
