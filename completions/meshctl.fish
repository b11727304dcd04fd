# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_meshctl_global_optspecs
    string join \n h/help V/version
end

function __fish_meshctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_meshctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_meshctl_using_subcommand
    set -l cmd (__fish_meshctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c meshctl -n "__fish_meshctl_needs_command" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_needs_command" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "validate" -d 'Check each resource on its own: YAML syntax, schema, unknown fields, and Istio\'s own validation rules'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "lint" -d 'Validate plus cross-resource analysis, offline (istioctl analyze --use-kube=false)'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "analyze" -d 'Run the analyzers against a live cluster, optionally overlaid with local files'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "diff" -d 'Semantic diff of two sets of resources, and what changes for the traffic'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "parse" -d 'Print every resource in meshctl\'s normal form (what diff compares), with its source'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "simulate" -d 'Where a request goes, which policy applies, how weights split traffic'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "kube-inject" -d 'Add the sidecar to workload manifests (output for `kubectl apply -f -`)'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "schema" -d 'Print the JSON Schema of a kind, or write every schema to a folder'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "explain" -d 'Print the documentation of a diagnostic code'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "version" -d 'Print meshctl\'s version and the mesh APIs it checks against'
complete -c meshctl -n "__fish_meshctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -s f -l filename -d 'A file, directory or - (repeatable); the same as a positional PATH' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -s n -l namespace -d 'Namespace for resources that name none (default: `default`; for analyze, the context\'s namespace). It does not restrict which namespaces are checked' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l exclude -d 'Do not read paths matching this glob (gitignore syntax, relative to the folder walked) while walking a folder. Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l config -d 'Read this project configuration instead of the nearest .meshctl.yaml' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l max-file-bytes -d 'Largest file read, in bytes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l max-document-bytes -d 'Largest document, in bytes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l max-depth -d 'Deepest nesting of mappings and lists (at most 1000)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l max-alias-nodes -d 'Most nodes that YAML aliases may expand to in one document' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l crd -d 'Also check custom resources against this CRD file or folder of CRDs (repeatable): its openAPIV3Schema and CEL rules' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -s o -l output -d 'Output format on stdout' -r -f -a "text\t''
json\t''
yaml\t''
sarif\t''
github\t'GitHub Actions workflow commands (annotations on the diff)'
gitlab\t'GitLab Code Quality JSON'
junit\t'JUnit XML (GitLab, Jenkins test reports)'"
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l report -d 'Also write a report to a file, e.g. sarif=meshctl.sarif (repeatable; FORMAT is one of -o\'s, text without colour)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l fail-on -l failure-threshold -d 'Exit 1 when a finding is at or above this level; none: only exit 2 (the run could not be done) fails' -r -f -a "error\t''
warning\t''
info\t''
none\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l output-threshold -d 'Report only findings at or above this level' -r -f -a "error\t''
warning\t''
info\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l sarif-root -d 'The repository root that SARIF, GitHub and GitLab file paths are relative to (default: the git top level)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l color -d 'Colour in the text report (auto: only on a terminal, never with NO_COLOR or TERM=dumb)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l follow-symlinks -d 'Follow symbolic links while walking directories (loops are detected)'
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l include-hidden -d 'Also walk hidden folders and files (dot-names); .gitignore still applies'
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l no-config -d 'Read no .meshctl.yaml'
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -l strict-kinds -d 'A resource nothing checks (a kind meshctl does not model, with no `--crd` for it) is an error (MSH1009), as kubeconform\'s default, instead of only being counted in the summary'
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand validate" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s f -l filename -d 'A file, directory or - (repeatable); the same as a positional PATH' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s n -l namespace -d 'Namespace for resources that name none (default: `default`; for analyze, the context\'s namespace). It does not restrict which namespaces are checked' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l exclude -d 'Do not read paths matching this glob (gitignore syntax, relative to the folder walked) while walking a folder. Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l config -d 'Read this project configuration instead of the nearest .meshctl.yaml' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l max-file-bytes -d 'Largest file read, in bytes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l max-document-bytes -d 'Largest document, in bytes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l max-depth -d 'Deepest nesting of mappings and lists (at most 1000)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l max-alias-nodes -d 'Most nodes that YAML aliases may expand to in one document' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s S -l suppress -d 'Hide findings of a code on a resource: \'CODE=Kind ns/name\' (or istioctl\'s \'CODE=Kind name.namespace\'); `*` is a wildcard. Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l analyzer -d 'Run only this analyzer, by istioctl\'s name (e.g. virtualservice.DestinationHostAnalyzer; schema.ValidationAnalyzer is validate). Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l crd -d 'Also check custom resources against this CRD file or folder of CRDs (repeatable): its openAPIV3Schema and CEL rules' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s o -l output -d 'Output format on stdout' -r -f -a "text\t''
json\t''
yaml\t''
sarif\t''
github\t'GitHub Actions workflow commands (annotations on the diff)'
gitlab\t'GitLab Code Quality JSON'
junit\t'JUnit XML (GitLab, Jenkins test reports)'"
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l report -d 'Also write a report to a file, e.g. sarif=meshctl.sarif (repeatable; FORMAT is one of -o\'s, text without colour)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l fail-on -l failure-threshold -d 'Exit 1 when a finding is at or above this level; none: only exit 2 (the run could not be done) fails' -r -f -a "error\t''
warning\t''
info\t''
none\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l output-threshold -d 'Report only findings at or above this level' -r -f -a "error\t''
warning\t''
info\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l sarif-root -d 'The repository root that SARIF, GitHub and GitLab file paths are relative to (default: the git top level)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l color -d 'Colour in the text report (auto: only on a terminal, never with NO_COLOR or TERM=dumb)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l mesh-config -d 'MeshConfig YAML (as `istioctl analyze --meshConfigFile`)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l mesh-networks -d 'MeshNetworks YAML' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l follow-symlinks -d 'Follow symbolic links while walking directories (loops are detected)'
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l include-hidden -d 'Also walk hidden folders and files (dot-names); .gitignore still applies'
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l no-config -d 'Read no .meshctl.yaml'
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -l strict-kinds -d 'A resource nothing checks (a kind meshctl does not model, with no `--crd` for it) is an error (MSH1009), as kubeconform\'s default, instead of only being counted in the summary'
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand lint" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s f -l filename -d 'A file, directory or - (repeatable); the same as a positional PATH' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s n -l namespace -d 'Namespace for resources that name none (default: `default`; for analyze, the context\'s namespace). It does not restrict which namespaces are checked' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l exclude -d 'Do not read paths matching this glob (gitignore syntax, relative to the folder walked) while walking a folder. Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l config -d 'Read this project configuration instead of the nearest .meshctl.yaml' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l max-file-bytes -d 'Largest file read, in bytes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l max-document-bytes -d 'Largest document, in bytes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l max-depth -d 'Deepest nesting of mappings and lists (at most 1000)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l max-alias-nodes -d 'Most nodes that YAML aliases may expand to in one document' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s S -l suppress -d 'Hide findings of a code on a resource: \'CODE=Kind ns/name\' (or istioctl\'s \'CODE=Kind name.namespace\'); `*` is a wildcard. Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l analyzer -d 'Run only this analyzer, by istioctl\'s name (e.g. virtualservice.DestinationHostAnalyzer; schema.ValidationAnalyzer is validate). Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l crd -d 'Also check custom resources against this CRD file or folder of CRDs (repeatable): its openAPIV3Schema and CEL rules' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s o -l output -d 'Output format on stdout' -r -f -a "text\t''
json\t''
yaml\t''
sarif\t''
github\t'GitHub Actions workflow commands (annotations on the diff)'
gitlab\t'GitLab Code Quality JSON'
junit\t'JUnit XML (GitLab, Jenkins test reports)'"
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l report -d 'Also write a report to a file, e.g. sarif=meshctl.sarif (repeatable; FORMAT is one of -o\'s, text without colour)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l fail-on -l failure-threshold -d 'Exit 1 when a finding is at or above this level; none: only exit 2 (the run could not be done) fails' -r -f -a "error\t''
warning\t''
info\t''
none\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l output-threshold -d 'Report only findings at or above this level' -r -f -a "error\t''
warning\t''
info\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l sarif-root -d 'The repository root that SARIF, GitHub and GitLab file paths are relative to (default: the git top level)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l color -d 'Colour in the text report (auto: only on a terminal, never with NO_COLOR or TERM=dumb)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l mesh-config -d 'MeshConfig YAML (as `istioctl analyze --meshConfigFile`)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l mesh-networks -d 'MeshNetworks YAML' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l kubeconfig -d 'The kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then the pod\'s service account)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l context -d 'Kubeconfig context to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l timeout -d 'One bound for every request to the cluster together (e.g. 30s, 2m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l use-kube -d 'false: read no cluster, only the files (the same as lint)' -r -f -a "true\t''
false\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l follow-symlinks -d 'Follow symbolic links while walking directories (loops are detected)'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l include-hidden -d 'Also walk hidden folders and files (dot-names); .gitignore still applies'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l no-config -d 'Read no .meshctl.yaml'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -l strict-kinds -d 'A resource nothing checks (a kind meshctl does not model, with no `--crd` for it) is an error (MSH1009), as kubeconform\'s default, instead of only being counted in the summary'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s A -l all-namespaces -d 'Analyze every namespace'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c meshctl -n "__fish_meshctl_using_subcommand analyze" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -s f -l filename -d 'A file, directory or - (repeatable); the same as a positional PATH' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -s n -l namespace -d 'Namespace for resources that name none (default: `default`; for analyze, the context\'s namespace). It does not restrict which namespaces are checked' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l exclude -d 'Do not read paths matching this glob (gitignore syntax, relative to the folder walked) while walking a folder. Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l config -d 'Read this project configuration instead of the nearest .meshctl.yaml' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l max-file-bytes -d 'Largest file read, in bytes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l max-document-bytes -d 'Largest document, in bytes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l max-depth -d 'Deepest nesting of mappings and lists (at most 1000)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l max-alias-nodes -d 'Most nodes that YAML aliases may expand to in one document' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l mesh-config -d 'MeshConfig YAML (as `istioctl analyze --meshConfigFile`)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l mesh-networks -d 'MeshNetworks YAML' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l kubeconfig -d 'The kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then the pod\'s service account)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l context -d 'Kubeconfig context to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l timeout -d 'One bound for every request to the cluster together (e.g. 30s, 2m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l cluster-domain -d 'DNS suffix of Services, for --traffic' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l color -d 'Colour the text diff: auto (a terminal, without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l follow-symlinks -d 'Follow symbolic links while walking directories (loops are detected)'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l include-hidden -d 'Also walk hidden folders and files (dot-names); .gitignore still applies'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l no-config -d 'Read no .meshctl.yaml'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l cluster -d 'Compare what the cluster holds (the kinds and namespaces NEW names) with NEW, as `kubectl diff` does'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l prune -d 'With --cluster: also the removals `kubectl apply --prune` would make'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l traffic -d 'Also report the request classes whose outcome changes (simulated on both sides)'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -l stat -d 'A table of changes by kind instead of the diff'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand diff" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -s f -l filename -d 'A file, directory or - (repeatable); the same as a positional PATH' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -s n -l namespace -d 'Namespace for resources that name none (default: `default`; for analyze, the context\'s namespace). It does not restrict which namespaces are checked' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -l exclude -d 'Do not read paths matching this glob (gitignore syntax, relative to the folder walked) while walking a folder. Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -l config -d 'Read this project configuration instead of the nearest .meshctl.yaml' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -l max-file-bytes -d 'Largest file read, in bytes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -l max-document-bytes -d 'Largest document, in bytes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -l max-depth -d 'Deepest nesting of mappings and lists (at most 1000)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -l max-alias-nodes -d 'Most nodes that YAML aliases may expand to in one document' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -s o -l output -d 'Output format: YAML documents, or one JSON array' -r -f -a "yaml\t''
json\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -l follow-symlinks -d 'Follow symbolic links while walking directories (loops are detected)'
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -l include-hidden -d 'Also walk hidden folders and files (dot-names); .gitignore still applies'
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -l no-config -d 'Read no .meshctl.yaml'
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand parse" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -s f -l filename -d 'A file, directory or - (repeatable); the same as a positional PATH' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -s n -l namespace -d 'Namespace for resources that name none (default: `default`; for analyze, the context\'s namespace). It does not restrict which namespaces are checked' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l exclude -d 'Do not read paths matching this glob (gitignore syntax, relative to the folder walked) while walking a folder. Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l config -d 'Read this project configuration instead of the nearest .meshctl.yaml' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l max-file-bytes -d 'Largest file read, in bytes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l max-document-bytes -d 'Largest document, in bytes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l max-depth -d 'Deepest nesting of mappings and lists (at most 1000)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l max-alias-nodes -d 'Most nodes that YAML aliases may expand to in one document' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l mesh-config -d 'MeshConfig YAML (as `istioctl analyze --meshConfigFile`)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l mesh-networks -d 'MeshNetworks YAML' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l request -d 'The request: \'METHOD URL\', e.g. \'GET http://reviews.default.svc.cluster.local:9080/api\', or a connection \'TCP HOST:PORT\' or \'TLS HOST[:PORT]\'' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l sni -d 'The SNI of a \'TLS\' request (default: its host)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l destination-ip -d 'The IP address the client connects to, for destinationSubnets of TCP and TLS routes' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -s H -l header -d 'A request header \'name: value\' (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l source-labels -d 'Labels of the calling workload, k=v,k=v' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l source-namespace -d 'Namespace of the calling workload' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l source-principal -d 'Peer identity of the caller, cluster.local/ns/NS/sa/SA' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l source-ip -d 'IP address of the caller' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l jwt-claim -d 'A JWT claim k=v (repeatable)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l gateway -d 'Simulate ingress through this Gateway, NS/NAME' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l count -d 'Draw this many requests through the weighted choice (at most 100000000)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l seed -d 'Seed for --count (default 1): the same seed gives the same counts' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l cluster-domain -d 'DNS suffix of Services: short hosts expand to name.namespace.svc.DOMAIN' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l follow-symlinks -d 'Follow symbolic links while walking directories (loops are detected)'
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l include-hidden -d 'Also walk hidden folders and files (dot-names); .gitignore still applies'
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -l no-config -d 'Read no .meshctl.yaml'
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand simulate" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -s f -l filename -d 'The workload manifests to inject: files, directories (recursive) or - for stdin. Repeatable' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l meshConfigFile -d 'MeshConfig (YAML) to inject with, as `istioctl kube-inject --meshConfigFile`' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l injectConfigFile -d 'The injector\'s configuration (the `config` of the istio-sidecar-injector ConfigMap, or that ConfigMap): policy, selectors, default templates' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l valuesFile -d 'The injector\'s values (the `values` of the istio-sidecar-injector ConfigMap, or that ConfigMap)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l revision -d 'The control-plane revision to inject for (istio.io/rev, istiod-REVISION)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l hub -d 'The proxy image registry (values global.hub)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l tag -d 'The proxy image tag (values global.tag)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l native-sidecar -d 'Inject istio-proxy as a native sidecar (an init container with restartPolicy Always); false for a classic container. A pod\'s sidecar.istio.io/nativeSidecar annotation wins' -r -f -a "true\t''
false\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -s i -l istio-namespace -l istioNamespace -d 'The namespace of Istio\'s ConfigMaps, for --from-cluster' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l kubeconfig -d 'The kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then the pod\'s service account)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l context -d 'Kubeconfig context to use' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l timeout -d 'One bound for every request to the cluster together (e.g. 30s, 2m)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l mesh -d 'The mesh whose proxy to inject (linkerd: not built yet, exits 2)' -r -f -a "istio\t''
linkerd\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -s o -l output -d 'Format of rewritten workloads (default: the format each came in)' -r -f -a "yaml\t''
json\t''"
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l from-cluster -d 'Read the istio-sidecar-injector and istio ConfigMaps (-REVISION with --revision) from the cluster; --valuesFile, --injectConfigFile and --meshConfigFile still win'
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l remove -d 'Take injection back out: containers, volumes, annotations, labels and rewritten probes'
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -l diff -d 'Print a unified diff of each changed workload instead of the manifests'
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand kube-inject" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand schema" -l api-version -d 'The version to print (default: the newest served)' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand schema" -l out-dir -d 'Write every kind at every served version to this folder' -r
complete -c meshctl -n "__fish_meshctl_using_subcommand schema" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand schema" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand explain" -l list -d 'List every code with its summary'
complete -c meshctl -n "__fish_meshctl_using_subcommand explain" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand explain" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand version" -s h -l help -d 'Print help'
complete -c meshctl -n "__fish_meshctl_using_subcommand version" -s V -l version -d 'Print version'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint analyze diff parse simulate kube-inject schema explain completions version help" -f -a "validate" -d 'Check each resource on its own: YAML syntax, schema, unknown fields, and Istio\'s own validation rules'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint analyze diff parse simulate kube-inject schema explain completions version help" -f -a "lint" -d 'Validate plus cross-resource analysis, offline (istioctl analyze --use-kube=false)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint analyze diff parse simulate kube-inject schema explain completions version help" -f -a "analyze" -d 'Run the analyzers against a live cluster, optionally overlaid with local files'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint analyze diff parse simulate kube-inject schema explain completions version help" -f -a "diff" -d 'Semantic diff of two sets of resources, and what changes for the traffic'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint analyze diff parse simulate kube-inject schema explain completions version help" -f -a "parse" -d 'Print every resource in meshctl\'s normal form (what diff compares), with its source'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint analyze diff parse simulate kube-inject schema explain completions version help" -f -a "simulate" -d 'Where a request goes, which policy applies, how weights split traffic'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint analyze diff parse simulate kube-inject schema explain completions version help" -f -a "kube-inject" -d 'Add the sidecar to workload manifests (output for `kubectl apply -f -`)'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint analyze diff parse simulate kube-inject schema explain completions version help" -f -a "schema" -d 'Print the JSON Schema of a kind, or write every schema to a folder'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint analyze diff parse simulate kube-inject schema explain completions version help" -f -a "explain" -d 'Print the documentation of a diagnostic code'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint analyze diff parse simulate kube-inject schema explain completions version help" -f -a "completions" -d 'Print a shell completion script'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint analyze diff parse simulate kube-inject schema explain completions version help" -f -a "version" -d 'Print meshctl\'s version and the mesh APIs it checks against'
complete -c meshctl -n "__fish_meshctl_using_subcommand help; and not __fish_seen_subcommand_from validate lint analyze diff parse simulate kube-inject schema explain completions version help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
