#compdef meshctl

autoload -U is-at-least

_meshctl() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_meshctl_commands" \
"*::: :->meshctl" \
&& ret=0
    case $state in
    (meshctl)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:meshctl-command-$line[1]:"
        case $line[1] in
            (validate)
_arguments "${_arguments_options[@]}" : \
'*-f+[A file, directory or - (repeatable); the same as a positional PATH]:PATH:_default' \
'*--filename=[A file, directory or - (repeatable); the same as a positional PATH]:PATH:_default' \
'-n+[Namespace for resources that name none (default\: \`default\`; for analyze, the context'\''s namespace). It does not restrict which namespaces are checked]:NAMESPACE:_default' \
'--namespace=[Namespace for resources that name none (default\: \`default\`; for analyze, the context'\''s namespace). It does not restrict which namespaces are checked]:NAMESPACE:_default' \
'*--exclude=[Do not read paths matching this glob (gitignore syntax, relative to the folder walked) while walking a folder. Repeatable]:GLOB:_default' \
'(--no-config)--config=[Read this project configuration instead of the nearest .meshctl.yaml]:FILE:_default' \
'--max-file-bytes=[Largest file read, in bytes]:MAX_FILE_BYTES:_default' \
'--max-document-bytes=[Largest document, in bytes]:MAX_DOCUMENT_BYTES:_default' \
'--max-depth=[Deepest nesting of mappings and lists (at most 1000)]:MAX_DEPTH:_default' \
'--max-alias-nodes=[Most nodes that YAML aliases may expand to in one document]:MAX_ALIAS_NODES:_default' \
'*--crd=[Also check custom resources against this CRD file or folder of CRDs (repeatable)\: its openAPIV3Schema and CEL rules]:FILE:_default' \
'-o+[Output format on stdout]:OUTPUT:((text\:""
json\:""
yaml\:""
sarif\:""
github\:"GitHub Actions workflow commands (annotations on the diff)"
gitlab\:"GitLab Code Quality JSON"
junit\:"JUnit XML (GitLab, Jenkins test reports)"))' \
'--output=[Output format on stdout]:OUTPUT:((text\:""
json\:""
yaml\:""
sarif\:""
github\:"GitHub Actions workflow commands (annotations on the diff)"
gitlab\:"GitLab Code Quality JSON"
junit\:"JUnit XML (GitLab, Jenkins test reports)"))' \
'*--report=[Also write a report to a file, e.g. sarif=meshctl.sarif (repeatable; FORMAT is one of -o'\''s, text without colour)]:FORMAT=PATH:_default' \
'--fail-on=[Exit 1 when a finding is at or above this level; none\: only exit 2 (the run could not be done) fails]:FAIL_ON:(error warning info none)' \
'--failure-threshold=[Exit 1 when a finding is at or above this level; none\: only exit 2 (the run could not be done) fails]:FAIL_ON:(error warning info none)' \
'--output-threshold=[Report only findings at or above this level]:OUTPUT_THRESHOLD:(error warning info)' \
'--sarif-root=[The repository root that SARIF, GitHub and GitLab file paths are relative to (default\: the git top level)]:DIR:_default' \
'--color=[Colour in the text report (auto\: only on a terminal, never with NO_COLOR or TERM=dumb)]:COLOR:(auto always never)' \
'--follow-symlinks[Follow symbolic links while walking directories (loops are detected)]' \
'--include-hidden[Also walk hidden folders and files (dot-names); .gitignore still applies]' \
'--no-config[Read no .meshctl.yaml]' \
'--strict-kinds[A resource nothing checks (a kind meshctl does not model, with no \`--crd\` for it) is an error (MSH1009), as kubeconform'\''s default, instead of only being counted in the summary]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Files, directories (recursive\: *.yaml, *.yml, *.json) or - for stdin:_default' \
&& ret=0
;;
(lint)
_arguments "${_arguments_options[@]}" : \
'*-f+[A file, directory or - (repeatable); the same as a positional PATH]:PATH:_default' \
'*--filename=[A file, directory or - (repeatable); the same as a positional PATH]:PATH:_default' \
'-n+[Namespace for resources that name none (default\: \`default\`; for analyze, the context'\''s namespace). It does not restrict which namespaces are checked]:NAMESPACE:_default' \
'--namespace=[Namespace for resources that name none (default\: \`default\`; for analyze, the context'\''s namespace). It does not restrict which namespaces are checked]:NAMESPACE:_default' \
'*--exclude=[Do not read paths matching this glob (gitignore syntax, relative to the folder walked) while walking a folder. Repeatable]:GLOB:_default' \
'(--no-config)--config=[Read this project configuration instead of the nearest .meshctl.yaml]:FILE:_default' \
'--max-file-bytes=[Largest file read, in bytes]:MAX_FILE_BYTES:_default' \
'--max-document-bytes=[Largest document, in bytes]:MAX_DOCUMENT_BYTES:_default' \
'--max-depth=[Deepest nesting of mappings and lists (at most 1000)]:MAX_DEPTH:_default' \
'--max-alias-nodes=[Most nodes that YAML aliases may expand to in one document]:MAX_ALIAS_NODES:_default' \
'*-S+[Hide findings of a code on a resource\: '\''CODE=Kind ns/name'\'' (or istioctl'\''s '\''CODE=Kind name.namespace'\''); \`*\` is a wildcard. Repeatable]:CODE=Kind ns/name:_default' \
'*--suppress=[Hide findings of a code on a resource\: '\''CODE=Kind ns/name'\'' (or istioctl'\''s '\''CODE=Kind name.namespace'\''); \`*\` is a wildcard. Repeatable]:CODE=Kind ns/name:_default' \
'*--analyzer=[Run only this analyzer, by istioctl'\''s name (e.g. virtualservice.DestinationHostAnalyzer; schema.ValidationAnalyzer is validate). Repeatable]:NAME:_default' \
'*--crd=[Also check custom resources against this CRD file or folder of CRDs (repeatable)\: its openAPIV3Schema and CEL rules]:FILE:_default' \
'-o+[Output format on stdout]:OUTPUT:((text\:""
json\:""
yaml\:""
sarif\:""
github\:"GitHub Actions workflow commands (annotations on the diff)"
gitlab\:"GitLab Code Quality JSON"
junit\:"JUnit XML (GitLab, Jenkins test reports)"))' \
'--output=[Output format on stdout]:OUTPUT:((text\:""
json\:""
yaml\:""
sarif\:""
github\:"GitHub Actions workflow commands (annotations on the diff)"
gitlab\:"GitLab Code Quality JSON"
junit\:"JUnit XML (GitLab, Jenkins test reports)"))' \
'*--report=[Also write a report to a file, e.g. sarif=meshctl.sarif (repeatable; FORMAT is one of -o'\''s, text without colour)]:FORMAT=PATH:_default' \
'--fail-on=[Exit 1 when a finding is at or above this level; none\: only exit 2 (the run could not be done) fails]:FAIL_ON:(error warning info none)' \
'--failure-threshold=[Exit 1 when a finding is at or above this level; none\: only exit 2 (the run could not be done) fails]:FAIL_ON:(error warning info none)' \
'--output-threshold=[Report only findings at or above this level]:OUTPUT_THRESHOLD:(error warning info)' \
'--sarif-root=[The repository root that SARIF, GitHub and GitLab file paths are relative to (default\: the git top level)]:DIR:_default' \
'--color=[Colour in the text report (auto\: only on a terminal, never with NO_COLOR or TERM=dumb)]:COLOR:(auto always never)' \
'--mesh-config=[MeshConfig YAML (as \`istioctl analyze --meshConfigFile\`)]:FILE:_default' \
'--mesh-networks=[MeshNetworks YAML]:FILE:_default' \
'--follow-symlinks[Follow symbolic links while walking directories (loops are detected)]' \
'--include-hidden[Also walk hidden folders and files (dot-names); .gitignore still applies]' \
'--no-config[Read no .meshctl.yaml]' \
'--strict-kinds[A resource nothing checks (a kind meshctl does not model, with no \`--crd\` for it) is an error (MSH1009), as kubeconform'\''s default, instead of only being counted in the summary]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Files, directories (recursive\: *.yaml, *.yml, *.json) or - for stdin:_default' \
&& ret=0
;;
(analyze)
_arguments "${_arguments_options[@]}" : \
'*-f+[A file, directory or - (repeatable); the same as a positional PATH]:PATH:_default' \
'*--filename=[A file, directory or - (repeatable); the same as a positional PATH]:PATH:_default' \
'-n+[Namespace for resources that name none (default\: \`default\`; for analyze, the context'\''s namespace). It does not restrict which namespaces are checked]:NAMESPACE:_default' \
'--namespace=[Namespace for resources that name none (default\: \`default\`; for analyze, the context'\''s namespace). It does not restrict which namespaces are checked]:NAMESPACE:_default' \
'*--exclude=[Do not read paths matching this glob (gitignore syntax, relative to the folder walked) while walking a folder. Repeatable]:GLOB:_default' \
'(--no-config)--config=[Read this project configuration instead of the nearest .meshctl.yaml]:FILE:_default' \
'--max-file-bytes=[Largest file read, in bytes]:MAX_FILE_BYTES:_default' \
'--max-document-bytes=[Largest document, in bytes]:MAX_DOCUMENT_BYTES:_default' \
'--max-depth=[Deepest nesting of mappings and lists (at most 1000)]:MAX_DEPTH:_default' \
'--max-alias-nodes=[Most nodes that YAML aliases may expand to in one document]:MAX_ALIAS_NODES:_default' \
'*-S+[Hide findings of a code on a resource\: '\''CODE=Kind ns/name'\'' (or istioctl'\''s '\''CODE=Kind name.namespace'\''); \`*\` is a wildcard. Repeatable]:CODE=Kind ns/name:_default' \
'*--suppress=[Hide findings of a code on a resource\: '\''CODE=Kind ns/name'\'' (or istioctl'\''s '\''CODE=Kind name.namespace'\''); \`*\` is a wildcard. Repeatable]:CODE=Kind ns/name:_default' \
'*--analyzer=[Run only this analyzer, by istioctl'\''s name (e.g. virtualservice.DestinationHostAnalyzer; schema.ValidationAnalyzer is validate). Repeatable]:NAME:_default' \
'*--crd=[Also check custom resources against this CRD file or folder of CRDs (repeatable)\: its openAPIV3Schema and CEL rules]:FILE:_default' \
'-o+[Output format on stdout]:OUTPUT:((text\:""
json\:""
yaml\:""
sarif\:""
github\:"GitHub Actions workflow commands (annotations on the diff)"
gitlab\:"GitLab Code Quality JSON"
junit\:"JUnit XML (GitLab, Jenkins test reports)"))' \
'--output=[Output format on stdout]:OUTPUT:((text\:""
json\:""
yaml\:""
sarif\:""
github\:"GitHub Actions workflow commands (annotations on the diff)"
gitlab\:"GitLab Code Quality JSON"
junit\:"JUnit XML (GitLab, Jenkins test reports)"))' \
'*--report=[Also write a report to a file, e.g. sarif=meshctl.sarif (repeatable; FORMAT is one of -o'\''s, text without colour)]:FORMAT=PATH:_default' \
'--fail-on=[Exit 1 when a finding is at or above this level; none\: only exit 2 (the run could not be done) fails]:FAIL_ON:(error warning info none)' \
'--failure-threshold=[Exit 1 when a finding is at or above this level; none\: only exit 2 (the run could not be done) fails]:FAIL_ON:(error warning info none)' \
'--output-threshold=[Report only findings at or above this level]:OUTPUT_THRESHOLD:(error warning info)' \
'--sarif-root=[The repository root that SARIF, GitHub and GitLab file paths are relative to (default\: the git top level)]:DIR:_default' \
'--color=[Colour in the text report (auto\: only on a terminal, never with NO_COLOR or TERM=dumb)]:COLOR:(auto always never)' \
'--mesh-config=[MeshConfig YAML (as \`istioctl analyze --meshConfigFile\`)]:FILE:_default' \
'--mesh-networks=[MeshNetworks YAML]:FILE:_default' \
'--kubeconfig=[The kubeconfig file (default\: KUBECONFIG, then ~/.kube/config, then the pod'\''s service account)]:FILE:_default' \
'--context=[Kubeconfig context to use]:CONTEXT:_default' \
'--timeout=[One bound for every request to the cluster together (e.g. 30s, 2m)]:DURATION:_default' \
'--use-kube=[false\: read no cluster, only the files (the same as lint)]:BOOL:(true false)' \
'--follow-symlinks[Follow symbolic links while walking directories (loops are detected)]' \
'--include-hidden[Also walk hidden folders and files (dot-names); .gitignore still applies]' \
'--no-config[Read no .meshctl.yaml]' \
'--strict-kinds[A resource nothing checks (a kind meshctl does not model, with no \`--crd\` for it) is an error (MSH1009), as kubeconform'\''s default, instead of only being counted in the summary]' \
'-A[Analyze every namespace]' \
'--all-namespaces[Analyze every namespace]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Files, directories (recursive\: *.yaml, *.yml, *.json) or - for stdin:_default' \
&& ret=0
;;
(diff)
_arguments "${_arguments_options[@]}" : \
'*-f+[A file, directory or - (repeatable); the same as a positional PATH]:PATH:_default' \
'*--filename=[A file, directory or - (repeatable); the same as a positional PATH]:PATH:_default' \
'-n+[Namespace for resources that name none (default\: \`default\`; for analyze, the context'\''s namespace). It does not restrict which namespaces are checked]:NAMESPACE:_default' \
'--namespace=[Namespace for resources that name none (default\: \`default\`; for analyze, the context'\''s namespace). It does not restrict which namespaces are checked]:NAMESPACE:_default' \
'*--exclude=[Do not read paths matching this glob (gitignore syntax, relative to the folder walked) while walking a folder. Repeatable]:GLOB:_default' \
'(--no-config)--config=[Read this project configuration instead of the nearest .meshctl.yaml]:FILE:_default' \
'--max-file-bytes=[Largest file read, in bytes]:MAX_FILE_BYTES:_default' \
'--max-document-bytes=[Largest document, in bytes]:MAX_DOCUMENT_BYTES:_default' \
'--max-depth=[Deepest nesting of mappings and lists (at most 1000)]:MAX_DEPTH:_default' \
'--max-alias-nodes=[Most nodes that YAML aliases may expand to in one document]:MAX_ALIAS_NODES:_default' \
'--mesh-config=[MeshConfig YAML (as \`istioctl analyze --meshConfigFile\`)]:FILE:_default' \
'--mesh-networks=[MeshNetworks YAML]:FILE:_default' \
'--kubeconfig=[The kubeconfig file (default\: KUBECONFIG, then ~/.kube/config, then the pod'\''s service account)]:FILE:_default' \
'--context=[Kubeconfig context to use]:CONTEXT:_default' \
'--timeout=[One bound for every request to the cluster together (e.g. 30s, 2m)]:DURATION:_default' \
'--cluster-domain=[DNS suffix of Services, for --traffic]:DOMAIN:_default' \
'-o+[Output format]:OUTPUT:(text json)' \
'--output=[Output format]:OUTPUT:(text json)' \
'--color=[Colour the text diff\: auto (a terminal, without NO_COLOR), always, never]:COLOR:(auto always never)' \
'--follow-symlinks[Follow symbolic links while walking directories (loops are detected)]' \
'--include-hidden[Also walk hidden folders and files (dot-names); .gitignore still applies]' \
'--no-config[Read no .meshctl.yaml]' \
'--cluster[Compare what the cluster holds (the kinds and namespaces NEW names) with NEW, as \`kubectl diff\` does]' \
'--prune[With --cluster\: also the removals \`kubectl apply --prune\` would make]' \
'--traffic[Also report the request classes whose outcome changes (simulated on both sides)]' \
'--stat[A table of changes by kind instead of the diff]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Files, directories (recursive\: *.yaml, *.yml, *.json) or - for stdin:_default' \
&& ret=0
;;
(parse)
_arguments "${_arguments_options[@]}" : \
'*-f+[A file, directory or - (repeatable); the same as a positional PATH]:PATH:_default' \
'*--filename=[A file, directory or - (repeatable); the same as a positional PATH]:PATH:_default' \
'-n+[Namespace for resources that name none (default\: \`default\`; for analyze, the context'\''s namespace). It does not restrict which namespaces are checked]:NAMESPACE:_default' \
'--namespace=[Namespace for resources that name none (default\: \`default\`; for analyze, the context'\''s namespace). It does not restrict which namespaces are checked]:NAMESPACE:_default' \
'*--exclude=[Do not read paths matching this glob (gitignore syntax, relative to the folder walked) while walking a folder. Repeatable]:GLOB:_default' \
'(--no-config)--config=[Read this project configuration instead of the nearest .meshctl.yaml]:FILE:_default' \
'--max-file-bytes=[Largest file read, in bytes]:MAX_FILE_BYTES:_default' \
'--max-document-bytes=[Largest document, in bytes]:MAX_DOCUMENT_BYTES:_default' \
'--max-depth=[Deepest nesting of mappings and lists (at most 1000)]:MAX_DEPTH:_default' \
'--max-alias-nodes=[Most nodes that YAML aliases may expand to in one document]:MAX_ALIAS_NODES:_default' \
'-o+[Output format\: YAML documents, or one JSON array]:OUTPUT:(yaml json)' \
'--output=[Output format\: YAML documents, or one JSON array]:OUTPUT:(yaml json)' \
'--follow-symlinks[Follow symbolic links while walking directories (loops are detected)]' \
'--include-hidden[Also walk hidden folders and files (dot-names); .gitignore still applies]' \
'--no-config[Read no .meshctl.yaml]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Files, directories (recursive\: *.yaml, *.yml, *.json) or - for stdin:_default' \
&& ret=0
;;
(simulate)
_arguments "${_arguments_options[@]}" : \
'*-f+[A file, directory or - (repeatable); the same as a positional PATH]:PATH:_default' \
'*--filename=[A file, directory or - (repeatable); the same as a positional PATH]:PATH:_default' \
'-n+[Namespace for resources that name none (default\: \`default\`; for analyze, the context'\''s namespace). It does not restrict which namespaces are checked]:NAMESPACE:_default' \
'--namespace=[Namespace for resources that name none (default\: \`default\`; for analyze, the context'\''s namespace). It does not restrict which namespaces are checked]:NAMESPACE:_default' \
'*--exclude=[Do not read paths matching this glob (gitignore syntax, relative to the folder walked) while walking a folder. Repeatable]:GLOB:_default' \
'(--no-config)--config=[Read this project configuration instead of the nearest .meshctl.yaml]:FILE:_default' \
'--max-file-bytes=[Largest file read, in bytes]:MAX_FILE_BYTES:_default' \
'--max-document-bytes=[Largest document, in bytes]:MAX_DOCUMENT_BYTES:_default' \
'--max-depth=[Deepest nesting of mappings and lists (at most 1000)]:MAX_DEPTH:_default' \
'--max-alias-nodes=[Most nodes that YAML aliases may expand to in one document]:MAX_ALIAS_NODES:_default' \
'--mesh-config=[MeshConfig YAML (as \`istioctl analyze --meshConfigFile\`)]:FILE:_default' \
'--mesh-networks=[MeshNetworks YAML]:FILE:_default' \
'--request=[The request\: '\''METHOD URL'\'', e.g. '\''GET http\://reviews.default.svc.cluster.local\:9080/api'\'', or a connection '\''TCP HOST\:PORT'\'' or '\''TLS HOST\[\:PORT\]'\'']:REQUEST:_default' \
'--sni=[The SNI of a '\''TLS'\'' request (default\: its host)]:NAME:_default' \
'--destination-ip=[The IP address the client connects to, for destinationSubnets of TCP and TLS routes]:IP:_default' \
'*-H+[A request header '\''name\: value'\'' (repeatable)]:HEADERS:_default' \
'*--header=[A request header '\''name\: value'\'' (repeatable)]:HEADERS:_default' \
'--source-labels=[Labels of the calling workload, k=v,k=v]:SOURCE_LABELS:_default' \
'--source-namespace=[Namespace of the calling workload]:SOURCE_NAMESPACE:_default' \
'--source-principal=[Peer identity of the caller, cluster.local/ns/NS/sa/SA]:SOURCE_PRINCIPAL:_default' \
'--source-ip=[IP address of the caller]:SOURCE_IP:_default' \
'*--jwt-claim=[A JWT claim k=v (repeatable)]:JWT_CLAIM:_default' \
'--gateway=[Simulate ingress through this Gateway, NS/NAME]:GATEWAY:_default' \
'--count=[Draw this many requests through the weighted choice (at most 100000000)]:COUNT:_default' \
'--seed=[Seed for --count (default 1)\: the same seed gives the same counts]:SEED:_default' \
'--cluster-domain=[DNS suffix of Services\: short hosts expand to name.namespace.svc.DOMAIN]:DOMAIN:_default' \
'-o+[Output format]:OUTPUT:(text json)' \
'--output=[Output format]:OUTPUT:(text json)' \
'--follow-symlinks[Follow symbolic links while walking directories (loops are detected)]' \
'--include-hidden[Also walk hidden folders and files (dot-names); .gitignore still applies]' \
'--no-config[Read no .meshctl.yaml]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'*::paths -- Files, directories (recursive\: *.yaml, *.yml, *.json) or - for stdin:_default' \
&& ret=0
;;
(kube-inject)
_arguments "${_arguments_options[@]}" : \
'*-f+[The workload manifests to inject\: files, directories (recursive) or - for stdin. Repeatable]:FILE:_default' \
'*--filename=[The workload manifests to inject\: files, directories (recursive) or - for stdin. Repeatable]:FILE:_default' \
'--meshConfigFile=[MeshConfig (YAML) to inject with, as \`istioctl kube-inject --meshConfigFile\`]:FILE:_default' \
'--injectConfigFile=[The injector'\''s configuration (the \`config\` of the istio-sidecar-injector ConfigMap, or that ConfigMap)\: policy, selectors, default templates]:FILE:_default' \
'--valuesFile=[The injector'\''s values (the \`values\` of the istio-sidecar-injector ConfigMap, or that ConfigMap)]:FILE:_default' \
'--revision=[The control-plane revision to inject for (istio.io/rev, istiod-REVISION)]:R:_default' \
'--hub=[The proxy image registry (values global.hub)]:HUB:_default' \
'--tag=[The proxy image tag (values global.tag)]:TAG:_default' \
'--native-sidecar=[Inject istio-proxy as a native sidecar (an init container with restartPolicy Always); false for a classic container. A pod'\''s sidecar.istio.io/nativeSidecar annotation wins]:BOOL:(true false)' \
'-i+[The namespace of Istio'\''s ConfigMaps, for --from-cluster]:NS:_default' \
'--istio-namespace=[The namespace of Istio'\''s ConfigMaps, for --from-cluster]:NS:_default' \
'--istioNamespace=[The namespace of Istio'\''s ConfigMaps, for --from-cluster]:NS:_default' \
'--kubeconfig=[The kubeconfig file (default\: KUBECONFIG, then ~/.kube/config, then the pod'\''s service account)]:FILE:_default' \
'--context=[Kubeconfig context to use]:CONTEXT:_default' \
'--timeout=[One bound for every request to the cluster together (e.g. 30s, 2m)]:DURATION:_default' \
'--mesh=[The mesh whose proxy to inject (linkerd\: not built yet, exits 2)]:MESH:(istio linkerd)' \
'-o+[Format of rewritten workloads (default\: the format each came in)]:OUTPUT:(yaml json)' \
'--output=[Format of rewritten workloads (default\: the format each came in)]:OUTPUT:(yaml json)' \
'--from-cluster[Read the istio-sidecar-injector and istio ConfigMaps (-REVISION with --revision) from the cluster; --valuesFile, --injectConfigFile and --meshConfigFile still win]' \
'(--diff)--remove[Take injection back out\: containers, volumes, annotations, labels and rewritten probes]' \
'--diff[Print a unified diff of each changed workload instead of the manifests]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(schema)
_arguments "${_arguments_options[@]}" : \
'--api-version=[The version to print (default\: the newest served)]:API_VERSION:_default' \
'()--out-dir=[Write every kind at every served version to this folder]:DIR:_default' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'::kind -- The kind (case-insensitive), e.g. VirtualService:_default' \
&& ret=0
;;
(explain)
_arguments "${_arguments_options[@]}" : \
'()--list[List every code with its summary]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'::code -- A code (MSH1001, IST0101) or rule name (unknown-field):_default' \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':shell -- The shell:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(version)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_meshctl__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:meshctl-help-command-$line[1]:"
        case $line[1] in
            (validate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(lint)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(analyze)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(diff)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(parse)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(simulate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(kube-inject)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(schema)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(explain)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(version)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_meshctl_commands] )) ||
_meshctl_commands() {
    local commands; commands=(
'validate:Check each resource on its own\: YAML syntax, schema, unknown fields, and Istio'\''s own validation rules' \
'lint:Validate plus cross-resource analysis, offline (istioctl analyze --use-kube=false)' \
'analyze:Run the analyzers against a live cluster, optionally overlaid with local files' \
'diff:Semantic diff of two sets of resources, and what changes for the traffic' \
'parse:Print every resource in meshctl'\''s normal form (what diff compares), with its source' \
'simulate:Where a request goes, which policy applies, how weights split traffic' \
'kube-inject:Add the sidecar to workload manifests (output for \`kubectl apply -f -\`)' \
'schema:Print the JSON Schema of a kind, or write every schema to a folder' \
'explain:Print the documentation of a diagnostic code' \
'completions:Print a shell completion script' \
'version:Print meshctl'\''s version and the mesh APIs it checks against' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'meshctl commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__analyze_commands] )) ||
_meshctl__subcmd__analyze_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl analyze commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__completions_commands] )) ||
_meshctl__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl completions commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__diff_commands] )) ||
_meshctl__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl diff commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__explain_commands] )) ||
_meshctl__subcmd__explain_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl explain commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help_commands] )) ||
_meshctl__subcmd__help_commands() {
    local commands; commands=(
'validate:Check each resource on its own\: YAML syntax, schema, unknown fields, and Istio'\''s own validation rules' \
'lint:Validate plus cross-resource analysis, offline (istioctl analyze --use-kube=false)' \
'analyze:Run the analyzers against a live cluster, optionally overlaid with local files' \
'diff:Semantic diff of two sets of resources, and what changes for the traffic' \
'parse:Print every resource in meshctl'\''s normal form (what diff compares), with its source' \
'simulate:Where a request goes, which policy applies, how weights split traffic' \
'kube-inject:Add the sidecar to workload manifests (output for \`kubectl apply -f -\`)' \
'schema:Print the JSON Schema of a kind, or write every schema to a folder' \
'explain:Print the documentation of a diagnostic code' \
'completions:Print a shell completion script' \
'version:Print meshctl'\''s version and the mesh APIs it checks against' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'meshctl help commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help__subcmd__analyze_commands] )) ||
_meshctl__subcmd__help__subcmd__analyze_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl help analyze commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help__subcmd__completions_commands] )) ||
_meshctl__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl help completions commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help__subcmd__diff_commands] )) ||
_meshctl__subcmd__help__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl help diff commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help__subcmd__explain_commands] )) ||
_meshctl__subcmd__help__subcmd__explain_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl help explain commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help__subcmd__help_commands] )) ||
_meshctl__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl help help commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help__subcmd__kube-inject_commands] )) ||
_meshctl__subcmd__help__subcmd__kube-inject_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl help kube-inject commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help__subcmd__lint_commands] )) ||
_meshctl__subcmd__help__subcmd__lint_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl help lint commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help__subcmd__parse_commands] )) ||
_meshctl__subcmd__help__subcmd__parse_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl help parse commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help__subcmd__schema_commands] )) ||
_meshctl__subcmd__help__subcmd__schema_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl help schema commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help__subcmd__simulate_commands] )) ||
_meshctl__subcmd__help__subcmd__simulate_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl help simulate commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help__subcmd__validate_commands] )) ||
_meshctl__subcmd__help__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl help validate commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__help__subcmd__version_commands] )) ||
_meshctl__subcmd__help__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl help version commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__kube-inject_commands] )) ||
_meshctl__subcmd__kube-inject_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl kube-inject commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__lint_commands] )) ||
_meshctl__subcmd__lint_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl lint commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__parse_commands] )) ||
_meshctl__subcmd__parse_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl parse commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__schema_commands] )) ||
_meshctl__subcmd__schema_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl schema commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__simulate_commands] )) ||
_meshctl__subcmd__simulate_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl simulate commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__validate_commands] )) ||
_meshctl__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl validate commands' commands "$@"
}
(( $+functions[_meshctl__subcmd__version_commands] )) ||
_meshctl__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'meshctl version commands' commands "$@"
}

if [ "$funcstack[1]" = "_meshctl" ]; then
    _meshctl "$@"
else
    compdef _meshctl meshctl
fi
