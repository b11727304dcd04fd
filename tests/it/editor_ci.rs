//! The editor and CI consumers of meshctl's files, checked as they read
//! them: yaml-language-server with the README's modeline, pre-commit with
//! `.pre-commit-hooks.yaml`, and JUnit readers (GitLab, Jenkins) with
//! `-o junit`. Where the consumer itself is not installed, the test checks
//! what it needs and says on stderr that the real run was skipped.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use regex::Regex;
use serde_json::{Value as Json, json};

use crate::common::meshctl;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A consumer that is not installed: the notice goes straight to stderr (the
/// harness hides what a passing test prints through `eprintln!`).
fn skipped(what: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(std::io::stderr(), "note: {test}: {what}");
}

/// A VirtualService with one typo'd key (`weigth`) under a retry policy: the
/// fixture both editor tests open.
const ROUTES: &str = "\
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
    - retries:
        attempts: 3
      route:
        - destination:
            host: reviews
          weigth: 100
";

/// The modeline the README's "In editors" section tells users to write.
fn readme_modeline() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme.split("## In editors").nth(1).unwrap();
    section
        .lines()
        .find(|line| line.starts_with("# yaml-language-server: $schema="))
        .expect("the README shows a modeline")
        .to_owned()
}

/// A checkout-like folder: `schemas/` as committed and `k8s/routes.yaml`
/// (the README's `yaml.schemas` glob) starting with the modeline.
fn editor_workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let schemas = dir.path().join("schemas");
    std::fs::create_dir_all(&schemas).unwrap();
    for entry in std::fs::read_dir(root().join("schemas")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), schemas.join(entry.file_name())).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("k8s")).unwrap();
    let file = dir.path().join("k8s/routes.yaml");
    std::fs::write(&file, format!("{}\n{ROUTES}", readme_modeline())).unwrap();
    (dir, file)
}

/// `relative` resolved against the folder of `file`, as an editor resolves
/// a modeline (lexically: the folder need not exist).
fn beside(file: &Path, relative: &str) -> PathBuf {
    let mut resolved = file.parent().unwrap().to_path_buf();
    for part in relative.split('/') {
        match part {
            ".." => assert!(resolved.pop()),
            "." | "" => {}
            name => resolved.push(name),
        }
    }
    resolved
}

