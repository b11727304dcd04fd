//! The reads themselves: discovery, then every wanted kind listed page by
//! page (kinds in parallel, a few requests in flight at once), ConfigMaps
//! fetched by name. A failed request is sent again at most twice, and only
//! when it may pass (429, 5xx, a reset connection); a refusal (403) becomes
//! a [`PermissionGap`] and the read goes on.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http::Request;
use serde::Deserialize;
use serde_json::{Map, Value};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::discovery::{Served, served};
use super::error::{Cause, classify, is_transient};
use super::tree::object_of;
use super::{
    ClusterRead, KindRef, MAX_CONCURRENT_REQUESTS, PAGE_SIZE, PermissionGap, ReadRequest, Scope,
};
use crate::model::Object;

/// Sends GET requests within the run's bound and the concurrency bound.
#[derive(Clone)]
pub(super) struct Requests {
    client: kube::Client,
    permits: Arc<Semaphore>,
    deadline: Instant,
}

/// Sends after a failure that may pass: 0.2 s, then 0.4 s.
const RETRY_DELAYS: [Duration; 2] = [Duration::from_millis(200), Duration::from_millis(400)];

/// A request that did not succeed.
#[derive(Debug)]
enum Failed {
    Api(kube::Error),
    /// `--timeout` ran out during this request.
    TimedOut(String),
}

impl Requests {
    /// GETs `path` and parses the JSON answer; `what` names it in a
    /// timeout message.
    pub async fn get_json(
        &self,
        path: &str,
        what: &str,
        accept: &str,
    ) -> Result<Value, kube::Error> {
        let text = self.get(path, what, accept).await.map_err(|f| match f {
            Failed::Api(e) => e,
            Failed::TimedOut(what) => timed_out(what),
        })?;
        serde_json::from_str(&text).map_err(kube::Error::SerdeError)
    }

    async fn get(&self, path: &str, what: &str, accept: &str) -> Result<String, Failed> {
        let mut delays = RETRY_DELAYS.iter();
        loop {
            let request = Request::get(path)
                .header(http::header::ACCEPT, accept)
                .body(Vec::new())
                .map_err(|e| Failed::Api(kube::Error::HttpError(e)))?;
            let sent = {
                let _permit = self.permits.acquire().await;
                tokio::time::timeout_at(self.deadline.into(), self.client.request_text(request))
                    .await
            };
            match sent {
                Err(_) => return Err(Failed::TimedOut(what.to_string())),
                Ok(Ok(text)) => return Ok(text),
                Ok(Err(error)) => match delays.next() {
                    Some(delay) if is_transient(&error) => tokio::time::sleep(*delay).await,
                    _ => return Err(Failed::Api(error)),
                },
            }
        }
    }
}

/// A timeout carried through kube's error type to [`read`], which turns it
/// back into [`Cause::Timeout`].
fn timed_out(what: String) -> kube::Error {
    kube::Error::Service(Box::new(TimedOut(what)))
}

#[derive(Debug)]
struct TimedOut(String);

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TimedOut {}

/// The cause of a failed read, a timeout named by what was being read.
fn cause_of(error: &kube::Error, timeout: Duration) -> Cause {
    if let kube::Error::Service(inner) = error
        && let Some(TimedOut(what)) = inner.downcast_ref::<TimedOut>()
    {
        return Cause::Timeout {
            what: what.clone(),
            after: timeout,
        };
    }
    classify(error)
}

/// One page of a list.
#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    metadata: PageMeta,
    #[serde(default)]
    items: Vec<Map<String, Value>>,
}

#[derive(Deserialize, Default)]
struct PageMeta {
    #[serde(rename = "continue", default)]
    continue_token: Option<String>,
}

/// A kind's objects and the namespaces (or the cluster) refused.
type KindRead = (Vec<Object>, Vec<PermissionGap>);

/// What listing one kind (in one namespace, or cluster-wide) gave.
enum Listed {
    Objects(Vec<Object>),
    /// 403, with the server's message.
    Forbidden(String),
}

