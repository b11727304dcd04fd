//! The command line: parses arguments, runs an engine, renders its result,
//! and turns it into an exit code. The only module that prints.
//!
//! Exit codes (CLI.md): 0 nothing at or above the failure threshold; 1
//! findings at or above it; 2 the command could not do its job.

mod args;
mod completions;
mod lint;
mod output;
mod project_config;
mod schema;
mod simulate;
mod validate;

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use clap::Parser;

pub use args::Cli;
use args::Command;
pub use completions::completion_script;
use output::Stdout;

/// Exit statuses.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Runs meshctl with the process arguments.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // --help and --version are "errors" to clap; they print to stdout.
            let code = if error.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_OK
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let mut out = Stdout::new();
    let status = run(cli, &mut out);
    match out.finish() {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("meshctl: cannot write the report: {error}");
            ExitCode::from(EXIT_ERROR)
        }
        // A closed pipe (`meshctl ... | head`) is the reader's choice, not a failure.
        Err(_) => ExitCode::from(EXIT_OK),
        Ok(()) => ExitCode::from(status),
    }
}

fn run(cli: Cli, out: &mut Stdout) -> u8 {
    match cli.command {
        Command::Validate(args) => validate::run(&args, out),
        Command::Schema(args) => schema::run(&args, out),
        Command::Explain(args) => explain(&args, out),
        Command::Completions(args) => completions::run(args.shell, out),
        Command::Lint(args) => lint::run(&args, out),
        Command::Analyze(_) => not_built("analyze", "live-cluster analysis"),
        Command::Diff(_) => not_built("diff", "semantic diff"),
        Command::Simulate(args) => simulate::run(&args, out),
        Command::KubeInject(_) => not_built("kube-inject", "sidecar injection"),
    }
}

/// Commands whose engine is not in this build say so; they never print
/// anything that could pass for a result.
fn not_built(command: &str, what: &str) -> u8 {
    eprintln!(
        "meshctl {command}: the {what} engine is not built yet in meshctl {}",
        env!("CARGO_PKG_VERSION")
    );
    EXIT_ERROR
}

fn explain(args: &args::ExplainArgs, out: &mut Stdout) -> u8 {
    if args.list {
        for rule in crate::rules::all() {
            out.write_str(&format!(
                "{}  {:<8} {:<24} {}\n",
                rule.code, rule.level, rule.name, rule.summary
            ));
        }
        return EXIT_OK;
    }
    let code = args.code.as_deref().unwrap_or_default();
    let rules = crate::rules::find(code);
    if rules.is_empty() {
        eprintln!(
            "meshctl explain: no rule has the code or name {code:?}; `meshctl explain --list` lists them"
        );
        return EXIT_ERROR;
    }
    let pages: Vec<String> = rules.into_iter().map(crate::rules::explain).collect();
    out.write_str(&pages.join("\n"));
    EXIT_OK
}

/// Whether the text report may use colour: only on a terminal, and never
/// when NO_COLOR is set (https://no-color.org).
fn color_wanted(choice: args::ColorChoice) -> bool {
    match choice {
        args::ColorChoice::Always => true,
        args::ColorChoice::Never => false,
        args::ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}
