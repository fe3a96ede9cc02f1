# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ac_global_optspecs
    string join \n kubeconfig= context= user= request-timeout= insecure-skip-tls-verify= v/v= color= o/output= h/help V/version
end

function __fish_ac_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ac_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ac_using_subcommand
    set -l cmd (__fish_ac_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ac -n "__fish_ac_needs_command" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_needs_command" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_needs_command" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_needs_command" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_needs_command" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_needs_command" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_needs_command" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_needs_command" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_needs_command" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_needs_command" -s V -l version -d 'Print version'
complete -c ac -n "__fish_ac_needs_command" -f -a "adm" -d 'Administrative commands for platform administrators'
complete -c ac -n "__fish_ac_needs_command" -f -a "config" -d 'Show, switch and refresh ACP sessions and clusters in kubeconfig (ACP CLI profiles)'
complete -c ac -n "__fish_ac_needs_command" -f -a "login" -d 'Log in to an ACP platform with a token: one kubeconfig entry per platform cluster'
complete -c ac -n "__fish_ac_needs_command" -f -a "logout" -d 'Remove a session\'s entries (clusters, user, contexts) from kubeconfig'
complete -c ac -n "__fish_ac_needs_command" -f -a "completion" -d 'Print the shell completion registration (bash, zsh, fish, powershell, elvish): flags, cluster names, contexts and offered versions'
complete -c ac -n "__fish_ac_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ac -n "__fish_ac_using_subcommand adm; and not __fish_seen_subcommand_from upgrade release help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand adm; and not __fish_seen_subcommand_from upgrade release help" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and not __fish_seen_subcommand_from upgrade release help" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and not __fish_seen_subcommand_from upgrade release help" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and not __fish_seen_subcommand_from upgrade release help" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and not __fish_seen_subcommand_from upgrade release help" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and not __fish_seen_subcommand_from upgrade release help" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and not __fish_seen_subcommand_from upgrade release help" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and not __fish_seen_subcommand_from upgrade release help" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand adm; and not __fish_seen_subcommand_from upgrade release help" -f -a "upgrade" -d 'Show cluster versions and request upgrades'
complete -c ac -n "__fish_ac_using_subcommand adm; and not __fish_seen_subcommand_from upgrade release help" -f -a "release" -d 'Manage release metadata (ProductManifests)'
complete -c ac -n "__fish_ac_using_subcommand adm; and not __fish_seen_subcommand_from upgrade release help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l cluster -d 'ACP cluster to act on (default: the cluster the current context points at): any cluster with a ClusterVersionShadow on the session\'s global, with or without a kubeconfig entry' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l dr-standby -d 'Disaster recovery: the session of the standby global (else AC_DR_STANDBY, else the one remembered by ac config set-dr-standby)' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l to-latest -d 'Request the highest version offered in availableUpdates' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l to -d 'Request a specific version (a leading v is accepted)' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l to-image -d 'Request a release image instead of a version' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l allow-explicit-upgrade -d 'Allow --to/--to-image targets that are not in availableUpdates (the controller still decides)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l clear -d 'Remove spec.desiredUpdate (withdraw a request)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l force -d 'Set desiredUpdate.force: the controller skips its safety checks (testing only)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l dry-run -d 'Print the patch that would be sent and write nothing' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l allow-upgrade-with-warnings -d 'Go ahead despite client-side guards (sequencing, in-progress, Stalled/Degraded); each is printed as a warning' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l wait -d 'After requesting (or finding this very request already there), watch the upgrade until it completes, fails or --timeout passes' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l timeout -d 'How long --wait watches before giving up (exit 4)' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -f -a "status" -d 'Show preflight checks, stages and progress of a cluster\'s upgrade'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -f -a "precheck" -d 'Check the upgrade guide\'s prerequisites before requesting (read-only; exit 3 if blocked)'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -f -a "rollout" -d 'Move a whole platform to a version: the global tier first, then a canary, then every workload cluster in a sliding window; resumable by running it again'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -f -a "verify" -d 'After the upgrade: is every cluster at the version, healthy, nothing left pending? Then the guide\'s post-upgrade steps (read-only; exit 3 if anything is open)'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from upgrade" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from release" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from release" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from release" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from release" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from release" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from release" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from release" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from release" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from release" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from release" -f -a "import-manifest" -d 'Publish release metadata: create ProductManifest v<VERSION> so the controller offers it'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from release" -f -a "list" -d 'List the releases the platform knows (ProductManifests) and which clusters can move to each'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from release" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from help" -f -a "upgrade" -d 'Show cluster versions and request upgrades'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from help" -f -a "release" -d 'Manage release metadata (ProductManifests)'
complete -c ac -n "__fish_ac_using_subcommand adm; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -f -a "get-sessions" -d 'List the ACP sessions (platforms) in kubeconfig'
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -f -a "use-session" -d 'Make a session current: its global cluster\'s context (created if needed)'
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -f -a "get-clusters" -d 'List the clusters of the current session'
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -f -a "use-cluster" -d 'Make a cluster of the current session current (its context is created if needed)'
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -f -a "sync" -d 'Re-read the platform\'s cluster list: add new clusters, remove deleted ones'
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -f -a "set-dr-standby" -d 'Remember the DR pair: the standby global\'s session, for every command that orders the global tier'
complete -c ac -n "__fish_ac_using_subcommand config; and not __fish_seen_subcommand_from get-sessions use-session get-clusters use-cluster sync set-dr-standby help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-sessions" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-sessions" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-sessions" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-sessions" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-sessions" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-sessions" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-sessions" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-sessions" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-sessions" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-session" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-session" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-session" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-session" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-session" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-session" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-session" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-session" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-session" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-clusters" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-clusters" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-clusters" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-clusters" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-clusters" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-clusters" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-clusters" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-clusters" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from get-clusters" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-cluster" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-cluster" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-cluster" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-cluster" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-cluster" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-cluster" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-cluster" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-cluster" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from use-cluster" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from sync" -l session -d 'The session to refresh (default: the current context\'s)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from sync" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from sync" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from sync" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from sync" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from sync" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from sync" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from sync" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from sync" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from set-dr-standby" -l unset -d 'Forget the remembered standby' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from set-dr-standby" -l session -d 'The primary\'s session (default: the current context\'s)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from set-dr-standby" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from set-dr-standby" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from set-dr-standby" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from set-dr-standby" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from set-dr-standby" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from set-dr-standby" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from set-dr-standby" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from set-dr-standby" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from set-dr-standby" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get-sessions" -d 'List the ACP sessions (platforms) in kubeconfig'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "use-session" -d 'Make a session current: its global cluster\'s context (created if needed)'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get-clusters" -d 'List the clusters of the current session'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "use-cluster" -d 'Make a cluster of the current session current (its context is created if needed)'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Re-read the platform\'s cluster list: add new clusters, remove deleted ones'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set-dr-standby" -d 'Remember the DR pair: the standby global\'s session, for every command that orders the global tier'
complete -c ac -n "__fish_ac_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ac -n "__fish_ac_using_subcommand login" -l name -d 'The session name: it prefixes the kubeconfig entries (acp:<name>:<cluster>, <name>/<cluster>)' -r
complete -c ac -n "__fish_ac_using_subcommand login" -l token -d 'The bearer token (default: read from standard input)' -r
complete -c ac -n "__fish_ac_using_subcommand login" -l certificate-authority -d 'PEM file of the CA that signed the platform\'s certificate (stored in kubeconfig as certificate-authority-data)' -r -F
complete -c ac -n "__fish_ac_using_subcommand login" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand login" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand login" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand login" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand login" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand login" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand login" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand login" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand login" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand logout" -l session -d 'The session to log out of (default: the current context\'s)' -r
complete -c ac -n "__fish_ac_using_subcommand logout" -l all -d 'Log out of every ACP session in kubeconfig' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand logout" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand logout" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand logout" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand logout" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand logout" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand logout" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand logout" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand logout" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand logout" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand completion" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)' -r -F
complete -c ac -n "__fish_ac_using_subcommand completion" -l context -d 'Kubeconfig context to use (default: current-context)' -r
complete -c ac -n "__fish_ac_using_subcommand completion" -l user -d 'Kubeconfig user entry to authenticate as (default: the context\'s user)' -r
complete -c ac -n "__fish_ac_using_subcommand completion" -l request-timeout -d 'Deadline for the command\'s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none' -r
complete -c ac -n "__fish_ac_using_subcommand completion" -l insecure-skip-tls-verify -d 'Skip TLS certificate verification (insecure; prints a warning)' -r -f -a "true\t''
false\t''"
complete -c ac -n "__fish_ac_using_subcommand completion" -s v -l v -d 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)' -r
complete -c ac -n "__fish_ac_using_subcommand completion" -l color -d 'When to color output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ac -n "__fish_ac_using_subcommand completion" -s o -l output -d 'Output format (json when watching: one document per line)' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c ac -n "__fish_ac_using_subcommand completion" -s h -l help -d 'Print help'
complete -c ac -n "__fish_ac_using_subcommand help; and not __fish_seen_subcommand_from adm config login logout completion help" -f -a "adm" -d 'Administrative commands for platform administrators'
complete -c ac -n "__fish_ac_using_subcommand help; and not __fish_seen_subcommand_from adm config login logout completion help" -f -a "config" -d 'Show, switch and refresh ACP sessions and clusters in kubeconfig (ACP CLI profiles)'
complete -c ac -n "__fish_ac_using_subcommand help; and not __fish_seen_subcommand_from adm config login logout completion help" -f -a "login" -d 'Log in to an ACP platform with a token: one kubeconfig entry per platform cluster'
complete -c ac -n "__fish_ac_using_subcommand help; and not __fish_seen_subcommand_from adm config login logout completion help" -f -a "logout" -d 'Remove a session\'s entries (clusters, user, contexts) from kubeconfig'
complete -c ac -n "__fish_ac_using_subcommand help; and not __fish_seen_subcommand_from adm config login logout completion help" -f -a "completion" -d 'Print the shell completion registration (bash, zsh, fish, powershell, elvish): flags, cluster names, contexts and offered versions'
complete -c ac -n "__fish_ac_using_subcommand help; and not __fish_seen_subcommand_from adm config login logout completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ac -n "__fish_ac_using_subcommand help; and __fish_seen_subcommand_from adm" -f -a "upgrade" -d 'Show cluster versions and request upgrades'
complete -c ac -n "__fish_ac_using_subcommand help; and __fish_seen_subcommand_from adm" -f -a "release" -d 'Manage release metadata (ProductManifests)'
complete -c ac -n "__fish_ac_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get-sessions" -d 'List the ACP sessions (platforms) in kubeconfig'
complete -c ac -n "__fish_ac_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "use-session" -d 'Make a session current: its global cluster\'s context (created if needed)'
complete -c ac -n "__fish_ac_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get-clusters" -d 'List the clusters of the current session'
complete -c ac -n "__fish_ac_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "use-cluster" -d 'Make a cluster of the current session current (its context is created if needed)'
complete -c ac -n "__fish_ac_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "sync" -d 'Re-read the platform\'s cluster list: add new clusters, remove deleted ones'
complete -c ac -n "__fish_ac_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set-dr-standby" -d 'Remember the DR pair: the standby global\'s session, for every command that orders the global tier'
