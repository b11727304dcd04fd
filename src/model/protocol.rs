//! Istio's protocols, and how it works out the protocol of a Service port
//! (its `appProtocol`, else the port name's prefix before the first `-`).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    Http,
    Http2,
    HttpProxy,
    Https,
    Grpc,
    GrpcWeb,
    Tcp,
    Tls,
    Udp,
    Mongo,
    Redis,
    MySql,
    /// Not a protocol Istio knows: it sniffs the traffic instead.
    Unsupported,
}

impl Protocol {
    /// A protocol name, ignoring case, as Istio reads it in ServiceEntry,
    /// Gateway and Sidecar ports.
    pub fn parse(name: &str) -> Protocol {
        match name.to_ascii_lowercase().as_str() {
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

    /// The protocol of a Kubernetes Service port, as Istio derives it.
    pub fn of_service_port(
        port: i32,
        name: &str,
        protocol: Option<&str>,
        app_protocol: Option<&str>,
    ) -> Protocol {
        if protocol == Some("UDP") {
            return Protocol::Udp;
        }
        let name = match app_protocol {
            Some("kubernetes.io/h2c") => return Protocol::Http2,
            Some("kubernetes.io/ws") => return Protocol::Http,
            Some("kubernetes.io/wss") => return Protocol::Https,
            Some(app) => app,
            None => name,
        };
        if name
            .get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case("grpc-web"))
        {
            return Protocol::GrpcWeb;
        }
        let prefix = name.split('-').next().unwrap_or_default();
        match Protocol::parse(prefix) {
            // SMTP, DNS, MySQL and MongoDB ports are TCP without a name.
            Protocol::Unsupported if matches!(port, 25 | 53 | 3306 | 27017) => Protocol::Tcp,
            p => p,
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

    /// Protocols Istio proxies as opaque TCP streams.
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

    /// TLS-carrying protocols (`HTTPS`, `TLS`).
    pub fn is_tls(self) -> bool {
        matches!(self, Protocol::Https | Protocol::Tls)
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Http => "HTTP",
            Protocol::Http2 => "HTTP2",
            Protocol::HttpProxy => "HTTP_PROXY",
            Protocol::Https => "HTTPS",
            Protocol::Grpc => "GRPC",
            Protocol::GrpcWeb => "GRPC-Web",
            Protocol::Tcp => "TCP",
            Protocol::Tls => "TLS",
            Protocol::Udp => "UDP",
            Protocol::Mongo => "Mongo",
            Protocol::Redis => "Redis",
            Protocol::MySql => "MySQL",
            Protocol::Unsupported => "UnsupportedProtocol",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_ports_take_app_protocol_then_the_name_prefix() {
        let of = |port, name, app| Protocol::of_service_port(port, name, None, app);
        assert_eq!(of(80, "http-web", None), Protocol::Http);
        assert_eq!(of(80, "HTTP2", None), Protocol::Http2);
        assert_eq!(of(80, "grpc-web-ui", None), Protocol::GrpcWeb);
        assert_eq!(of(80, "web", Some("http")), Protocol::Http);
        assert_eq!(of(80, "http", Some("kubernetes.io/h2c")), Protocol::Http2);
        assert_eq!(of(80, "web", None), Protocol::Unsupported);
        assert_eq!(of(3306, "", None), Protocol::Tcp);
        assert_eq!(
            Protocol::of_service_port(53, "dns", Some("UDP"), None),
            Protocol::Udp
        );
    }
}