/// Reads what the request asks for.
pub(super) async fn read(
    client: &kube::Client,
    request: &ReadRequest,
    deadline: Instant,
    timeout: Duration,
) -> Result<ClusterRead, Cause> {
    let requests = Requests {
        client: client.clone(),
        permits: Arc::new(Semaphore::new(MAX_CONCURRENT_REQUESTS)),
        deadline,
    };
    let fail = |e: kube::Error| cause_of(&e, timeout);
    let mut wanted = request.kinds.clone();
    if !request.config_maps.is_empty() {
        wanted.push(CONFIG_MAP);
    }
    let served_kinds = served(&requests, &wanted).await.map_err(fail)?;
    let mut read = ClusterRead {
        not_served: request
            .kinds
            .iter()
            .filter(|k| !served_kinds.contains_key(k))
            .copied()
            .collect(),
        ..ClusterRead::default()
    };
    // Namespaces first: a refused cluster-wide list falls back to listing
    // each namespace, which needs their names.
    let namespaces = match (&request.scope, served_kinds.get(&NAMESPACE)) {
        (Scope::Namespaces(names), _) => Some(names.clone()),
        (Scope::All, Some(namespace)) if request.kinds.contains(&NAMESPACE) => {
            match list_all(&requests, namespace, None).await.map_err(fail)? {
                Listed::Objects(objects) => {
                    let names = objects.iter().map(|o| o.name.clone()).collect();
                    read.objects.extend(objects);
                    Some(names)
                }
                Listed::Forbidden(message) => {
                    read.gaps.push(gap(namespace, "list", None, message));
                    None
                }
            }
        }
        _ => None,
    };
    let mut tasks = JoinSet::new();
    let kinds = request
        .kinds
        .iter()
        .filter(|k| **k != NAMESPACE || request.scope != Scope::All);
    for (index, kind) in kinds.enumerate() {
        let Some(resource) = served_kinds.get(kind).cloned() else {
            continue;
        };
        let requests = requests.clone();
        let scope = request.scope.clone();
        let namespaces = namespaces.clone();
        tasks.spawn(async move {
            let found = list_kind(&requests, &resource, &scope, namespaces.as_deref()).await;
            (index, found)
        });
    }
    let config_maps = served_kinds.get(&CONFIG_MAP).cloned();
    let mut gets = Vec::new();
    if let Some(resource) = &config_maps {
        for (namespace, name) in &request.config_maps {
            gets.push(
                get_object(&requests, resource, namespace, name)
                    .await
                    .map_err(fail)?,
            );
        }
    }
    let mut listed: Vec<(usize, KindRead)> = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (index, found) = done.map_err(|e| Cause::Server(format!("a list stopped: {e}")))?;
        listed.push((index, found.map_err(fail)?));
    }
    listed.sort_by_key(|(index, _)| *index);
    for (_, (objects, gaps)) in listed {
        read.objects.extend(objects);
        read.gaps.extend(gaps);
    }
    for got in gets {
        match got {
            Got::Object(object) => read.objects.push(*object),
            Got::Gap(gap) => read.gaps.push(gap),
            Got::Missing => {}
        }
    }
    Ok(read)
}

const NAMESPACE: KindRef = KindRef {
    group: "",
    kind: "Namespace",
};

const CONFIG_MAP: KindRef = KindRef {
    group: "",
    kind: "ConfigMap",
};

fn gap(
    resource: &Served,
    verb: &'static str,
    namespace: Option<&str>,
    message: String,
) -> PermissionGap {
    PermissionGap {
        resource: resource.resource_name(),
        verb,
        namespace: namespace.map(str::to_string),
        message,
    }
}

