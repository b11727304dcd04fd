//! `meshctl analyze` against the loopback API server of `apiserver.rs`:
//! findings on cluster objects, permission gaps, missing CRDs, pagination,
//! overlays, kubeconfig variants, and each failure as exit 2 with one line.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::apiserver::{ApiServer, Auth, Fixture, TOKEN};
use super::common::meshctl;

/// Objects from multi-document YAML.
fn objects(yaml: &str) -> Vec<Value> {
    yaml.split("\n---\n")
        .filter(|doc| !doc.trim().is_empty())
        .map(|doc| yaml_serde::from_str(doc).unwrap())
        .collect()
}

/// A mesh with one finding of each canonical kind, over three namespaces.
const CANONICAL: &str = "\
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: bookinfo}
---
apiVersion: v1
kind: Namespace
metadata: {name: istio-system}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    rootNamespace: istio-system
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  selector: {app: reviews}
  ports:
  - {name: web, port: 9080}
---
apiVersion: v1
kind: Pod
metadata:
  name: reviews-1
  namespace: shop
  labels: {app: reviews}
  managedFields: [{manager: kubectl}]
spec:
  containers:
  - {name: reviews, image: reviews}
  - {name: istio-proxy, image: istio/proxyv2}
status: {phase: Running}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: ratings}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: reviews-get, namespace: shop}
spec:
  selector:
    matchLabels: {app: reviwes}
  rules:
  - to:
    - operation:
        methods: [GET]
";