fn read_json(path: &Path) -> Json {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_readme_modeline_resolves_to_schemas_yaml_language_server_reads() {
    let modeline = readme_modeline();
    let target = modeline.split("$schema=").nth(1).unwrap().trim();
    // The modeline is relative to the YAML file, which sits one folder down
    // (`k8s/**/*.yaml` in the README's `yaml.schemas` setting).
    let combined = read_json(&beside(&root().join("k8s/routes.yaml"), target));
    // yaml-language-server 1.x reads drafts 04 to 2020-12; `if`/`then`
    // picks the kind's schema.
    assert_eq!(
        combined["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let branches = combined["allOf"].as_array().unwrap();
    assert!(branches.len() > 40, "{}", branches.len());
    for branch in branches {
        let file = branch["then"]["$ref"].as_str().unwrap();
        let schema = read_json(&root().join("schemas").join(file));
        jsonschema::meta::validate(&schema).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    // What the server will say: the typo is refused by the kind's schema,
    // and the field the cursor is on has its own description.
    let kind_schema = read_json(&root().join("schemas/virtualservice-networking.istio.io-v1.json"));
    let validator = jsonschema::validator_for(&kind_schema).unwrap();
    let document: Json = serde_saphyr::from_str(ROUTES).unwrap();
    assert!(!validator.is_valid(&document));
    let fixed: Json = serde_saphyr::from_str(&ROUTES.replace("weigth", "weight")).unwrap();
    assert!(
        validator.is_valid(&fixed),
        "{:?}",
        validator.validate(&fixed).err()
    );
    let retries = &kind_schema["$defs"]["HttpRoute"]["properties"]["retries"];
    assert_eq!(
        retries["anyOf"][0]["description"], retries["description"],
        "an optional field's reference carries the field's words for hover"
    );
}

/// The pinned yaml-language-server `tests/fetch-test-data.sh` installs, and
/// node to run it; `None` (with a notice) when either is missing.
fn yaml_language_server() -> Option<PathBuf> {
    let server = root().join(
        "target/test-data/yaml-language-server/node_modules/yaml-language-server/bin/yaml-language-server",
    );
    let node = Command::new("node").arg("--version").output();
    if !server.exists() || node.is_err() {
        skipped(
            "yaml-language-server or node is not installed (tests/fetch-test-data.sh installs the \
             server when npm is present); checked the schemas it would read instead",
        );
        return None;
    }
    Some(server)
}

/// A language-server session over stdio: requests out, messages in (read by
/// a thread, so that a silent server fails the test instead of hanging it).
struct Session {
    child: std::process::Child,
    incoming: mpsc::Receiver<Json>,
    next_id: u64,
}

impl Session {
    fn start(server: &Path) -> Session {
        let mut child = Command::new("node")
            .arg(server)
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        Session {
            child,
            incoming,
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Json) {
        let body = message.to_string();
        let stdin = self.child.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Json) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Json) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The next message that `wanted` accepts; the server's own requests
    /// (configuration, registrations) are answered on the way.
    fn wait_for(&mut self, wanted: impl Fn(&Json) -> bool) -> Json {
        loop {
            let message = self
                .incoming
                .recv_timeout(Duration::from_secs(60))
                .expect("yaml-language-server stopped answering");
            if let (Some(id), Some(method)) = (message.get("id"), message["method"].as_str()) {
                let result = match method {
                    "workspace/configuration" => json!([{"validate": true, "hover": true}]),
                    _ => Json::Null,
                };
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
                continue;
            }
            if wanted(&message) {
                return message;
            }
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Json> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line.trim().is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn yaml_language_server_explains_a_field_and_flags_a_typo() {
    let Some(server) = yaml_language_server() else {
        return;
    };
    let (workspace, file) = editor_workspace();
    let uri = file_uri(&file);
    let mut session = Session::start(&server);
    let id = session.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": file_uri(workspace.path()),
            "capabilities": {"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}},
        }),
    );
    session.wait_for(|m| m["id"] == id);
    session.notify("initialized", json!({}));
    session.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"yaml": {"validate": true, "hover": true, "schemaStore": {"enable": false}}}}),
    );
    session.notify(
        "textDocument/didOpen",
        json!({"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1,
            "text": std::fs::read_to_string(&file).unwrap(),
        }}),
    );
    // Line 9 of the file (0-based 8) is `    - retries:`, after the modeline.
    let id = session.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 8, "character": 8}}),
    );
    let hover = session.wait_for(|m| m["id"] == id);
    let text = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        text.contains("Retry policy for failed requests on this rule."),
        "{hover}"
    );
    let diagnostics = session.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| !d.is_empty())
    });
    let messages: Vec<&str> = diagnostics["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        ["Property weigth is not allowed."],
        "{diagnostics}"
    );
}

/// A git repository holding one broken manifest, for `pre-commit try-repo`.
fn broken_git_repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let broken = root().join("testdata/scenarios/canary-90-10/broken-weigth-typo.yaml");
    std::fs::create_dir_all(repo.path().join("mesh")).unwrap();
    std::fs::copy(broken, repo.path().join("mesh/routes.yaml")).unwrap();
    for args in [
        &["init", "--quiet"][..],
        &["add", "."],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "--quiet",
            "-m",
            "mesh",
        ],
    ] {
        let status = Command::new("git")
            .args(args)
            .current_dir(repo.path())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }
    repo
}

