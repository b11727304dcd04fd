//! `meshctl completions`.

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;
use super::outcome::{Outcome, Status};
use super::output::Stdout;

/// The completion script for a shell, as committed under `completions/`.
pub fn completion_script(shell: Shell) -> String {
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "meshctl", &mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

pub fn run(shell: Shell, out: &mut Stdout) -> Outcome {
    out.write_str(&completion_script(shell));
    Ok(Status::Clean)
}
