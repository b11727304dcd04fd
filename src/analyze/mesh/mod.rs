//! meshctl's own analyzers, beyond istioctl's (MSH3xxx codes).

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[];
