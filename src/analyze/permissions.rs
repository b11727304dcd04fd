//! istioctl's IST0141 InsufficientPermissions, as `meshctl analyze` reports
//! a resource the cluster refused to show: the analysis goes on without it,
//! and the finding says what was not read.

use crate::cluster::PermissionGap;
use crate::report::{Diagnostic, Example, Level, Rule};

pub static INSUFFICIENT_PERMISSIONS: Rule = Rule {
    code: "IST0141",
    name: "insufficient-permissions",
    level: Level::Error,
    summary: "The cluster refused to let meshctl analyze read a resource the analyzers need.",
    kinds: &["*"],
    explanation: "`meshctl analyze` lists the kinds its analyzers read. When the API server \
        answers 403 Forbidden to one of those lists (or to the get of a ConfigMap), the \
        analysis goes on with what could be read, and this finding names the resource, the \
        verb and the namespace that were refused. Findings that needed the missing resource \
        cannot be made, and some may be wrong (a Service that could not be read looks \
        missing). Grant the user `get` and `list` on the resource (a ClusterRole bound with a \
        ClusterRoleBinding, or a Role in each namespace), or narrow the run with `--analyzer`. \
        Only `meshctl analyze` reports it: files hold no permissions.",
    example: Example {
        yaml: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: mesh-reader\n  namespace: shop\nrules:\n- apiGroups: [networking.istio.io]\n  resources: [virtualservices]\n  verbs: [get, list]\n",
        fires_at: &[],
    },
};

/// One finding per refused resource (and namespace).
pub fn findings(gaps: &[PermissionGap]) -> Vec<Diagnostic> {
    gaps.iter()
        .map(|gap| {
            let place = match &gap.namespace {
                Some(namespace) => format!(" in namespace {namespace}"),
                None => String::new(),
            };
            Diagnostic::new(
                &INSUFFICIENT_PERMISSIONS,
                format!(
                    "Missing required permission to {} resource {}{place} ({})",
                    gap.verb, gap.resource, gap.message
                ),
            )
        })
        .collect()
}
