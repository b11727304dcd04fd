//! Hostile and careless input, end to end (issue 12): each test runs the
//! binary on one shape and pins what meshctl does with it. Bounds are set
//! low with their flags so that the tests stay fast.

use std::path::Path;

use crate::common::meshctl;

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = meshctl().current_dir(dir).args(args).output().unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The findings of a `-o json` report that have this code.
fn findings_with_code(json: &str, code: &str) -> Vec<serde_json::Value> {
    let findings: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    findings.into_iter().filter(|f| f["code"] == code).collect()
}

/// A temporary folder holding one file, `in.yaml`, with `text`.
fn folder_with(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.yaml"), text).unwrap();
    dir
}

/// VirtualService `r` in `default` for host `r`, with these `http` routes.
fn virtual_service(http: &str) -> String {
    format!(
        "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: r, namespace: default}}
spec:
  hosts: [r.default.svc.cluster.local]
  http:
{http}"
    )
}

/// `simulate` of `GET http://r.default.svc.cluster.local/` on `in.yaml`.
fn simulate_root(dir: &Path) -> Run {
    let request = "GET http://r.default.svc.cluster.local/";
    run_in(dir, &["simulate", "-f", "in.yaml", "--request", request])
}

/// The subset `simulate -o json` on `in.yaml` sends `GET url` to, with
/// `extra` flags; the run must succeed.
fn simulated_subset(dir: &Path, url: &str, extra: &[&str]) -> serde_json::Value {
    let request = format!("GET {url}");
    let mut args = vec!["simulate", "-f", "in.yaml", "--request", &request];
    args.extend(["-o", "json"]);
    args.extend(extra);
    let ran = run_in(dir, &args);
    assert_eq!(ran.status, 0, "{url} {extra:?}: {}", ran.stderr);
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    json.pointer("/destinations/0/subset")
        .cloned()
        .unwrap_or_default()
}

#[test]
fn the_output_threshold_does_not_change_the_exit_status() {
    // One warning (MSH3006) and nothing at error level: hidden, it still fails.
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/scenarios/payments-authz/broken-wildcard-in-middle.yaml"
    );
    let dir = tempfile::tempdir().unwrap();
    let hidden = run_in(
        dir.path(),
        &[
            "lint",
            "--output-threshold",
            "error",
            "--fail-on",
            "warning",
            file,
        ],
    );
    assert_eq!(hidden.status, 1, "{}{}", hidden.stdout, hidden.stderr);
    assert!(
        hidden
            .stdout
            .contains("1 finding below --output-threshold not shown")
    );
    let passing = run_in(dir.path(), &["lint", "--output-threshold", "error", file]);
    assert_eq!(passing.status, 0, "{}", passing.stdout);
}

/// A ConfigMap whose `extra` field nests `depth` lists (`- - - x`): two
/// bytes a level, so depth costs no indentation.
fn nested(depth: usize) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\nextra:\n{}x\n",
        "- ".repeat(depth)
    )
}

#[test]
fn depth_bounds_hold_whatever_flag_is_given() {
    let dir = folder_with(&nested(150_000));
    let refused = run_in(
        dir.path(),
        &["validate", "--max-depth", "1000000", "in.yaml"],
    );
    assert_eq!(refused.status, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("at most 1000"),
        "{}",
        refused.stderr
    );
    // Nesting past the bound is a finding; at the ceiling, every command
    // that walks trees still runs (the recursive walks fit the stack).
    let deep = run_in(dir.path(), &["validate", "--max-depth", "1000", "in.yaml"]);
    assert_eq!(deep.status, 1, "{}", deep.stderr);
    assert!(
        deep.stdout.contains("nests deeper than 1000 levels"),
        "{}",
        deep.stdout
    );
    std::fs::write(dir.path().join("in.yaml"), nested(995)).unwrap();
    for command in [
        &["validate"][..],
        &["lint"],
        &["parse"],
        &["diff", "in.yaml"],
    ] {
        let args: Vec<&str> = command
            .iter()
            .copied()
            .chain(["--max-depth", "1000", "in.yaml"])
            .collect();
        let ran = run_in(dir.path(), &args);
        assert!(matches!(ran.status, 0 | 1), "{command:?}: {}", ran.stderr);
    }
}

