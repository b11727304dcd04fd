//! Analyzers of multi-cluster and multi-network meshes.

mod mesh_networks;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[&mesh_networks::ANALYZER];
