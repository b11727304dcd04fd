//! `meshctl validate`: each resource on its own.

use super::args::ValidateArgs;
use super::findings;
use super::inputs::Inputs;
use super::outcome::Outcome;
use super::output::Stdout;

pub fn run(args: &ValidateArgs, out: &mut Stdout) -> Outcome {
    let outcome = validate_files(args, out);
    findings::on_failure(outcome, "validate", &args.report, out)
}

fn validate_files(args: &ValidateArgs, out: &mut Stdout) -> Outcome {
    let inputs = Inputs::gather(&args.input)?.with_custom_kinds(&args.custom_kinds)?;
    let validated = inputs.validate()?;
    findings::report(
        validated.diagnostics,
        validated.stats,
        &args.report,
        &inputs,
        out,
    )
}