#[test]
fn pre_commit_try_repo_runs_the_hooks() {
    if Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_err()
    {
        // tests/cli.rs (pre_commit_hooks_run_as_pre_commit_runs_them) runs
        // each hook's entry and args as pre-commit would, without it.
        skipped(
            "pre-commit is not installed; the hooks' commands were run directly instead. With \
             pre-commit, this builds meshctl with `cargo install` (a release build)",
        );
        return;
    }
    let repo = broken_git_repository();
    for hook in ["meshctl-validate", "meshctl-lint"] {
        let output = Command::new("pre-commit")
            .args(["try-repo", env!("CARGO_MANIFEST_DIR"), hook, "--all-files"])
            .current_dir(repo.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{hook}: {stdout}");
        assert!(stdout.contains("MSH1001"), "{hook}: {stdout}");
    }
}

/// One XML element of a JUnit report: its name, attributes and children.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: HashMap<String, String>,
    children: Vec<Element>,
}

/// Parses the XML meshctl writes (declaration, elements, attributes, escaped
/// text) into a tree, failing on anything a strict XML reader would refuse:
/// tags that do not nest, a raw `<` or an unknown entity in text or values.
fn parse_xml(text: &str) -> Element {
    let rest = text
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .expect("an XML declaration with UTF-8");
    let tag = Regex::new(r#"<(/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(/?)>"#).unwrap();
    let attribute = Regex::new(r#"([\w.-]+)="([^"]*)""#).unwrap();
    let entity = Regex::new(r"&(?:quot|amp|lt|gt|apos|#\d+|#x[0-9A-Fa-f]+);").unwrap();
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut at = 0;
    for found in tag.captures_iter(rest) {
        let whole = found.get(0).unwrap();
        let between = &rest[at..whole.start()];
        assert!(!between.contains('<'), "malformed markup: {between:?}");
        assert!(
            !entity.replace_all(between, "").contains('&'),
            "unescaped & in {between:?}"
        );
        at = whole.end();
        let name = found[2].to_owned();
        if &found[1] == "/" {
            let element = stack.pop().unwrap();
            assert_eq!(element.name, name, "closing tag does not match");
            stack.last_mut().unwrap().children.push(element);
            continue;
        }
        let mut element = Element {
            name,
            ..Element::default()
        };
        for pair in attribute.captures_iter(&found[3]) {
            assert!(
                !entity.replace_all(&pair[2], "").contains('&'),
                "{}",
                &pair[2]
            );
            let duplicate = element
                .attributes
                .insert(pair[1].to_owned(), pair[2].to_owned());
            assert!(duplicate.is_none(), "attribute {} twice", &pair[1]);
        }
        if &found[4] == "/" {
            stack.last_mut().unwrap().children.push(element);
        } else {
            stack.push(element);
        }
    }
    assert!(rest[at..].trim().is_empty(), "text after the root element");
    let mut document = stack.pop().unwrap();
    assert!(stack.is_empty(), "unclosed element");
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.pop().unwrap()
}

/// The attributes JUnit readers know for each element (the Jenkins/Ant
/// junit-10.xsd and GitLab's parser), and those they need.
const JUNIT_ELEMENTS: [(&str, &[&str], &[&str]); 5] = [
    (
        "testsuites",
        &["name", "tests", "failures", "errors", "disabled", "time"],
        &[],
    ),
    (
        "testsuite",
        &[
            "name",
            "tests",
            "failures",
            "errors",
            "skipped",
            "disabled",
            "time",
            "timestamp",
            "hostname",
            "id",
            "package",
        ],
        &["name", "tests"],
    ),
    (
        "testcase",
        &["name", "classname", "time", "status", "assertions"],
        &["name", "classname"],
    ),
    ("failure", &["message", "type"], &[]),
    ("error", &["message", "type"], &[]),
];

fn count(element: &Element, attribute: &str) -> usize {
    let value = element
        .attributes
        .get(attribute)
        .map_or("0", String::as_str);
    value
        .parse()
        .unwrap_or_else(|_| panic!("{}.{attribute} is not a count: {value:?}", element.name))
}

fn check_element(element: &Element) {
    let (_, known, needed) = JUNIT_ELEMENTS
        .iter()
        .find(|(name, _, _)| *name == element.name)
        .unwrap_or_else(|| panic!("<{}> is not a JUnit element", element.name));
    for attribute in element.attributes.keys() {
        assert!(
            known.contains(&attribute.as_str()),
            "{}.{attribute}",
            element.name
        );
    }
    for attribute in *needed {
        assert!(
            element.attributes.contains_key(*attribute),
            "{}.{attribute} missing",
            element.name
        );
    }
    element.children.iter().for_each(check_element);
}

/// A suite's counts match its test cases; returns (tests, failures, errors).
fn check_suite(suite: &Element) -> (usize, usize, usize) {
    assert_eq!(suite.name, "testsuite");
    let cases = &suite.children;
    assert!(cases.iter().all(|c| c.name == "testcase"));
    let with = |name: &str| {
        cases
            .iter()
            .filter(|c| c.children.iter().any(|f| f.name == name))
            .count()
    };
    let totals = (cases.len(), with("failure"), with("error"));
    assert_eq!(
        (
            count(suite, "tests"),
            count(suite, "failures"),
            count(suite, "errors")
        ),
        totals,
        "{suite:?}"
    );
    totals
}

fn check_junit(report: &str) -> Element {
    let root = parse_xml(report);
    assert_eq!(root.name, "testsuites");
    check_element(&root);
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for suite in &root.children {
        let (t, f, e) = check_suite(suite);
        (tests, failures, errors) = (tests + t, failures + f, errors + e);
    }
    assert_eq!(
        (
            count(&root, "tests"),
            count(&root, "failures"),
            count(&root, "errors")
        ),
        (tests, failures, errors)
    );
    root
}

fn junit_of(args: &[&str]) -> (Option<i32>, String) {
    let output = meshctl()
        .args(["validate", "-o", "junit"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// No JUnit XSD is published by a source stable enough to pin (Jenkins'
/// and Ant's copies differ, GitLab documents its parser in prose) and no
/// XSD validator is available offline here, so the report is checked
/// against what those readers take from it: well-formed XML, only their
/// elements and attributes, the ones they need, and counts that add up.
#[test]
fn junit_reports_have_the_shape_ci_systems_read() {
    let (status, dirty) = junit_of(&["testdata/scenarios/canary-90-10/broken-weigth-typo.yaml"]);
    assert_eq!(status, Some(1));
    let report = check_junit(&dirty);
    assert_eq!(count(&report, "failures"), 1);
    // Two findings of one resource: one failed test, two failure elements.
    let dir = tempfile::tempdir().unwrap();
    let twice = dir.path().join("twice.yaml");
    std::fs::write(
        &twice,
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: a}\n\
         spec:\n  hostz: [r]\n  gatewayz: [g]\n",
    )
    .unwrap();
    let (status, twice) = junit_of(&[twice.to_str().unwrap()]);
    assert_eq!(status, Some(1));
    let twice = check_junit(&twice);
    assert_eq!(count(&twice, "failures"), 1);
    assert_eq!(twice.children[0].children[0].children.len(), 2, "{twice:?}");
    let (status, clean) = junit_of(&["testdata/scenarios/canary-90-10/good.yaml"]);
    assert_eq!(status, Some(0));
    assert_eq!(count(&check_junit(&clean), "failures"), 0);
    let (status, many) = junit_of(&["--fail-on", "none", "testdata/"]);
    assert_eq!(status, Some(0));
    let many = check_junit(&many);
    assert!(many.children.len() > 10, "a suite per file with findings");
    assert!(count(&many, "failures") > 10);
    // A run that cannot be done still leaves a report, with the reason.
    let (status, failed) = junit_of(&["testdata/does-not-exist.yaml"]);
    assert_eq!(status, Some(2));
    let failed = check_junit(&failed);
    assert_eq!(count(&failed, "errors"), 1);
    assert!(
        format!("{failed:?}").contains("does-not-exist.yaml"),
        "{failed:?}"
    );
}
