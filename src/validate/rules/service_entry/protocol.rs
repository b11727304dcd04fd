//! Port protocols, port names and unix socket addresses as Istio reads
//! them; shared with Sidecar.

use super::super::support::{Invalid, is_dns1123_label};

/// How an address names a unix domain socket.
pub const UNIX_PREFIX: &str = "unix://";

pub use crate::model::protocol::Protocol;

/// An empty protocol means "sniff it"; anything else must be known.
pub fn validate_protocol(text: &str) -> Result<(), Invalid> {
    if !text.is_empty() && Protocol::parse(text) == Protocol::Unsupported {
        return Err(format!("unsupported protocol: {text}"));
    }
    Ok(())
}

pub fn validate_port_name(name: &str) -> Result<(), Invalid> {
    if is_dns1123_label(name) {
        Ok(())
    } else {
        Err(format!("invalid port name: {name:?}"))
    }
}

/// A unix socket path: absolute, not a directory, or an abstract `@name`.
pub fn validate_unix_address(socket: &str) -> Result<(), Invalid> {
    if socket.is_empty() {
        return Err("unix address must not be empty".into());
    }
    if socket.starts_with('@') {
        return Ok(());
    }
    if !socket.starts_with('/') || socket.ends_with('/') {
        return Err(format!("{socket} is not an absolute path to a file"));
    }
    Ok(())
}