/// A folder with a kubeconfig for the server, used as HOME too (so that
/// kubectl's cache and `~/.kube/config` stay inside it).
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// An executable shell script.
    fn script(&self, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.write(name, &format!("#!/bin/sh\n{body}\n"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// `meshctl analyze` with HOME in `home` and no KUBECONFIG.
fn analyze_in(home: &Home, args: &[&str]) -> Command {
    let mut command = meshctl();
    command
        .env("HOME", home.path())
        .env_remove("KUBECONFIG")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .arg("analyze")
        .arg("--no-config")
        .args(args);
    command
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(mut command: Command) -> Ran {
    let output = command.output().unwrap();
    Ran {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs analyze against the server with a token kubeconfig.
fn analyze(server: &ApiServer, args: &[&str]) -> Ran {
    let home = Home::new();
    let config = home.write(
        "config",
        &server.kubeconfig(Auth::Token(TOKEN), &server.ca_pem),
    );
    let mut all = vec!["--kubeconfig", config.to_str().unwrap()];
    all.extend_from_slice(args);
    run(analyze_in(&home, &all))
}

/// `CODE origin: message` per finding of a JSON report, and whether any
/// finding has a file.
fn summary(json: &str) -> String {
    let findings: Vec<Value> = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    findings
        .iter()
        .map(|f| {
            let file = f.get("file").map_or(String::new(), |file| {
                format!(" [{}:{}]", file.as_str().unwrap_or_default(), f["line"])
            });
            format!(
                "{} {}{file}: {}",
                f["code"].as_str().unwrap_or_default(),
                f["origin"].as_str().unwrap_or("-"),
                f["message"].as_str().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Requests per resource path (query left out), in first-seen order.
fn lists_of(server: &ApiServer) -> Vec<String> {
    let mut paths = Vec::new();
    for seen in server.seen() {
        if !paths.contains(&seen.path) {
            paths.push(seen.path);
        }
    }
    paths
}

#[test]
fn canonical_findings_about_cluster_objects_have_no_file() {
    let server = ApiServer::start(Fixture {
        objects: objects(CANONICAL),
        ..Fixture::default()
    });
    let ran = analyze(&server, &["-A", "-o", "json"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    insta::assert_snapshot!(summary(&ran.stdout));
    let seen = server.seen();
    assert!(seen.iter().all(|s| s.method == "GET"), "{seen:?}");
    // ConfigMaps only by name; every list paginated.
    let paths = lists_of(&server);
    assert!(
        !paths.iter().any(|p| p.ends_with("/configmaps")),
        "{paths:?}"
    );
    assert!(paths.contains(&"/api/v1/namespaces/istio-system/configmaps/istio".to_string()));
    assert!(
        seen.iter()
            .filter(|s| s.path.ends_with("/pods") || s.path.ends_with("/virtualservices"))
            .all(|s| s.query.starts_with("limit=500"))
    );
    // No list is made twice.
    let mut lists: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    let all = lists.len();
    lists.sort_unstable();
    lists.dedup();
    assert_eq!(lists.len(), all, "{seen:?}");
}

#[test]
fn one_namespace_reports_only_its_findings() {
    let server = ApiServer::start(Fixture {
        objects: objects(CANONICAL),
        ..Fixture::default()
    });
    let ran = analyze(&server, &["-n", "bookinfo", "-o", "json"]);
    insta::assert_snapshot!(summary(&ran.stdout));
}

#[test]
fn a_refused_list_is_ist0141_once_and_the_rest_is_analyzed() {
    let server = ApiServer::start(Fixture {
        objects: objects(CANONICAL),
        forbidden: vec![("secrets", None), ("pods", Some("bookinfo"))],
        ..Fixture::default()
    });
    let ran = analyze(&server, &["-A", "-o", "json"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    insta::assert_snapshot!(summary(&ran.stdout));
    // Pods were listed namespace by namespace once the cluster-wide list was refused.
    let paths = lists_of(&server);
    assert!(
        paths.contains(&"/api/v1/namespaces/shop/pods".to_string()),
        "{paths:?}"
    );
}

#[test]
fn a_kind_whose_crd_is_not_installed_is_empty() {
    let server = ApiServer::start(Fixture {
        objects: objects(CANONICAL),
        not_installed: vec!["serviceentries", "wasmplugins", "telemetries"],
        plain_discovery: true,
        ..Fixture::default()
    });
    let ran = analyze(&server, &["-A", "-o", "json"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    insta::assert_snapshot!(format!(
        "{}\n--- stderr\n{}",
        summary(&ran.stdout),
        ran.stderr
    ));
    assert!(
        !lists_of(&server)
            .iter()
            .any(|p| p.contains("serviceentries"))
    );
}

/// 1,201 Services: the one a route needs is the last, on the third page.
fn many_services() -> Vec<Value> {
    let mut all = objects(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: last, namespace: shop}\nspec:\n  hosts: [zz-last]\n  http:\n  - route:\n    - destination: {host: zz-last}\n",
    );
    for i in 0..1200 {
        all.push(serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": format!("svc-{i:04}"), "namespace": "shop"}, "spec": {"ports": [{"name": "http", "port": 80}]}}));
    }
    all.push(serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "zz-last", "namespace": "shop"}, "spec": {"ports": [{"name": "http", "port": 80}]}}));
    all
}

/// Only the destination host analyzer, which finds every host when the
/// last page of Services was read.
fn assert_every_destination_host_found(server: &ApiServer) {
    let ran = analyze(
        server,
        &[
            "-A",
            "-o",
            "json",
            "--analyzer",
            "virtualservice.DestinationHostAnalyzer",
        ],
    );
    assert_eq!((ran.code, ran.stdout.trim()), (0, "[]"), "{}", ran.stderr);
}

#[test]
fn the_object_that_matters_on_the_last_page_is_read() {
    let server = ApiServer::start(Fixture {
        objects: many_services(),
        ..Fixture::default()
    });
    assert_every_destination_host_found(&server);
    let pages: Vec<String> = server
        .seen()
        .into_iter()
        .filter(|s| s.path == "/api/v1/services")
        .map(|s| {
            s.query
                .split("&continue=")
                .nth(1)
                .map_or("first".to_string(), |_| "continued".to_string())
        })
        .collect();
    assert_eq!(pages, ["first", "continued", "continued"]);
}

#[test]
fn an_expired_continue_token_starts_the_list_over_and_a_500_is_retried() {
    let server = ApiServer::start(Fixture {
        objects: many_services(),
        expire_continue_of: Some("services"),
        fail_once: Some("virtualservices"),
        ..Fixture::default()
    });
    assert_every_destination_host_found(&server);
    let count = |path: &str| server.seen().iter().filter(|s| s.path == path).count();
    // First page, expired continue, then three pages again.
    assert_eq!(count("/api/v1/services"), 5);
    assert_eq!(count("/apis/networking.istio.io/v1/virtualservices"), 2);
}

#[test]
fn a_local_file_replaces_the_cluster_object_and_keeps_its_position() {
    let server = ApiServer::start(Fixture {
        objects: objects(CANONICAL),
        ..Fixture::default()
    });
    let home = Home::new();
    let local = home.write(
        "reviews.yaml",
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: details}\n",
    );
    let config = home.write(
        "config",
        &server.kubeconfig(Auth::Token(TOKEN), &server.ca_pem),
    );
    let mut command = analyze_in(
        &home,
        &[
            "--kubeconfig",
            config.to_str().unwrap(),
            "-A",
            "-o",
            "json",
            local.to_str().unwrap(),
        ],
    );
    command.current_dir(home.path());
    let ran = run(command);
    insta::assert_snapshot!(summary(&ran.stdout).replace(home.path().to_str().unwrap(), "HOME"));
}

#[test]
fn kubeconfig_variants_reach_the_cluster() {
    let server = ApiServer::start(Fixture {
        objects: objects(CANONICAL),
        ..Fixture::default()
    });
    let home = Home::new();
    let token_file = home.write("token", TOKEN);
    let plugin = home.script(
        "credential-plugin",
        &format!("echo '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{TOKEN}\"}}}}'"),
    );
    let variants = [
        (
            "token file",
            server.kubeconfig(
                Auth::TokenFile(token_file.to_str().unwrap()),
                &server.ca_pem,
            ),
        ),
        (
            "client certificate",
            server.kubeconfig(Auth::ClientCertificate, &server.ca_pem),
        ),
        (
            "exec plugin",
            server.kubeconfig(Auth::Exec(plugin.to_str().unwrap()), &server.ca_pem),
        ),
    ];
    let expected = analyze(&server, &["-A", "-o", "json"]).stdout;
    for (name, config) in variants {
        let path = home.write("config", &config);
        let ran = run(analyze_in(
            &home,
            &["--kubeconfig", path.to_str().unwrap(), "-A", "-o", "json"],
        ));
        assert_eq!(
            (ran.code, &ran.stdout),
            (1, &expected),
            "{name}: {}",
            ran.stderr
        );
    }
    // KUBECONFIG with two files, merged as kubectl merges them: the
    // cluster and user in one, the context in the other.
    let full = server.kubeconfig(Auth::Token(TOKEN), &server.ca_pem);
    let (head, users) = full.split_once("users:\n").unwrap();
    let (clusters, contexts) = head.split_once("contexts:\n").unwrap();
    let first = home.write(
        "clusters",
        &format!(
            "{}users:\n{users}",
            clusters.replace("current-context: test\n", "")
        ),
    );
    let second = home.write(
        "contexts",
        &format!("apiVersion: v1\nkind: Config\ncurrent-context: test\ncontexts:\n{contexts}"),
    );
    let joined = std::env::join_paths([&first, &second]).unwrap();
    let mut command = analyze_in(&home, &["-A", "-o", "json"]);
    command.env("KUBECONFIG", joined);
    let ran = run(command);
    assert_eq!(
        (ran.code, &ran.stdout),
        (1, &expected),
        "KUBECONFIG: {}",
        ran.stderr
    );
    // ~/.kube/config and --context.
    std::fs::create_dir_all(home.path().join(".kube")).unwrap();
    home.write(
        ".kube/config",
        &full.replace("current-context: test", "current-context: elsewhere"),
    );
    let ran = run(analyze_in(
        &home,
        &["--context", "test", "-A", "-o", "json"],
    ));
    assert_eq!(
        (ran.code, &ran.stdout),
        (1, &expected),
        "~/.kube/config: {}",
        ran.stderr
    );
}

#[test]
fn each_failure_is_exit_2_with_one_line_naming_cause_context_and_server() {
    let server = ApiServer::start(Fixture {
        objects: objects(CANONICAL),
        slow: Some(("pods", std::time::Duration::from_secs(20))),
        ..Fixture::default()
    });
    let home = Home::new();
    let failing_plugin = home.script(
        "failing-plugin",
        "echo 'no credentials for you' >&2\nexit 1",
    );
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let good = server.kubeconfig(Auth::Token(TOKEN), &server.ca_pem);
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "unreachable",
            good.replace(&server.url, &format!("https://127.0.0.1:{closed}")),
            vec![],
        ),
        (
            "broken kubeconfig",
            "apiVersion: v1\nkind: Config\nclusters: [oops\n".to_string(),
            vec![],
        ),
        ("unknown context", good.clone(), vec!["--context", "prod"]),
        (
            "rejected token",
            server.kubeconfig(Auth::Token("wrong"), &server.ca_pem),
            vec![],
        ),
        (
            "untrusted certificate",
            server.kubeconfig(Auth::Token(TOKEN), &server.other_ca_pem),
            vec![],
        ),
        (
            "failing exec plugin",
            server.kubeconfig(Auth::Exec(failing_plugin.to_str().unwrap()), &server.ca_pem),
            vec![],
        ),
        ("timeout", good.clone(), vec!["--timeout", "2s"]),
    ];
    let mut lines = Vec::new();
    for (name, config, extra) in cases {
        let path = home.write("config", &config);
        let mut args = vec!["--kubeconfig", path.to_str().unwrap(), "-A", "-o", "json"];
        args.extend(extra);
        let ran = run(analyze_in(&home, &args));
        assert_eq!(ran.code, 2, "{name}: {}", ran.stderr);
        // A JSON report that still parses, with no finding.
        assert_eq!(ran.stdout, "[]\n", "{name}");
        assert_eq!(ran.stderr.lines().count(), 1, "{name}: {}", ran.stderr);
        lines.push(format!("{name}: {}", ran.stderr.trim_end()));
    }
    let missing = run(analyze_in(
        &home,
        &["--kubeconfig", "/nonexistent/config", "-A"],
    ));
    assert_eq!(
        (missing.code, missing.stderr.lines().count()),
        (2, 1),
        "{}",
        missing.stderr
    );
    lines.push(format!("missing kubeconfig: {}", missing.stderr.trim_end()));
    let text = lines
        .join("\n")
        .replace(&server.url, "https://SERVER")
        .replace(&format!("127.0.0.1:{closed}"), "127.0.0.1:CLOSED")
        .replace(home.path().to_str().unwrap(), "HOME");
    insta::assert_snapshot!(text);
}

#[test]
fn use_kube_false_is_lint() {
    let home = Home::new();
    let file = home.write("reviews.yaml", "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: ratings}\n");
    let mut command = analyze_in(
        &home,
        &["--use-kube=false", "-o", "json", file.to_str().unwrap()],
    );
    command.current_dir(home.path());
    let ran = run(command);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert_eq!(summary(&ran.stdout).lines().count(), 1, "{}", ran.stdout);
}

/// kubectl lists through the test server what analyze read: the server
/// behaves as a real client expects.
#[test]
fn kubectl_reads_the_test_server() {
    let Some(kubectl) = kubectl() else { return };
    let home = Home::new();
    let server = ApiServer::start(Fixture {
        objects: many_services(),
        ..Fixture::default()
    });
    let listed = run_kubectl(
        kubectl,
        &home,
        &server,
        &[
            "get",
            "services,virtualservices.networking.istio.io",
            "-A",
            "-o",
            "name",
            "--chunk-size",
            "500",
        ],
    );
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let names: Vec<&str> = listed.stdout.lines().collect();
    assert_eq!(names.len(), 1202, "{}", listed.stdout);
    assert_eq!(
        names.last().copied(),
        Some("virtualservice.networking.istio.io/last")
    );
    assert!(names.contains(&"service/zz-last"));
    // kubectl's 403 and 404 wording comes from the Status objects.
    let forbidden = ApiServer::start(Fixture {
        objects: objects("apiVersion: v1\nkind: Namespace\nmetadata: {name: istio-system}\n"),
        forbidden: vec![("secrets", None)],
        ..Fixture::default()
    });
    let refused = run_kubectl(kubectl, &home, &forbidden, &["get", "secrets", "-A"]);
    assert!(
        refused.stderr.contains(
            "secrets is forbidden: User \"meshctl-test\" cannot list resource \"secrets\""
        ),
        "{}",
        refused.stderr
    );
    let missing = run_kubectl(
        kubectl,
        &home,
        &forbidden,
        &["get", "configmap", "istio", "-n", "istio-system"],
    );
    assert!(
        missing.stderr.contains("configmaps \"istio\" not found"),
        "{}",
        missing.stderr
    );
}

/// kubectl with a token kubeconfig for the server, HOME in `home`.
fn run_kubectl(kubectl: &str, home: &Home, server: &ApiServer, args: &[&str]) -> Ran {
    let config = home.write(
        "config",
        &server.kubeconfig(Auth::Token(TOKEN), &server.ca_pem),
    );
    let mut command = Command::new(kubectl);
    command
        .env("HOME", home.path())
        .arg("--kubeconfig")
        .arg(config)
        .args(args);
    run(command)
}

/// `kubectl` on PATH; without it the test is skipped with a notice, and
/// fails under CI=true.
fn kubectl() -> Option<&'static str> {
    let found = Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("kubectl");
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "kubectl is not installed, and CI=true needs it"
    );
    eprintln!("note: kubectl_reads_the_test_server skipped: kubectl is not installed");
    None
}

/// istioctl makes up a default ingress gateway for files only: in a
/// cluster, a Gateway whose selector matches no pod is reported.
#[test]
fn a_cluster_has_no_made_up_ingress_gateway() {
    let server = ApiServer::start(Fixture {
        objects: objects(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: istio-system}\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: edge, namespace: istio-system}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ['*']\n",
        ),
        ..Fixture::default()
    });
    let ran = analyze(&server, &["-A", "-o", "json"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(
        summary(&ran.stdout).contains("IST0101 Gateway istio-system/edge"),
        "{}",
        ran.stdout
    );
}

/// meshctl with HOME in a fresh folder holding a token kubeconfig for the
/// server and `file` (named `name`): the command `args[0]`, `--kubeconfig
/// CONFIG`, the rest of `args`, `file`'s path, then `extra`.
fn meshctl_with_file(
    server: &ApiServer,
    args: &[&str],
    name: &str,
    file: &str,
    extra: &[&str],
) -> Ran {
    let home = Home::new();
    let config = home.write(
        "config",
        &server.kubeconfig(Auth::Token(TOKEN), &server.ca_pem),
    );
    let file = home.write(name, file);
    let mut command = meshctl();
    command
        .env("HOME", home.path())
        .env_remove("KUBECONFIG")
        .arg(args[0])
        .args(["--kubeconfig", config.to_str().unwrap()])
        .args(&args[1..])
        .arg(file)
        .args(extra);
    run(command)
}

/// `meshctl diff --cluster` against the server, NEW written to a file.
fn diff_cluster(server: &ApiServer, new: &str, args: &[&str]) -> Ran {
    meshctl_with_file(server, &["diff", "--cluster"], "new.yaml", new, args)
}

const NEW_ROUTES: &str = "\
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: shop}
";

#[test]
fn diff_cluster_compares_new_with_its_live_versions_reading_only_its_kinds_and_namespaces() {
    let server = ApiServer::start(Fixture {
        objects: objects(CANONICAL),
        ..Fixture::default()
    });
    let ran = diff_cluster(&server, NEW_ROUTES, &["-o", "json"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    let json: Value = serde_json::from_str(&ran.stdout).unwrap();
    let changes: Vec<String> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let fields: Vec<String> = c["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| {
                    format!(
                        "{}: {} -> {}",
                        f["path"].as_str().unwrap(),
                        f["old"],
                        f["new"]
                    )
                })
                .collect();
            format!(
                "{} {} {}/{} {fields:?}",
                c["change"], c["kind"], c["namespace"], c["name"]
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            r#""added" "DestinationRule" "shop"/"reviews" []"#,
            r#""modified" "VirtualService" "shop"/"reviews" ["spec.http[0].route[0].destination.host: \"ratings\" -> \"reviews\""]"#,
        ],
        "{}",
        ran.stdout
    );
    assert!(
        ran.stderr.contains("not compared with the cluster") && ran.stderr.contains("Widget"),
        "{}",
        ran.stderr
    );
    // GET only, NEW's kinds in NEW's namespace, the MeshConfig by name.
    let paths = lists_of(&server);
    assert!(server.seen().iter().all(|s| s.method == "GET"));
    assert!(
        paths.contains(&"/apis/networking.istio.io/v1/namespaces/shop/virtualservices".to_string()),
        "{paths:?}"
    );
    assert!(
        !paths.iter().any(|p| p.contains("/pods")
            || p.contains("authorizationpolicies")
            || p.ends_with("/virtualservices") && !p.contains("/namespaces/shop/")),
        "{paths:?}"
    );
    // The same config as the cluster's: no difference.
    let live_vs = CANONICAL
        .split("\n---\n")
        .find(|d| d.contains("kind: VirtualService"))
        .unwrap();
    assert_eq!(diff_cluster(&server, live_vs, &[]).code, 0);
}

#[test]
fn diff_cluster_prune_reports_the_live_objects_new_leaves_out() {
    let server = ApiServer::start(Fixture {
        objects: objects(CANONICAL),
        ..Fixture::default()
    });
    let other = NEW_ROUTES.replace(
        "metadata: {name: reviews, namespace: shop}\nspec:\n  hosts",
        "metadata: {name: other, namespace: shop}\nspec:\n  hosts",
    );
    let ran = diff_cluster(&server, &other, &["--prune", "--stat"]);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    insta::assert_snapshot!(ran.stdout);
}

const INJECTOR_CONFIG_MAPS: &str = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: istio-sidecar-injector, namespace: istio-system}
data:
  values: |
    {\"global\": {\"hub\": \"registry.example.com/istio\", \"tag\": \"9.9.9\"}}
  config: |
    policy: enabled
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    defaultConfig:
      proxyMetadata: {FROM_CLUSTER: \"yes\"}
";

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
";

/// `meshctl kube-inject --from-cluster -f DEPLOYMENT` against the server.
fn inject_from_cluster(server: &ApiServer, extra: &[&str]) -> Ran {
    meshctl_with_file(
        server,
        &["kube-inject", "--from-cluster", "-f"],
        "deploy.yaml",
        DEPLOYMENT,
        extra,
    )
}

#[test]
fn kube_inject_from_cluster_reads_the_two_config_maps_by_name_and_nothing_else() {
    // Besides the core group's discovery document.
    let server = ApiServer::start(Fixture {
        objects: objects(INJECTOR_CONFIG_MAPS),
        ..Fixture::default()
    });
    let ran = inject_from_cluster(&server, &[]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stdout
            .contains("image: registry.example.com/istio/proxyv2:9.9.9"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("FROM_CLUSTER"), "{}", ran.stdout);
    let paths = lists_of(&server);
    assert_eq!(
        paths,
        [
            "/api",
            "/api/v1/namespaces/istio-system/configmaps/istio-sidecar-injector",
            "/api/v1/namespaces/istio-system/configmaps/istio",
        ],
        "{paths:?}"
    );
    assert!(server.seen().iter().all(|s| s.method == "GET"));
    // A revision reads its own ConfigMaps; a missing one is exit 2, nothing on stdout.
    let missing = inject_from_cluster(&server, &["--revision", "canary"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stdout.is_empty());
    assert!(
        missing
            .stderr
            .contains("istio-system/istio-sidecar-injector-canary"),
        "{}",
        missing.stderr
    );
}

#[test]
fn without_n_the_contexts_namespace_is_analyzed() {
    let server = ApiServer::start(Fixture {
        objects: objects(CANONICAL),
        ..Fixture::default()
    });
    let home = Home::new();
    let config = server
        .kubeconfig(Auth::Token(TOKEN), &server.ca_pem)
        .replace("namespace: default", "namespace: bookinfo");
    let config = home.write("config", &config);
    let by_context = run(analyze_in(
        &home,
        &["--kubeconfig", config.to_str().unwrap(), "-o", "json"],
    ));
    let by_flag = analyze(&server, &["-n", "bookinfo", "-o", "json"]);
    assert_eq!(summary(&by_context.stdout), summary(&by_flag.stdout));
    let shop = run(analyze_in(
        &home,
        &[
            "--kubeconfig",
            config.to_str().unwrap(),
            "-n",
            "shop",
            "-o",
            "json",
        ],
    ));
    assert_ne!(summary(&shop.stdout), summary(&by_flag.stdout));
}