/// One kind: cluster-wide, or in each namespace of the scope; a refused
/// cluster-wide list is listed again namespace by namespace when their
/// names are known, and each refusal is a gap.
async fn list_kind(
    requests: &Requests,
    resource: &Served,
    scope: &Scope,
    namespaces: Option<&[String]>,
) -> Result<KindRead, kube::Error> {
    let refused = match (scope, resource.namespaced) {
        (Scope::Namespaces(_), true) => None,
        _ => match list_all(requests, resource, None).await? {
            Listed::Objects(objects) => return Ok((objects, Vec::new())),
            Listed::Forbidden(message) => Some(message),
        },
    };
    let (Some(namespaces), true) = (namespaces, resource.namespaced) else {
        let message = refused.unwrap_or_default();
        return Ok((Vec::new(), vec![gap(resource, "list", None, message)]));
    };
    let mut objects = Vec::new();
    let mut gaps = Vec::new();
    for namespace in namespaces {
        match list_all(requests, resource, Some(namespace)).await? {
            Listed::Objects(found) => objects.extend(found),
            Listed::Forbidden(message) => {
                gaps.push(gap(resource, "list", Some(namespace), message))
            }
        }
    }
    // Refused in every namespace: one gap for the resource, in the
    // cluster-wide list's words.
    if let Some(message) =
        refused.filter(|_| !namespaces.is_empty() && gaps.len() == namespaces.len())
    {
        gaps = vec![gap(resource, "list", None, message)];
    }
    Ok((objects, gaps))
}

/// Every page of one list, following `continue`. A continue token that
/// expired (410) starts the list over, once.
async fn list_all(
    requests: &Requests,
    resource: &Served,
    namespace: Option<&str>,
) -> Result<Listed, kube::Error> {
    let collection = resource.path(namespace);
    let what = match namespace {
        Some(ns) => format!("{} in namespace {ns}", resource.resource_name()),
        None => resource.resource_name(),
    };
    let api_version = resource.api_version();
    let mut objects = Vec::new();
    let mut token: Option<String> = None;
    let mut started_over = false;
    loop {
        let mut path = format!("{collection}?limit={PAGE_SIZE}");
        if let Some(token) = &token {
            path.push_str("&continue=");
            path.push_str(&percent_encode(token));
        }
        let text = match requests.get(&path, &what, "application/json").await {
            Ok(text) => text,
            Err(Failed::TimedOut(what)) => return Err(timed_out(what)),
            Err(Failed::Api(kube::Error::Api(status))) if status.code == 403 => {
                return Ok(Listed::Forbidden(status.message));
            }
            Err(Failed::Api(kube::Error::Api(status)))
                if status.code == 410 && token.is_some() && !started_over =>
            {
                started_over = true;
                objects.clear();
                token = None;
                continue;
            }
            Err(Failed::Api(error)) => return Err(error),
        };
        let page: Page = serde_json::from_str(&text).map_err(kube::Error::SerdeError)?;
        drop(text);
        objects.extend(
            page.items
                .into_iter()
                .filter_map(|item| object_of(item, &api_version, resource.kind.kind)),
        );
        token = page.metadata.continue_token.filter(|t| !t.is_empty());
        if token.is_none() {
            return Ok(Listed::Objects(objects));
        }
    }
}

/// What getting one object by name gave.
enum Got {
    Object(Box<Object>),
    Missing,
    Gap(PermissionGap),
}

async fn get_object(
    requests: &Requests,
    resource: &Served,
    namespace: &str,
    name: &str,
) -> Result<Got, kube::Error> {
    let path = format!("{}/{name}", resource.path(Some(namespace)));
    let what = format!("{} {namespace}/{name}", resource.resource_name());
    match requests.get(&path, &what, "application/json").await {
        Ok(text) => {
            let item: Map<String, Value> =
                serde_json::from_str(&text).map_err(kube::Error::SerdeError)?;
            Ok(object_of(item, &resource.api_version(), resource.kind.kind)
                .map_or(Got::Missing, |o| Got::Object(Box::new(o))))
        }
        Err(Failed::TimedOut(what)) => Err(timed_out(what)),
        Err(Failed::Api(kube::Error::Api(status))) if status.code == 404 => Ok(Got::Missing),
        Err(Failed::Api(kube::Error::Api(status))) if status.code == 403 => Ok(Got::Gap(gap(
            resource,
            "get",
            Some(namespace),
            status.message,
        ))),
        Err(Failed::Api(error)) => Err(error),
    }
}

/// A continue token in a query string: tokens are base64, whose `+`, `/`
/// and `=` must be escaped.
fn percent_encode(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    for byte in token.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
