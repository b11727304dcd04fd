//! Port protocols, port names and unix socket addresses as Istio reads
//! them; shared with Sidecar.

use super::super::support::{Invalid, is_dns1123_label};

/// How an address names a unix domain socket.
pub const UNIX_PREFIX: &str = "unix://";

/// The protocols Istio knows (`protocol.Parse`, case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Tcp,
    Udp,
    Grpc,
    GrpcWeb,
    Http,
    HttpProxy,
    Http2,
    Https,
    Tls,
    Mongo,
    Redis,
    MySql,
    Unsupported,
}

impl Protocol {
    pub fn parse(text: &str) -> Protocol {
        match text.to_ascii_lowercase().as_str() {
            "tcp" => Protocol::Tcp,
            "udp" => Protocol::Udp,
            "grpc" => Protocol::Grpc,
            "grpc-web" => Protocol::GrpcWeb,
            "http" => Protocol::Http,
            "http_proxy" => Protocol::HttpProxy,
            "http2" => Protocol::Http2,
            "https" => Protocol::Https,
            "tls" => Protocol::Tls,
            "mongo" => Protocol::Mongo,
            "redis" => Protocol::Redis,
            "mysql" => Protocol::MySql,
            _ => Protocol::Unsupported,
        }
    }

    pub fn is_http(self) -> bool {
        matches!(
            self,
            Protocol::Http
                | Protocol::Http2
                | Protocol::HttpProxy
                | Protocol::Grpc
                | Protocol::GrpcWeb
        )
    }

    pub fn is_tcp(self) -> bool {
        matches!(
            self,
            Protocol::Tcp
                | Protocol::Https
                | Protocol::Tls
                | Protocol::Mongo
                | Protocol::Redis
                | Protocol::MySql
        )
    }

    pub fn is_tls(self) -> bool {
        matches!(self, Protocol::Https | Protocol::Tls)
    }
}

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
