//! Every integration test, in one binary: each test file used to be its own
//! binary linking the whole crate and its test dependencies, and linking
//! them was most of a cold `cargo test`. A new test file is a module here.

mod apiserver;
mod cli;
mod cluster;
mod common;
mod conformance;
mod crd;
mod diff;
mod editor_ci;
mod envoy_filter;
mod fuzz;
mod fuzz_config;
mod generated_files;
mod hostile;
mod inject;
mod lint;
mod loader_properties;
mod parse;
mod reference_schemas;
mod report_properties;
mod scenarios;
mod schema_accepts;
mod simulate;
mod validate_properties;
