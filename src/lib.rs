//! meshctl: validate, lint, diff and simulate service-mesh configuration.
//!
//! Data flows one way: [`loader`] (bytes to spanned documents) -> [`model`]
//! (typed resources) -> [`mesh`] (Istio's semantics) -> [`snapshot`] (the
//! indexed resource set) -> engines ([`validate`], [`analyze`],
//! [`simulate`]) -> [`report`] (diagnostics and renderers) -> [`cli`];
//! [`rules`] is the registry of every rule; [`cluster`] reads a live
//! cluster's resources into model objects. See ARCHITECTURE.md.

pub mod analyze;
pub mod cli;
pub mod cluster;
pub mod diff;
pub mod inject;
pub mod loader;
pub mod mesh;
pub mod model;
pub mod normal;
pub mod report;
pub mod rules;
pub mod simulate;
pub mod snapshot;
pub mod validate;
