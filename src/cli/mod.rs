//! The command line: parses arguments, runs an engine, renders its result,
//! and turns it into an exit code. The only module that prints.
//!
//! A command is a thin file: its flags (`args.rs`), the shared input
//! pipeline (`inputs.rs`), an engine, a renderer from `report/`, and an
//! [`outcome::Outcome`] that `main` alone turns into stderr and the exit
//! status of CLI.md: 0 nothing at or above the failure threshold; 1 findings
//! at or above it; 2 the command could not do its job.

mod analyze;
mod args;
mod cluster;
mod completions;
mod diff;
mod findings;
mod inject;
mod inputs;
mod lint;
mod outcome;
mod output;
mod parse;
mod project_config;
mod schema;
mod simulate;
mod validate;
mod version;

use std::io;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

pub use args::Cli;
use args::Command;
pub use completions::completion_script;
use outcome::{CliError, EXIT_CANNOT_RUN, EXIT_CLEAN, Outcome, Status};
use output::Stdout;

/// Runs meshctl with the process arguments: the one place that writes a
/// command's failure to stderr and turns its outcome into the exit status.
pub fn main() -> ExitCode {
    let (name, cli) = match parse_arguments() {
        Ok(parsed) => parsed,
        Err(error) => {
            // --help and --version are "errors" to clap; they print to stdout.
            let code = if error.use_stderr() {
                EXIT_CANNOT_RUN
            } else {
                EXIT_CLEAN
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let mut out = Stdout::new();
    let ran = run(cli, &mut out);
    let outcome = match out.finish() {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => Err(CliError::CannotRun(
            format!("cannot write the report: {error}"),
        )),
        // A closed pipe (`meshctl ... | head`) is the reader's choice, not a
        // failure: the status is still the one the findings give, so a
        // pipeline with `pipefail` fails however much of the report was read.
        Err(_) => ran,
        Ok(()) => ran,
    };
    ExitCode::from(match outcome {
        Ok(status) => status.exit_code(),
        Err(error) => {
            for line in error.lines(&name) {
                output::stderr_line(&line);
            }
            error.exit_code()
        }
    })
}

/// The command line, and the name of the command it runs (for messages).
fn parse_arguments() -> Result<(String, Cli), clap::Error> {
    let matches = Cli::command().try_get_matches()?;
    let name = matches.subcommand_name().unwrap_or_default().to_string();
    Ok((name, Cli::from_arg_matches(&matches)?))
}

fn run(cli: Cli, out: &mut Stdout) -> Outcome {
    match cli.command {
        Command::Validate(args) => validate::run(&args, out),
        Command::Schema(args) => schema::run(&args, out),
        Command::Explain(args) => explain(&args, out),
        Command::Completions(args) => completions::run(args.shell, out),
        Command::Lint(args) => lint::run(&args, out),
        Command::Analyze(args) => analyze::run(&args, out),
        Command::Diff(args) => diff::run(&args, out),
        Command::Parse(args) => parse::run(&args, out),
        Command::Simulate(args) => simulate::run(&args, out),
        Command::KubeInject(args) => inject::run(&args, out),
        Command::Version => version::run(out),
    }
}

fn explain(args: &args::ExplainArgs, out: &mut Stdout) -> Outcome {
    if args.list {
        for rule in crate::rules::all() {
            out.write_str(&format!(
                "{}  {:<8} {:<24} {}\n",
                rule.code, rule.level, rule.name, rule.summary
            ));
        }
        return Ok(Status::Clean);
    }
    let code = args.code.as_deref().unwrap_or_default();
    let rules = crate::rules::find(code);
    if rules.is_empty() {
        return Err(CliError::CannotRun(format!(
            "no rule has the code or name {code:?}; `meshctl explain --list` lists them"
        )));
    }
    let pages: Vec<String> = rules.into_iter().map(crate::rules::explain).collect();
    out.write_str(&pages.join("\n"));
    Ok(Status::Clean)
}
