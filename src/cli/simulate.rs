//! `meshctl simulate`: reads and validates the configuration (invalid
//! configuration is refused with its errors), runs the simulate engine,
//! and prints its result as a readable trace (`report::render_simulation`)
//! or as JSON.

use super::args::{SimulateArgs, TextOrJson};
use super::inputs::Inputs;
use super::outcome::{Outcome, Status};
use super::output::Stdout;
use crate::report::render_simulation;
use crate::simulate::request::{parse_claim, parse_labels};
use crate::simulate::{DEFAULT_SEED, Options, Protocol, Request, simulate};
use crate::snapshot::{Snapshot, SnapshotOptions};

pub fn run(args: &SimulateArgs, out: &mut Stdout) -> Outcome {
    let request = request_of(args)?;
    let inputs = Inputs::gather(&args.input)?.with_mesh(&args.mesh)?;
    let objects = inputs.load_valid()?;
    let cluster_domain = args.cluster_domain.trim_matches('.').to_ascii_lowercase();
    let snapshot = Snapshot::new(
        objects,
        SnapshotOptions {
            cluster_domain,
            ..SnapshotOptions::new(inputs.mesh)
        },
    );
    let options = Options {
        count: args.count,
        seed: args.seed.unwrap_or(DEFAULT_SEED),
    };
    let simulation = simulate(&snapshot, &request, &options)?;
    match args.output {
        TextOrJson::Json => {
            let json = serde_json::to_string_pretty(&simulation).map_err(|e| e.to_string())?;
            out.write_str(&json);
            out.write_str("\n");
        }
        TextOrJson::Text => out.write_str(&render_simulation(&simulation, &options)),
    }
    Ok(Status::Clean)
}

fn request_of(args: &SimulateArgs) -> Result<Request, String> {
    let line = args.request.as_deref().unwrap_or_default();
    let mut request = Request::parse(line).map_err(|e| format!("--request: {e}"))?;
    if request.protocol != Protocol::Http && !args.headers.is_empty() {
        return Err(format!(
            "-H: a {} connection has no HTTP headers",
            request.protocol.as_str()
        ));
    }
    for header in &args.headers {
        request.add_header(header).map_err(|e| format!("-H: {e}"))?;
    }
    if let Some(sni) = &args.sni {
        if request.protocol != Protocol::Tls {
            return Err("--sni applies to a 'TLS host:port' request only".into());
        }
        if sni.is_empty() {
            return Err("--sni: the name is empty".into());
        }
        request.sni = Some(sni.to_ascii_lowercase());
    }
    if let Some(ip) = &args.destination_ip {
        request.destination_ip = Some(
            ip.parse::<std::net::IpAddr>()
                .map_err(|_| format!("--destination-ip {ip:?} is not an IP address"))?,
        );
    }
    if let Some(labels) = &args.source_labels {
        request.source.labels =
            parse_labels(labels).map_err(|e| format!("--source-labels: {e}"))?;
    }
    request.source.namespace = args.source_namespace.clone();
    if let Some(principal) = &args.source_principal {
        let principal = principal.strip_prefix("spiffe://").unwrap_or(principal);
        request.source.principal = Some(principal.to_string());
        if request.source.principal_part("ns").is_none()
            || request.source.principal_part("sa").is_none()
        {
            return Err(format!(
                "--source-principal {principal:?} is not TRUST-DOMAIN/ns/NAMESPACE/sa/SERVICE-ACCOUNT"
            ));
        }
    }
    if let Some(ip) = &args.source_ip {
        ip.parse::<std::net::IpAddr>()
            .map_err(|_| format!("--source-ip {ip:?} is not an IP address"))?;
        request.source.ip = Some(ip.clone());
    }
    for claim in &args.jwt_claim {
        request
            .jwt_claims
            .push(parse_claim(claim).map_err(|e| format!("--jwt-claim: {e}"))?);
    }
    if let Some(gateway) = &args.gateway {
        if !gateway.contains('/') {
            return Err(format!("--gateway {gateway:?} is not NAMESPACE/NAME"));
        }
        request.gateway = Some(gateway.clone());
    }
    Ok(request)
}
