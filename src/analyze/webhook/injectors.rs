//! Istio's sidecar injection webhooks (IST0139): two that would both inject
//! one pod, and one whose Service does not exist.

use crate::model::StringMap;
use std::collections::{BTreeMap, BTreeSet};

use crate::model::LabelSelector;

use super::super::workload::{label_selector, selector_matches};
use super::super::{Analyzer, Report};
use super::webhooks;

use crate::loader::{Node, Value};
use crate::model::Object;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static INVALID_WEBHOOK: Rule = Rule {
    code: "IST0139",
    name: "invalid-injection-webhook",
    level: Level::Error,
    summary: "Istio injection webhooks that overlap, or that call a control plane Service that does not exist.",
    kinds: &["MutatingWebhookConfiguration", "Service"],
    explanation: "Every pod must match at most one of Istio's injection webhooks: with two \
        (two revisions or an old configuration left behind, with selectors that overlap for \
        some namespace or pod labels), the pod is injected twice and does not start. A webhook \
        that calls a Service that does not exist makes pod creation fail or go without \
        sidecar, as the webhook's failure policy says. Make the namespace and object \
        selectors disjoint (by `istio-injection` and `istio.io/rev`), remove the stale \
        configuration, or point the webhook at istiod's Service.",
    example: Example {
        yaml: "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: istio-sidecar-injector\nwebhooks:\n- name: sidecar-injector.istio.io\n  admissionReviewVersions: [v1]\n  clientConfig:\n    service: {name: istiod-old, namespace: istio-system}\n  namespaceSelector:\n    matchLabels: {istio-injection: enabled}\n",
        fires_at: &["webhooks[0].clientConfig.service"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "webhook.Analyzer",
    rules: &[&INVALID_WEBHOOK],
    run,
};

const REVISION: &str = "istio.io/rev";

/// One injection webhook of an Istio webhook configuration.
struct Injector<'a> {
    config: &'a Object,
    index: usize,
    /// `configuration/webhook`, as findings name it.
    name: String,
    namespaces: Option<LabelSelector>,
    objects: Option<LabelSelector>,
    node: &'a Node,
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let mut revisions = BTreeSet::new();
    let mut injectors = Vec::new();
    for config in snapshot.of_kind("MutatingWebhookConfiguration") {
        let items = webhooks(config.tree());
        let own = config_revisions(config, items);
        if own.is_empty() && !items.iter().any(is_istio_webhook) {
            continue;
        }
        revisions.extend(own);
        for (index, node) in items.iter().enumerate() {
            let Some((namespaces, objects)) = selectors(node) else {
                continue;
            };
            let webhook = node.get_str("name").unwrap_or_default();
            injectors.push(Injector {
                config,
                index,
                name: format!("{}/{webhook}", config.name),
                namespaces,
                objects,
                node,
            });
        }
    }
    report_overlaps(&injectors, &revisions, report);
    for injector in &injectors {
        check_service(snapshot, injector, report);
    }
}

/// For each namespace and pod labelling injection cares about, the
/// injectors that would inject a pod so labelled: more than one is a
/// double injection.
fn report_overlaps(injectors: &[Injector], revisions: &BTreeSet<String>, report: &mut Report) {
    let namespace_labels = label_sets("istio-injection", ["enabled", "disabled"], revisions);
    let object_labels = label_sets("sidecar.istio.io/inject", ["true", "false"], revisions);
    // Each injector's partners, gathered over every labelling, said once.
    let mut overlaps: BTreeMap<usize, BTreeSet<BTreeSet<usize>>> = BTreeMap::new();
    for namespace in &namespace_labels {
        for object in &object_labels {
            let matching: BTreeSet<usize> = injectors
                .iter()
                .enumerate()
                .filter(|(_, i)| matches(&i.namespaces, namespace) && matches(&i.objects, object))
                .map(|(n, _)| n)
                .collect();
            if matching.len() > 1 {
                for &n in &matching {
                    let mut others = matching.clone();
                    others.remove(&n);
                    overlaps.entry(n).or_default().insert(others);
                }
            }
        }
    }
    for (n, partner_sets) in overlaps {
        let injector = &injectors[n];
        for others in partner_sets {
            let names: Vec<&str> = others.iter().map(|&o| injectors[o].name.as_str()).collect();
            report.report_with_help(
                &INVALID_WEBHOOK,
                injector.config,
                &format!("webhooks[{}]", injector.index),
                format!(
                    "webhook {} overlaps with [{}]: some pods would be injected twice",
                    injector.name,
                    names.join(", ")
                ),
                "make the namespace and object selectors of Istio's injection webhooks disjoint",
            );
        }
    }
}

fn check_service(snapshot: &Snapshot, injector: &Injector, report: &mut Report) {
    let Some(service) = injector
        .node
        .get("clientConfig")
        .and_then(|c| c.get("service"))
    else {
        return;
    };
    let namespace = service.get_str("namespace").unwrap_or_default();
    let name = service.get_str("name").unwrap_or_default();
    if snapshot.get("", "Service", namespace, name).is_none() {
        report.report(
            &INVALID_WEBHOOK,
            injector.config,
            &format!("webhooks[{}].clientConfig.service", injector.index),
            format!("webhook {} calls the control plane Service {namespace}/{name}, which does not exist", injector.name),
        );
    }
}

/// The labellings to try: none, the key at each value, and each of those
/// with every revision.
fn label_sets(key: &str, values: [&str; 2], revisions: &BTreeSet<String>) -> Vec<StringMap> {
    let base: Vec<StringMap> = std::iter::once(StringMap::new())
        .chain(values.map(|v| StringMap::from([(key.to_string(), v.to_string())])))
        .collect();
    let revised = revisions.iter().flat_map(|revision| {
        base.iter().map(move |labels| {
            let mut labels = labels.clone();
            labels.insert(REVISION.to_string(), revision.clone());
            labels
        })
    });
    base.clone().into_iter().chain(revised).collect()
}

/// An absent selector matches everything, as the API server reads it.
fn matches(selector: &Option<LabelSelector>, labels: &StringMap) -> bool {
    selector
        .as_ref()
        .is_none_or(|s| selector_matches(s, labels))
}

/// The webhook's namespace and object selectors; `None` when one does not
/// read as a label selector (the API server would refuse it).
#[allow(clippy::type_complexity)]
fn selectors(webhook: &Node) -> Option<(Option<LabelSelector>, Option<LabelSelector>)> {
    let read = |key| match webhook.get(key) {
        Some(node) if !matches!(node.value, Value::Null) => label_selector(node).map(Some),
        _ => Some(None),
    };
    Some((read("namespaceSelector")?, read("objectSelector")?))
}

fn is_istio_webhook(webhook: &Node) -> bool {
    webhook
        .get_str("name")
        .is_some_and(|n| n.ends_with("istio.io"))
}

/// The revisions a configuration names: its `istio.io/rev` label, and the
/// values its webhooks' selectors require of `istio.io/rev`.
fn config_revisions(config: &Object, webhooks: &[Node]) -> BTreeSet<String> {
    let mut revisions: BTreeSet<String> = config
        .metadata()
        .labels
        .as_ref()
        .and_then(|l| l.get(REVISION))
        .cloned()
        .into_iter()
        .collect();
    for webhook in webhooks {
        let Some((namespaces, objects)) = selectors(webhook) else {
            continue;
        };
        for selector in [namespaces, objects].into_iter().flatten() {
            revisions.extend(selector.match_labels.and_then(|mut l| l.remove(REVISION)));
            for expression in selector.match_expressions.into_iter().flatten() {
                if expression.key == REVISION {
                    revisions.extend(expression.values.unwrap_or_default());
                }
            }
        }
    }
    revisions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    fn injector(name: &str, revision: &str, service: &str) -> String {
        let selector = if revision.is_empty() {
            "    matchLabels: {istio-injection: enabled}\n".to_string()
        } else {
            format!(
                "    matchExpressions:\n    - {{key: istio-injection, operator: DoesNotExist}}\n    - {{key: istio.io/rev, operator: In, values: [{revision}]}}\n"
            )
        };
        format!(
            "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: {name}\nwebhooks:\n- name: sidecar-injector.istio.io\n  admissionReviewVersions: [v1]\n  clientConfig:\n    service: {{name: {service}, namespace: istio-system}}\n  namespaceSelector:\n{selector}---\n"
        )
    }

    const ISTIOD: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: istiod\n  namespace: istio-system\nspec:\n  ports: [{name: https-webhook, port: 443}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: istiod-canary\n  namespace: istio-system\nspec:\n  ports: [{name: https-webhook, port: 443}]\n---\n";

    analyzer_tests!(
        INVALID_WEBHOOK,
        &format!(
            "{ISTIOD}{}{}",
            injector("istio-sidecar-injector", "", "istiod"),
            injector("istio-sidecar-injector-canary", "canary", "istiod-canary")
        )
    );

    #[test]
    fn two_injectors_for_the_same_namespaces_overlap() {
        let yaml = format!(
            "{ISTIOD}{}{}",
            injector("istio-sidecar-injector", "", "istiod"),
            injector("istio-sidecar-injector-old", "", "istiod")
        );
        insta::assert_snapshot!(findings_of(&INVALID_WEBHOOK, &yaml));
    }
}