/// A VirtualService carrying terminal escapes in its name, a quoted key, a
/// comment next to a finding, and a C1 control.
const ESCAPES: &str = "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: \"r\\e]0;PWNED\\a\"
  namespace: default
spec:
  # comment \u{1b}]0;EVIL\u{7} \u{9b}31m here
  \"we\\eird\": 1
  hosts: [r.default.svc.cluster.local]
  http:
  - route:
    - destination: {host: r.default.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: r, namespace: default}
spec:
  ports: [{port: 80, name: http}]
";

#[test]
fn control_characters_from_the_input_never_reach_the_terminal() {
    let dir = folder_with(ESCAPES);
    let raw = |text: &str| text.contains(['\u{1b}', '\u{7}', '\u{9b}']);
    for command in [&["validate"][..], &["lint"]] {
        let args: Vec<&str> = command
            .iter()
            .copied()
            .chain(["--color", "never", "in.yaml"])
            .collect();
        let ran = run_in(dir.path(), &args);
        assert!(!raw(&ran.stdout), "{command:?}: {:?}", ran.stdout);
        assert!(
            ran.stdout.contains("r\\u{1b}]0;PWNED\\u{7}"),
            "{}",
            ran.stdout
        );
        assert!(ran.stdout.contains("spec.we\\u{1b}ird"), "{}", ran.stdout);
        assert!(
            ran.stdout.contains("# comment ?]0;EVIL? ¿31m here"),
            "{}",
            ran.stdout
        );
    }
    // simulate runs on valid configuration only: the escape sits in a
    // header match that its trace shows.
    let valid = ESCAPES
        .replace("r\\e]0;PWNED\\a", "r")
        .replace("\"we\\eird\": 1", "")
        .replace(
            "  - route:",
            "  - match: [{headers: {x-a: {exact: \"v\\e[31m\"}}}]\n    route:",
        );
    std::fs::write(dir.path().join("in.yaml"), valid).unwrap();
    let simulated = simulate_root(dir.path());
    assert_eq!(simulated.status, 0, "{}", simulated.stderr);
    assert!(!raw(&simulated.stdout), "{:?}", simulated.stdout);
    assert!(
        simulated.stdout.contains("v\\u{1b}[31m"),
        "{}",
        simulated.stdout
    );
}

#[test]
fn null_list_items_are_errors_and_simulate_refuses_them() {
    let dir = folder_with(&virtual_service("  - match: [~]\n    route: [~]\n"));
    let validated = run_in(dir.path(), &["validate", "-o", "json", "in.yaml"]);
    assert_eq!(validated.status, 1, "{}", validated.stdout);
    for (path, line) in [("spec.http[0].match[0]", 7), ("spec.http[0].route[0]", 8)] {
        let expected = format!("\"path\": \"{path}\"");
        assert!(validated.stdout.contains(&expected), "{}", validated.stdout);
        assert!(validated.stdout.contains(&format!("\"line\": {line}")));
    }
    assert!(validated.stdout.contains("must be a mapping, found null"));
    let simulated = simulate_root(dir.path());
    assert_eq!(simulated.status, 2, "{}", simulated.stdout);
}

