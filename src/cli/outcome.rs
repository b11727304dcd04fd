//! How a command ends, as CLI.md's exit statuses: every command returns an
//! [`Outcome`], and `cli::main` alone turns it into stderr and an exit code.

/// A command that did its job: 0 or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing at or above the failure threshold.
    Clean,
    /// Findings at or above the failure threshold (for `diff`: differences).
    Findings,
}

/// A command that could not do its job: exit 2, with the reason on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// Bad flags, an unreadable path, a broken configuration file...
    CannotRun(String),
    /// Errors in the configuration of a command that runs only on valid
    /// configuration (`simulate`), each as `file:line:col: CODE message`.
    InvalidConfig(Vec<String>),
}

pub type Outcome = Result<Status, CliError>;

pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_CANNOT_RUN: u8 = 2;

impl Status {
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Clean => EXIT_CLEAN,
            Status::Findings => EXIT_FINDINGS,
        }
    }
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        EXIT_CANNOT_RUN
    }

    /// The lines for stderr; the last one names the command.
    pub fn lines(&self, command: &str) -> Vec<String> {
        match self {
            CliError::CannotRun(reason) => vec![format!("meshctl {command}: {reason}")],
            CliError::InvalidConfig(errors) => {
                let mut lines = errors.clone();
                lines.push(format!(
                    "meshctl {command}: the configuration has {} error(s); {command} runs only on valid configuration",
                    errors.len()
                ));
                lines
            }
        }
    }
}

impl From<String> for CliError {
    fn from(reason: String) -> Self {
        CliError::CannotRun(reason)
    }
}

impl From<&str> for CliError {
    fn from(reason: &str) -> Self {
        CliError::CannotRun(reason.to_string())
    }
}
