//! From kubectl's flags to a client: which kubeconfig (`--kubeconfig`,
//! `KUBECONFIG` merged as kubectl merges it, `~/.kube/config`, or the pod's
//! service account), which context, and the names messages give them.
//! Exec plugins, tokens, token files, client certificates, the CA and
//! `insecure-skip-tls-verify` are kube-rs' reading of the kubeconfig.

use std::time::Instant;

use kube::config::{Config, KubeConfigOptions, Kubeconfig};

use super::error::{Cause, ClusterError};
use super::{Cluster, ClusterOptions};

/// Which cluster a run talks to, for messages.
#[derive(Debug, Clone)]
pub(crate) struct Names {
    pub context: String,
    pub server: String,
    /// The context's namespace (`default` when it names none).
    pub namespace: String,
}

impl Names {
    fn unknown(context: Option<&str>) -> Self {
        Names {
            context: context.unwrap_or("(none)").to_string(),
            server: "(unknown)".to_string(),
            namespace: "default".to_string(),
        }
    }
}

pub(super) fn connect(options: &ClusterOptions) -> Result<Cluster, ClusterError> {
    let deadline = Instant::now() + options.timeout;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        // Lists are network-bound; two threads turn pages into objects
        // while the next pages arrive.
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            ClusterError::new(
                Cause::Server(format!("cannot start the client: {e}")),
                &Names::unknown(options.context.as_deref()),
            )
        })?;
    let (mut config, names) = runtime.block_on(load_config(options))?;
    // Retries are ours: at most twice, only for errors that may pass.
    config.default_retry = false;
    let client = {
        // kube builds its connector on the runtime it runs on.
        let _entered = runtime.enter();
        kube::Client::try_from(config)
            .map_err(|e| ClusterError::new(super::error::classify(&e), &names))?
    };
    Ok(Cluster {
        runtime,
        client,
        names,
        deadline,
        timeout: options.timeout,
    })
}

/// The client configuration and the names of its context and server.
async fn load_config(options: &ClusterOptions) -> Result<(Config, Names), ClusterError> {
    let unknown = Names::unknown(options.context.as_deref());
    let kubeconfig = match read_kubeconfig(options) {
        Ok(Some(kubeconfig)) => kubeconfig,
        Ok(None) => return in_cluster(options),
        Err(cause) => return Err(ClusterError::new(cause, &unknown)),
    };
    let context = options
        .context
        .clone()
        .or_else(|| kubeconfig.current_context.clone())
        .ok_or_else(|| {
            ClusterError::new(
                Cause::Kubeconfig(
                    "it names no current-context; choose one with --context".to_string(),
                ),
                &unknown,
            )
        })?;
    let names = names_of(&kubeconfig, &context)?;
    let kube_options = KubeConfigOptions {
        context: Some(context),
        cluster: None,
        user: None,
    };
    let config = Config::from_custom_kubeconfig(kubeconfig, &kube_options)
        .await
        .map_err(|e| ClusterError::new(Cause::Kubeconfig(e.to_string()), &names))?;
    Ok((config, names))
}

/// `--kubeconfig`, else `KUBECONFIG`, else `~/.kube/config`; `None` when
/// none is there (then the pod's service account is tried).
fn read_kubeconfig(options: &ClusterOptions) -> Result<Option<Kubeconfig>, Cause> {
    let broken = |e: kube::config::KubeconfigError| Cause::Kubeconfig(e.to_string());
    if let Some(path) = &options.kubeconfig {
        return Kubeconfig::read_from(path).map(Some).map_err(broken);
    }
    if let Some(merged) = Kubeconfig::from_env().map_err(broken)? {
        return Ok(Some(merged));
    }
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    match home.map(|h| h.join(".kube").join("config")) {
        Some(path) if path.exists() => Kubeconfig::read_from(path).map(Some).map_err(broken),
        _ => Ok(None),
    }
}

/// The names of a context of the kubeconfig; an unknown context is an error.
fn names_of(kubeconfig: &Kubeconfig, context: &str) -> Result<Names, ClusterError> {
    let Some(found) = kubeconfig
        .contexts
        .iter()
        .find(|c| c.name == context)
        .and_then(|c| c.context.as_ref())
    else {
        let known: Vec<&str> = kubeconfig
            .contexts
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        return Err(ClusterError::new(
            Cause::Kubeconfig(format!(
                "no context {context:?} in it (it has: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )),
            &Names::unknown(Some(context)),
        ));
    };
    let server = kubeconfig
        .clusters
        .iter()
        .find(|c| c.name == found.cluster)
        .and_then(|c| c.cluster.as_ref())
        .and_then(|c| c.server.clone())
        .unwrap_or_else(|| "(unknown)".to_string());
    Ok(Names {
        context: context.to_string(),
        server,
        namespace: found
            .namespace
            .clone()
            .unwrap_or_else(|| "default".to_string()),
    })
}

/// The service account of the pod meshctl runs in, when there is no
/// kubeconfig at all.
fn in_cluster(options: &ClusterOptions) -> Result<(Config, Names), ClusterError> {
    let unknown = Names::unknown(options.context.as_deref());
    if std::env::var_os("KUBERNETES_SERVICE_HOST").is_none() {
        return Err(ClusterError::new(
            Cause::Kubeconfig(
                "none found: no --kubeconfig, KUBECONFIG unset, no ~/.kube/config, and not running in a pod"
                    .to_string(),
            ),
            &unknown,
        ));
    }
    let config = Config::incluster().map_err(|e| {
        ClusterError::new(
            Cause::Kubeconfig(format!("in-cluster configuration: {e}")),
            &unknown,
        )
    })?;
    let names = Names {
        context: "in-cluster".to_string(),
        server: config.cluster_url.to_string(),
        namespace: config.default_namespace.clone(),
    };
    Ok((config, names))
}