#[test]
fn regexes_re2_refuses_are_errors() {
    let refused = [
        "a**",
        "a++",
        "a?*",
        "a{1001}",
        "a{1000}{1000}",
        "(a{100}){100}",
        "[a--b]",
    ];
    let matches: String = refused
        .iter()
        .map(|r| format!("    - uri: {{regex: \"{r}\"}}\n"))
        .collect();
    let dir = folder_with(&format!(
        "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: r, namespace: default}}
spec:
  hosts: [r]
  http:
  - match:
{matches}    - uri: {{regex: \"a{{1000}}\"}}
    route: [{{destination: {{host: r}}}}]
"
    ));
    let validated = run_in(dir.path(), &["validate", "in.yaml"]);
    let errors = validated
        .stdout
        .matches("is not a valid RE2 regular expression")
        .count();
    assert_eq!(errors, refused.len(), "{}", validated.stdout);
    assert!(!validated.stdout.contains("\"a{1000}\" is not"));
}

/// Patterns RE2 and the regex crate both take but read differently are
/// valid, and simulate matches them as RE2 (Envoy) reads them: `&&`, `~~`
/// and `[` are literals in an RE2 class, and a `{` that starts no count is
/// a literal.
#[test]
fn regexes_match_as_re2_reads_them() {
    let cases = [
        ("[a&&b]", "&"),
        ("[a~~b]", "~"),
        ("[[:alpha:]]", "q"),
        ("[a[b]]", "a]"),
        ("x{", "x{"),
        ("x{,3}", "x{,3}"),
    ];
    let routes: String = cases
        .iter()
        .enumerate()
        .map(|(i, (pattern, _))| {
            format!(
                "  - match: [{{headers: {{x-t: {{regex: '{pattern}'}}}}}}]\n    \
                 route: [{{destination: {{host: r.default.svc.cluster.local, subset: s{i}}}}}]\n"
            )
        })
        .collect();
    let routes = format!(
        "{routes}  - route: [{{destination: {{host: r.default.svc.cluster.local, subset: none}}}}]\n"
    );
    let dir = folder_with(&virtual_service(&routes));
    let validated = run_in(dir.path(), &["validate", "in.yaml"]);
    assert_eq!(validated.status, 0, "{}", validated.stdout);
    let subset = |value: &str| {
        let header = format!("x-t: {value}");
        let url = "http://r.default.svc.cluster.local/";
        simulated_subset(dir.path(), url, &["-H", &header])
    };
    for (i, (pattern, value)) in cases.iter().enumerate() {
        assert_eq!(subset(value), format!("s{i}"), "{pattern} on {value:?}");
    }
    // Not what the regex crate would have read: an empty intersection
    // (RE2's class holds `a`), `{,3}` as a count.
    assert_eq!(subset("a"), "s0");
    for value in ["xx", "xxx"] {
        assert_eq!(subset(value), "none", "{value}");
    }
}

#[test]
fn lists_merge_keys_and_json_streams_are_read_as_kubectl_reads_them() {
    let dir = folder_with("apiVersion: v1\nkind: List\nitems: 5\n");
    let list = run_in(dir.path(), &["validate", "in.yaml"]);
    assert_eq!(list.status, 1, "{}", list.stdout);
    assert!(
        list.stdout
            .contains("the items of a List must be a list, found an integer")
    );
    std::fs::write(
        dir.path().join("in.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  <<: 5\n",
    )
    .unwrap();
    let merge = run_in(dir.path(), &["validate", "in.yaml"]);
    assert_eq!(merge.status, 1, "{}", merge.stdout);
    assert!(
        merge.stdout.contains("a merge key (<<) takes a mapping"),
        "{}",
        merge.stdout
    );
    // A quoted '<<' is a key like another: it merges nothing.
    std::fs::write(
        dir.path().join("in.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  '<<': {namespace: other}\n",
    )
    .unwrap();
    let quoted = run_in(dir.path(), &["parse", "-o", "json", "in.yaml"]);
    assert!(
        !quoted.stdout.contains("\"namespace\": \"other\""),
        "{}",
        quoted.stdout
    );
    // `jq -c '.items[]'` output: one object a line.
    let stream = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}\n\
                  {\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\"}}\n";
    std::fs::write(dir.path().join("in.json"), stream).unwrap();
    let json = run_in(dir.path(), &["validate", "in.json"]);
    assert_eq!(json.status, 0, "{}", json.stdout);
    assert!(json.stdout.contains("in 2 resources"), "{}", json.stdout);
}

#[test]
fn crd_files_that_define_nothing_usable_stop_the_run() {
    let crd = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/crds/widget-crd.yaml"
    ))
    .unwrap();
    let dir = folder_with("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
    std::fs::create_dir(dir.path().join("empty-folder")).unwrap();
    let files = [
        (
            "empty.yaml",
            String::new(),
            "holds no CustomResourceDefinition",
        ),
        (
            "not-a-crd.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".into(),
            "holds no CustomResourceDefinition",
        ),
        ("broken.yaml", "a: [\n".into(), "YAML syntax error"),
        ("binary.yaml", "\u{0}\u{1}\u{2}".into(), "line 1"),
        (
            "type.yaml",
            crd.replacen("type: object", "type: 5", 1),
            "must be one of object",
        ),
        (
            "pattern.yaml",
            crd.replacen("type: object", "type: object\n        pattern: \"[\"", 1),
            "\"[\" does not compile",
        ),
        (
            "empty-folder",
            String::new(),
            "holds no CustomResourceDefinition",
        ),
    ];
    for (name, text, why) in files {
        if !name.ends_with("folder") {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let ran = run_in(dir.path(), &["validate", "--crd", name, "in.yaml"]);
        assert_eq!(ran.status, 2, "{name}: {}", ran.stderr);
        assert!(
            ran.stderr.contains(name) && ran.stderr.contains(why),
            "{name}: {}",
            ran.stderr
        );
    }
    std::fs::write(dir.path().join("crd.yaml"), &crd).unwrap();
    std::fs::write(dir.path().join("again.yaml"), &crd).unwrap();
    let twice = run_in(
        dir.path(),
        &[
            "validate",
            "--crd",
            "crd.yaml",
            "--crd",
            "again.yaml",
            "in.yaml",
        ],
    );
    assert_eq!(twice.status, 2, "{}", twice.stderr);
    assert!(
        twice
            .stderr
            .contains("is defined again; first at crd.yaml:"),
        "{}",
        twice.stderr
    );
    let once = run_in(dir.path(), &["validate", "--crd", "crd.yaml", "in.yaml"]);
    assert_eq!(once.status, 0, "{}", once.stderr);
}

#[test]
fn sarif_uris_are_percent_encoded_and_stdin_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("a b#%");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("x y.yaml"), ESCAPES).unwrap();
    let ran = run_in(
        dir.path(),
        &[
            "validate",
            "-o",
            "sarif",
            "--sarif-root",
            ".",
            "a b#%/x y.yaml",
        ],
    );
    assert!(
        ran.stdout.contains("\"uri\": \"a%20b%23%25/x%20y.yaml\""),
        "{}",
        ran.stdout
    );
    let mut piped = meshctl()
        .current_dir(dir.path())
        .args(["validate", "-o", "sarif", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    piped
        .stdin
        .take()
        .unwrap()
        .write_all(ESCAPES.as_bytes())
        .unwrap();
    let out = String::from_utf8(piped.wait_with_output().unwrap().stdout).unwrap();
    assert!(
        out.contains("\"uri\": \"stdin\"") && out.contains("standard input"),
        "{out}"
    );
}

#[test]
fn simulate_normalises_the_path_as_envoy_does() {
    let routes = "  - match: [{uri: {prefix: /canary}}]
    route: [{destination: {host: r.default.svc.cluster.local, subset: canary}}]
  - route: [{destination: {host: r.default.svc.cluster.local, subset: stable}}]
---
apiVersion: v1
kind: Service
metadata: {name: r, namespace: default}
spec:
  ports: [{port: 80, name: http}]
";
    let dir = folder_with(&virtual_service(routes));
    let subset = |url: &str, header: Option<&str>| match header {
        Some(header) => simulated_subset(dir.path(), url, &["-H", header]),
        None => simulated_subset(dir.path(), url, &[]),
    };
    let host = "http://r.default.svc.cluster.local";
    assert_eq!(subset(&format!("{host}/canary/../x"), None), "stable");
    assert_eq!(subset(&format!("{host}/%63anary"), None), "canary");
    assert_eq!(subset(&format!("{host}/x#/canary"), None), "stable");
    assert_eq!(
        subset("http://user:pw@r.default.svc.cluster.local/canary", None),
        "canary"
    );
    assert_eq!(
        subset(
            "http://10.0.0.9/canary",
            Some("host: r.default.svc.cluster.local")
        ),
        "canary"
    );
    let junk = run_in(
        dir.path(),
        &["simulate", "-f", "in.yaml", "--request", "GET http://r/ x"],
    );
    assert_eq!(junk.status, 2, "{}", junk.stdout);
}

/// The MeshConfig's `pathNormalization` decides the path routes see.
#[test]
fn simulate_follows_the_mesh_path_normalization() {
    let routes = "  - match: [{uri: {prefix: /canary}}]
    route: [{destination: {host: r.default.svc.cluster.local, subset: canary}}]
  - route: [{destination: {host: r.default.svc.cluster.local, subset: stable}}]
";
    let dir = folder_with(&virtual_service(routes));
    let subset = |mode: &str, path: &str| {
        let mesh = dir.path().join("mesh.yaml");
        std::fs::write(
            &mesh,
            format!("pathNormalization: {{normalization: {mode}}}\n"),
        )
        .unwrap();
        let url = format!("http://r.default.svc.cluster.local{path}");
        simulated_subset(dir.path(), &url, &["--mesh-config", "mesh.yaml"])
    };
    assert_eq!(subset("BASE", "/canary/../x"), "stable");
    assert_eq!(subset("NONE", "/canary/../x"), "canary");
    assert_eq!(subset("BASE", "//canary"), "stable");
    assert_eq!(subset("MERGE_SLASHES", "//canary"), "canary");
    assert_eq!(subset("MERGE_SLASHES", "/%2Fcanary"), "stable");
    assert_eq!(subset("DECODE_AND_MERGE_SLASHES", "/%2Fcanary"), "canary");
    assert_eq!(subset("DEFAULT", "//canary"), "stable");
    // A mode Istio does not have is refused, not read as the default.
    std::fs::write(
        dir.path().join("mesh.yaml"),
        "pathNormalization: {normalization: MERGE_SLASH}\n",
    )
    .unwrap();
    let refused = run_in(
        dir.path(),
        &[
            "simulate",
            "-f",
            "in.yaml",
            "--mesh-config",
            "mesh.yaml",
            "--request",
            "GET http://r/",
        ],
    );
    assert_eq!(refused.status, 2, "{}", refused.stdout);
    assert!(refused.stderr.contains("MERGE_SLASH"), "{}", refused.stderr);
}

/// A configuration file holds one document: a second one would be ignored
/// without a word (here it would have turned a rule off), so it stops the
/// run with its position; an empty one after it is harmless.
#[test]
fn a_second_document_in_a_config_file_stops_the_run() {
    let dir = folder_with(&virtual_service("  - route: [{destination: {host: r}}]\n"));
    let config = dir.path().join(".meshctl.yaml");
    std::fs::write(&config, "rules: {}\n---\nrules: {MSH1001: off}\n").unwrap();
    let refused = run_in(dir.path(), &["validate", "in.yaml"]);
    assert_eq!(refused.status, 2, "{}", refused.stdout);
    assert!(
        refused
            .stderr
            .contains(".meshctl.yaml:2:1: a second YAML document"),
        "{}",
        refused.stderr
    );
    std::fs::write(&config, "rules: {}\n---\n").unwrap();
    assert_eq!(run_in(dir.path(), &["validate", "in.yaml"]).status, 0);
}

/// A port the Service does not declare takes none of its routes and
/// reaches no workload; a declared port is routed as before.
#[test]
fn simulate_reports_a_port_the_service_does_not_declare() {
    let routes = "  - route: [{destination: {host: r.default.svc.cluster.local}}]
---
apiVersion: v1
kind: Service
metadata: {name: r, namespace: default}
spec:
  ports: [{port: 80, name: http}]
";
    let dir = folder_with(&virtual_service(routes));
    let json = |url: &str| {
        let request = format!("GET {url}");
        let ran = run_in(
            dir.path(),
            &[
                "simulate",
                "-f",
                "in.yaml",
                "--request",
                &request,
                "-o",
                "json",
            ],
        );
        assert_eq!(ran.status, 0, "{url}: {}", ran.stderr);
        serde_json::from_str::<serde_json::Value>(&ran.stdout).unwrap()
    };
    let declared = json("http://r.default.svc.cluster.local/");
    assert_eq!(declared["matched"], true, "{declared}");
    let undeclared = json("http://r.default.svc.cluster.local:1234/");
    assert_eq!(undeclared["matched"], false, "{undeclared}");
    assert_eq!(undeclared["destinations"], serde_json::json!([]));
    let reason = undeclared["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("port 1234 is not a port of Service default/r"),
        "{reason}"
    );
}

/// An unused suppression names where it was given: a flag as its origin
/// (`--suppress CODE=...`), a `.meshctl.yaml` entry by its origin, file and
/// line; the same in every format.
#[test]
fn unused_suppressions_name_their_origin_in_every_format() {
    let dir = folder_with(&virtual_service("  - route: [{destination: {host: r}}]\n"));
    std::fs::write(
        dir.path().join(".meshctl.yaml"),
        "suppress:\n  - \"IST0102=Namespace nowhere\"\n",
    )
    .unwrap();
    let flag = "IST0101=Gateway nowhere/*";
    let lint = |format: &str| {
        let ran = run_in(
            dir.path(),
            &["lint", "-o", format, "--suppress", flag, "in.yaml"],
        );
        assert!(matches!(ran.status, 0 | 1), "{format}: {}", ran.stderr);
        ran.stdout
    };
    let json = lint("json");
    let unused = findings_with_code(&json, "MSH9001");
    assert_eq!(unused.len(), 2, "{json}");
    let from_file = &unused[0];
    assert_eq!(from_file["origin"], "suppress IST0102=Namespace nowhere");
    assert_eq!(from_file["file"], ".meshctl.yaml");
    assert_eq!(from_file["line"], 2);
    assert_eq!(from_file["column"], 5);
    assert_eq!(from_file["path"], "suppress[0]");
    assert_eq!(from_file["reference"], ".meshctl.yaml:2");
    let from_flag = &unused[1];
    assert_eq!(from_flag["origin"], format!("--suppress {flag}"));
    assert!(from_flag.get("file").is_none(), "{from_flag}");
    assert!(
        from_flag["message"]
            .as_str()
            .unwrap()
            .contains("matched no finding")
    );
    let origin = format!("(--suppress {flag})");
    assert!(lint("text").contains(&origin));
    assert!(lint("sarif").contains(&origin));
    assert!(lint("junit").contains(&format!("<testcase name=\"--suppress {flag}\"")));
    // A bad entry of the file is refused with its place.
    std::fs::write(
        dir.path().join(".meshctl.yaml"),
        "suppress:\n  - \"IST0102\"\n",
    )
    .unwrap();
    let refused = run_in(dir.path(), &["lint", "in.yaml"]);
    assert_eq!(refused.status, 2, "{}", refused.stdout);
    assert!(
        refused
            .stderr
            .contains(".meshctl.yaml:2:5: --suppress \"IST0102\""),
        "{}",
        refused.stderr
    );
}

/// A flow list closed at its key's column (as some projects' samples write
/// container args) is read as kubectl reads it, with exact positions after
/// it; an unclosed one is still a syntax error.
#[test]
fn a_flow_list_closed_at_its_keys_column_is_read_as_kubectl_reads_it() {
    let dir = folder_with(
        "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: r, namespace: default}
spec:
  hosts: [
      r.default.svc.cluster.local,
  ]
  http:
  - route:
    - destination: {host: r.default.svc.cluster.local}
      weigth: 5
",
    );
    let validated = run_in(dir.path(), &["validate", "-o", "json", "in.yaml"]);
    let json: serde_json::Value = serde_json::from_str(&validated.stdout).unwrap();
    let codes: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["MSH1001"], "{json}");
    assert_eq!(
        (json[0]["line"].clone(), json[0]["column"].clone()),
        (11.into(), 7.into())
    );
    let parsed = run_in(dir.path(), &["parse", "-o", "json", "in.yaml"]);
    assert!(
        parsed.stdout.contains("\"r.default.svc.cluster.local\""),
        "{}",
        parsed.stdout
    );
    std::fs::write(
        dir.path().join("in.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: [\n",
    )
    .unwrap();
    let broken = run_in(dir.path(), &["validate", "in.yaml"]);
    assert_eq!(broken.status, 1, "{}", broken.stdout);
    assert!(broken.stdout.contains("MSH0001"), "{}", broken.stdout);
}

/// A file past the size read whole (4 MiB) is read a document at a time,
/// and so is a pipe that large (spooled to a temporary file): findings
/// stand where they do in the input, in every format, and the text report
/// shows their lines.
#[test]
fn a_large_input_read_a_document_at_a_time_reports_findings_in_place() {
    let service = "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: default}\nspec:\n  ports: [{port: 80}]\n";
    let copies = 5 * 1024 * 1024 / service.len();
    let mut text = String::new();
    for i in 0..copies {
        text.push_str(&service.replace("name: s", &format!("name: s{i}")));
        text.push_str("---\n");
    }
    let line = text.lines().count() + 5;
    text.push_str(&virtual_service(
        "  - route:\n    - destination: {host: r}\n      weigth: 100\n",
    ));
    let dir = folder_with(&text);
    let json = run_in(dir.path(), &["validate", "in.yaml", "-o", "json"]);
    assert_eq!(json.status, 1, "{}", json.stderr);
    let findings: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let finding = &findings[0];
    assert_eq!(finding["code"], "MSH1001", "{finding}");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(line as u64 + 4), Some(7))
    );
    let shown = run_in(dir.path(), &["validate", "in.yaml", "--color", "never"]);
    assert!(
        shown.stdout.contains(&format!("in.yaml:{}:7", line + 4)),
        "{}",
        shown.stdout
    );
    assert!(shown.stdout.contains("weigth: 100"), "{}", shown.stdout);
    assert!(
        shown.stdout.contains(&format!("{} resources", copies + 1)),
        "{}",
        shown.stdout
    );
    // Spooled to a temporary file, or, where none can be made, read whole.
    for temp in [std::env::temp_dir(), dir.path().join("absent")] {
        let piped = meshctl()
            .current_dir(dir.path())
            .env("TMPDIR", &temp)
            .args(["validate", "-", "--color", "never"])
            .stdin(std::fs::File::open(dir.path().join("in.yaml")).unwrap())
            .output()
            .unwrap();
        let piped = String::from_utf8_lossy(&piped.stdout);
        assert_eq!(piped.replace("[-:", "[in.yaml:"), shown.stdout, "{temp:?}");
    }
}

#[test]
fn a_resource_defined_twice_in_one_folder_is_an_error_naming_both_places() {
    let route = virtual_service("  - route: [{destination: {host: r}}]\n");
    let dir = folder_with(&route);
    std::fs::write(dir.path().join("again.yaml"), &route).unwrap();
    let validated = run_in(dir.path(), &["validate", "-o", "json", "."]);
    assert_eq!(validated.status, 1, "{}", validated.stderr);
    let duplicates = findings_with_code(&validated.stdout, "MSH0005");
    assert_eq!(duplicates.len(), 1, "{}", validated.stdout);
    let (first, later) = ("again.yaml", "in.yaml");
    assert!(duplicates[0]["file"].as_str().unwrap().ends_with(later));
    assert_eq!(duplicates[0]["path"], "metadata.name");
    let message = duplicates[0]["message"].as_str().unwrap();
    assert!(message.contains(&format!("{first}:3:")), "{message}");
    // simulate does not pick one of the two.
    let request = "GET http://r.default.svc.cluster.local/";
    let simulated = run_in(dir.path(), &["simulate", "-f", ".", "--request", request]);
    assert_eq!(simulated.status, 2, "{}", simulated.stdout);
    assert!(simulated.stderr.contains("MSH0005"), "{}", simulated.stderr);
    // The same resource in another folder is another cluster's.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("in.yaml"), &route).unwrap();
    let paths = [dir.path().join("in.yaml"), other.path().join("in.yaml")];
    let paths: Vec<&str> = paths.iter().map(|p| p.to_str().unwrap()).collect();
    let apart = run_in(dir.path(), &[&["validate"][..], &paths].concat());
    assert_eq!(apart.status, 0, "{}", apart.stdout);
}
