//! `meshctl parse`: every resource in meshctl's normal form, with its
//! source, as YAML documents or one JSON array. Resources with errors are
//! still printed; the errors go to stderr and the exit status is 1.

use rayon::prelude::*;
use serde_json::Value as Json;

use super::args::{ParseArgs, YamlOrJson};
use super::inputs::Inputs;
use super::outcome::{Outcome, Status};
use super::output::Stdout;
use crate::normal::Normal;
use crate::report::to_yaml;

pub fn run(args: &ParseArgs, out: &mut Stdout) -> Outcome {
    let inputs = Inputs::gather(&args.input)?;
    let mut loaded = inputs.load()?;
    let errors = inputs.errors(&mut loaded);
    let resources: Vec<Json> = loaded
        .objects
        .par_iter()
        .map(|object| Normal::of(object).to_json())
        .collect();
    match args.output {
        YamlOrJson::Json => {
            let json = serde_json::to_string_pretty(&resources).map_err(|e| e.to_string())?;
            out.write_str(&json);
            out.write_str("\n");
        }
        YamlOrJson::Yaml => {
            for resource in &resources {
                out.write_str("---\n");
                out.write_str(&to_yaml(resource));
            }
        }
    }
    for line in &errors {
        super::output::stderr_line(line);
    }
    Ok(if errors.is_empty() {
        Status::Clean
    } else {
        Status::Findings
    })
}
