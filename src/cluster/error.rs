//! Why a cluster could not be read, in one line that names the cause, the
//! context and the server (CLI.md: exit 2 with one line on stderr).

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use super::connect::Names;

/// A read that could not be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterError {
    line: String,
}

impl ClusterError {
    pub(super) fn new(cause: Cause, names: &Names) -> Self {
        // A parser's message may go on with a snippet of the file: its
        // first line says what is wrong.
        let cause = cause.to_string();
        let cause = cause.lines().next().unwrap_or_default();
        let line = format!(
            "{cause} (context {:?}, server {})",
            names.context, names.server
        );
        // One line, whatever the server or a plugin wrote.
        ClusterError {
            line: line.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }
}

impl fmt::Display for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line)
    }
}

impl StdError for ClusterError {}

/// What went wrong, before the cluster's names are added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Cause {
    /// No kubeconfig, an unreadable or broken one, an unknown context.
    Kubeconfig(String),
    /// Nothing answers at the server's address.
    Unreachable(String),
    /// The server's certificate does not verify against the kubeconfig's CA.
    Tls(String),
    /// The credentials could not be obtained (exec plugin, token file).
    Credentials(String),
    /// 401: the server rejected the credentials.
    Unauthorized(String),
    /// 403 where the caller cannot go on without the resource.
    Forbidden(String),
    /// `--timeout` ran out while this was being read.
    Timeout { what: String, after: Duration },
    /// Any other answer that is not what a Kubernetes API server sends.
    Server(String),
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Kubeconfig(e) => write!(f, "cannot use the kubeconfig: {e}"),
            Cause::Unreachable(e) => write!(f, "cannot reach the cluster: {e}"),
            Cause::Tls(e) => write!(
                f,
                "the server's certificate is not trusted by the kubeconfig's certificate authority: {e}"
            ),
            Cause::Credentials(e) => write!(f, "cannot get credentials for the cluster: {e}"),
            Cause::Unauthorized(e) => write!(
                f,
                "the cluster rejected the credentials (401 Unauthorized): {e}"
            ),
            Cause::Forbidden(e) => {
                write!(f, "the cluster refused the request (403 Forbidden): {e}")
            }
            Cause::Timeout { what, after } => write!(
                f,
                "--timeout {}s ran out while listing {what}",
                after.as_secs_f64()
            ),
            Cause::Server(e) => write!(f, "the cluster's answer cannot be used: {e}"),
        }
    }
}

/// What a failed request means; `what` names the request for a timeout.
pub(super) fn classify(error: &kube::Error) -> Cause {
    match error {
        kube::Error::Api(status) => match status.code {
            401 => Cause::Unauthorized(status.message.clone()),
            403 => Cause::Forbidden(status.message.clone()),
            code => Cause::Server(format!("{code} {}: {}", status.reason, status.message)),
        },
        kube::Error::Auth(kube::client::AuthError::AuthExecRun { cmd, out }) => {
            Cause::Credentials(exec_failure(cmd, out))
        }
        kube::Error::Auth(_) => Cause::Credentials(chain(error)),
        kube::Error::HyperError(_) | kube::Error::Service(_) => {
            let text = chain(error);
            if is_certificate_error(error) {
                Cause::Tls(text)
            } else {
                Cause::Unreachable(text)
            }
        }
        _ => Cause::Server(chain(error)),
    }
}

/// Whether the request may succeed if sent again: the server was busy
/// (429), failed on its side (5xx), or the connection was reset.
pub(super) fn is_transient(error: &kube::Error) -> bool {
    match error {
        kube::Error::Api(status) => status.code == 429 || status.code >= 500,
        kube::Error::HyperError(_) | kube::Error::Service(_) => sources(error).any(|e| {
            e.downcast_ref::<std::io::Error>().is_some_and(|io| {
                matches!(
                    io.kind(),
                    std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::BrokenPipe
                        | std::io::ErrorKind::UnexpectedEof
                )
            }) || e
                .downcast_ref::<hyper::Error>()
                .is_some_and(|h| h.is_incomplete_message() || h.is_closed())
        }),
        _ => false,
    }
}

/// A server certificate rustls refused. hyper-util hands the TLS error up
/// as text inside its connect error, so the text is what tells.
fn is_certificate_error(error: &kube::Error) -> bool {
    sources(error).any(|e| {
        e.downcast_ref::<rustls::Error>().is_some()
            || e.to_string().contains("invalid peer certificate")
    })
}

/// An exec credential plugin that exited with an error: the plugin's
/// path, its exit status and the first line it wrote on stderr (kube's
/// own message also holds the whole environment handed to the plugin).
fn exec_failure(cmd: &str, out: &std::process::Output) -> String {
    // kube writes the command as `KUBERNETES_EXEC_INFO="{...}" "PATH" "ARG"...`.
    let plugin = cmd
        .split(" \"")
        .nth(1)
        .map_or(cmd, |rest| rest.split('"').next().unwrap_or(rest));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let said = stderr
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("nothing on stderr");
    format!("the exec plugin {plugin} failed ({}): {said}", out.status)
}

fn sources<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |e: &&'a (dyn StdError + 'static)| {
        (*e).source()
    })
}

/// The error and its sources, each said once: kube's messages repeat
/// their source's text, so a message already inside the previous one is
/// left out.
fn chain(error: &kube::Error) -> String {
    let mut said: Vec<String> = Vec::new();
    for e in sources(error).skip(1) {
        let text = e.to_string();
        if said.last().is_none_or(|last| !last.contains(&text)) {
            said.push(text);
        }
    }
    if said.is_empty() {
        error.to_string()
    } else {
        said.join(": ")
    }
}
