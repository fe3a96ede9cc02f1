
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'ac' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'ac'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'ac' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('adm', 'adm', [CompletionResultType]::ParameterValue, 'Administrative commands for platform administrators')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show, switch and refresh ACP sessions and clusters in kubeconfig (ACP CLI profiles)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to an ACP platform with a token: one kubeconfig entry per platform cluster')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a session''s entries (clusters, user, contexts) from kubeconfig')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print the shell completion registration (bash, zsh, fish, powershell, elvish): flags, cluster names, contexts and offered versions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ac;adm' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Show cluster versions and request upgrades')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Manage release metadata (ProductManifests)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ac;adm;upgrade' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ACP cluster to act on (default: the cluster the current context points at): any cluster with a ClusterVersionShadow on the session''s global, with or without a kubeconfig entry')
            [CompletionResult]::new('--dr-standby', '--dr-standby', [CompletionResultType]::ParameterName, 'Disaster recovery: the session of the standby global (else AC_DR_STANDBY, else the one remembered by ac config set-dr-standby)')
            [CompletionResult]::new('--to-latest', '--to-latest', [CompletionResultType]::ParameterName, 'Request the highest version offered in availableUpdates')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Request a specific version (a leading v is accepted)')
            [CompletionResult]::new('--to-image', '--to-image', [CompletionResultType]::ParameterName, 'Request a release image instead of a version')
            [CompletionResult]::new('--allow-explicit-upgrade', '--allow-explicit-upgrade', [CompletionResultType]::ParameterName, 'Allow --to/--to-image targets that are not in availableUpdates (the controller still decides)')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'Remove spec.desiredUpdate (withdraw a request)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Set desiredUpdate.force: the controller skips its safety checks (testing only)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the patch that would be sent and write nothing')
            [CompletionResult]::new('--allow-upgrade-with-warnings', '--allow-upgrade-with-warnings', [CompletionResultType]::ParameterName, 'Go ahead despite client-side guards (sequencing, in-progress, Stalled/Degraded); each is printed as a warning')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'After requesting (or finding this very request already there), watch the upgrade until it completes, fails or --timeout passes')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait watches before giving up (exit 4)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show preflight checks, stages and progress of a cluster''s upgrade')
            [CompletionResult]::new('precheck', 'precheck', [CompletionResultType]::ParameterValue, 'Check the upgrade guide''s prerequisites before requesting (read-only; exit 3 if blocked)')
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Move a whole platform to a version: the global tier first, then a canary, then every workload cluster in a sliding window; resumable by running it again')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'After the upgrade: is every cluster at the version, healthy, nothing left pending? Then the guide''s post-upgrade steps (read-only; exit 3 if anything is open)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ac;adm;upgrade;status' {
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show every condition, operation, history entry and image')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Follow the upgrade through the watch API and re-render on each change')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Follow the upgrade through the watch API and re-render on each change')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --watch follows before giving up (exit 4)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'One row per cluster (one LIST of all ClusterVersionShadows), then the sequencing picture')
            [CompletionResult]::new('--all-clusters', '--all-clusters', [CompletionResultType]::ParameterName, 'One row per cluster (one LIST of all ClusterVersionShadows), then the sequencing picture')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ACP cluster to act on (default: the cluster the current context points at): any cluster with a ClusterVersionShadow on the session''s global, with or without a kubeconfig entry')
            [CompletionResult]::new('--dr-standby', '--dr-standby', [CompletionResultType]::ParameterName, 'Disaster recovery: the session of the standby global (else AC_DR_STANDBY, else the one remembered by ac config set-dr-standby)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;adm;upgrade;precheck' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Check an upgrade to this version (default: the highest the cluster may take now)')
            [CompletionResult]::new('--to-latest', '--to-latest', [CompletionResultType]::ParameterName, 'Check an upgrade to the highest version offered')
            [CompletionResult]::new('--to-image', '--to-image', [CompletionResultType]::ParameterName, 'Check an upgrade to a release image')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every cluster''s pre-checks for --to (one read of the platform, one row per cluster): the rollout''s plan without its order')
            [CompletionResult]::new('--all-clusters', '--all-clusters', [CompletionResultType]::ParameterName, 'Every cluster''s pre-checks for --to (one read of the platform, one row per cluster): the rollout''s plan without its order')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ACP cluster to act on (default: the cluster the current context points at): any cluster with a ClusterVersionShadow on the session''s global, with or without a kubeconfig entry')
            [CompletionResult]::new('--dr-standby', '--dr-standby', [CompletionResultType]::ParameterName, 'Disaster recovery: the session of the standby global (else AC_DR_STANDBY, else the one remembered by ac config set-dr-standby)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;adm;upgrade;rollout' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The version to move the platform to')
            [CompletionResult]::new('--to-latest', '--to-latest', [CompletionResultType]::ParameterName, 'The highest stable version offered to the global cluster (never a pre-release)')
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Clusters to move: names and globs, comma-separated (default: the global tier when it is behind, then every workload cluster behind the target)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Clusters to leave out: names and globs, comma-separated')
            [CompletionResult]::new('--canary', '--canary', [CompletionResultType]::ParameterName, 'Workload clusters that go first, alone; every one must complete before the rest start')
            [CompletionResult]::new('--soak', '--soak', [CompletionResultType]::ParameterName, 'After the canary completed, how long it must stay healthy before the rest start')
            [CompletionResult]::new('--max-parallel', '--max-parallel', [CompletionResultType]::ParameterName, 'Clusters upgrading at once after the canary: a count, or a percentage of the selected workload clusters (at least 1) [default: 5]')
            [CompletionResult]::new('--max-failures', '--max-failures', [CompletionResultType]::ParameterName, 'Failures tolerated before no new cluster starts (running ones are followed to the end)')
            [CompletionResult]::new('--cluster-timeout', '--cluster-timeout', [CompletionResultType]::ParameterName, 'A cluster upgrading longer counts as failed (default: no limit)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound the whole rollout (exit 4; running clusters go on server-side; default: none)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and write nothing')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write the final report as Markdown to this file (for the change ticket)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ACP cluster to act on (default: the cluster the current context points at): any cluster with a ClusterVersionShadow on the session''s global, with or without a kubeconfig entry')
            [CompletionResult]::new('--dr-standby', '--dr-standby', [CompletionResultType]::ParameterName, 'Disaster recovery: the session of the standby global (else AC_DR_STANDBY, else the one remembered by ac config set-dr-standby)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;adm;upgrade;verify' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The version to verify (default: the global tier''s version; under DR the lower of both globals'')')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every cluster (the default; --cluster verifies one)')
            [CompletionResult]::new('--all-clusters', '--all-clusters', [CompletionResultType]::ParameterName, 'Every cluster (the default; --cluster verifies one)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'ACP cluster to act on (default: the cluster the current context points at): any cluster with a ClusterVersionShadow on the session''s global, with or without a kubeconfig entry')
            [CompletionResult]::new('--dr-standby', '--dr-standby', [CompletionResultType]::ParameterName, 'Disaster recovery: the session of the standby global (else AC_DR_STANDBY, else the one remembered by ac config set-dr-standby)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;adm;upgrade;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show preflight checks, stages and progress of a cluster''s upgrade')
            [CompletionResult]::new('precheck', 'precheck', [CompletionResultType]::ParameterValue, 'Check the upgrade guide''s prerequisites before requesting (read-only; exit 3 if blocked)')
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Move a whole platform to a version: the global tier first, then a canary, then every workload cluster in a sliding window; resumable by running it again')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'After the upgrade: is every cluster at the version, healthy, nothing left pending? Then the guide''s post-upgrade steps (read-only; exit 3 if anything is open)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ac;adm;upgrade;help;status' {
            break
        }
        'ac;adm;upgrade;help;precheck' {
            break
        }
        'ac;adm;upgrade;help;rollout' {
            break
        }
        'ac;adm;upgrade;help;verify' {
            break
        }
        'ac;adm;upgrade;help;help' {
            break
        }
        'ac;adm;release' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('import-manifest', 'import-manifest', [CompletionResultType]::ParameterValue, 'Publish release metadata: create ProductManifest v<VERSION> so the controller offers it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the releases the platform knows (ProductManifests) and which clusters can move to each')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ac;adm;release;import-manifest' {
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The ACP version to publish, e.g. 4.3.0 (a leading v is accepted)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the ProductManifest reports Ready=True')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits (exit 4 when it passes)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the object that would be created and write nothing')
            [CompletionResult]::new('--dr-standby', '--dr-standby', [CompletionResultType]::ParameterName, 'Disaster recovery: the session of the standby global (else AC_DR_STANDBY, else the one remembered by ac config set-dr-standby)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;adm;release;list' {
            [CompletionResult]::new('--dr-standby', '--dr-standby', [CompletionResultType]::ParameterName, 'Disaster recovery: the session of the standby global (else AC_DR_STANDBY, else the one remembered by ac config set-dr-standby)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;adm;release;help' {
            [CompletionResult]::new('import-manifest', 'import-manifest', [CompletionResultType]::ParameterValue, 'Publish release metadata: create ProductManifest v<VERSION> so the controller offers it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the releases the platform knows (ProductManifests) and which clusters can move to each')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ac;adm;release;help;import-manifest' {
            break
        }
        'ac;adm;release;help;list' {
            break
        }
        'ac;adm;release;help;help' {
            break
        }
        'ac;adm;help' {
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Show cluster versions and request upgrades')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Manage release metadata (ProductManifests)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ac;adm;help;upgrade' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show preflight checks, stages and progress of a cluster''s upgrade')
            [CompletionResult]::new('precheck', 'precheck', [CompletionResultType]::ParameterValue, 'Check the upgrade guide''s prerequisites before requesting (read-only; exit 3 if blocked)')
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Move a whole platform to a version: the global tier first, then a canary, then every workload cluster in a sliding window; resumable by running it again')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'After the upgrade: is every cluster at the version, healthy, nothing left pending? Then the guide''s post-upgrade steps (read-only; exit 3 if anything is open)')
            break
        }
        'ac;adm;help;upgrade;status' {
            break
        }
        'ac;adm;help;upgrade;precheck' {
            break
        }
        'ac;adm;help;upgrade;rollout' {
            break
        }
        'ac;adm;help;upgrade;verify' {
            break
        }
        'ac;adm;help;release' {
            [CompletionResult]::new('import-manifest', 'import-manifest', [CompletionResultType]::ParameterValue, 'Publish release metadata: create ProductManifest v<VERSION> so the controller offers it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the releases the platform knows (ProductManifests) and which clusters can move to each')
            break
        }
        'ac;adm;help;release;import-manifest' {
            break
        }
        'ac;adm;help;release;list' {
            break
        }
        'ac;adm;help;help' {
            break
        }
        'ac;config' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('get-sessions', 'get-sessions', [CompletionResultType]::ParameterValue, 'List the ACP sessions (platforms) in kubeconfig')
            [CompletionResult]::new('use-session', 'use-session', [CompletionResultType]::ParameterValue, 'Make a session current: its global cluster''s context (created if needed)')
            [CompletionResult]::new('get-clusters', 'get-clusters', [CompletionResultType]::ParameterValue, 'List the clusters of the current session')
            [CompletionResult]::new('use-cluster', 'use-cluster', [CompletionResultType]::ParameterValue, 'Make a cluster of the current session current (its context is created if needed)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Re-read the platform''s cluster list: add new clusters, remove deleted ones')
            [CompletionResult]::new('set-dr-standby', 'set-dr-standby', [CompletionResultType]::ParameterValue, 'Remember the DR pair: the standby global''s session, for every command that orders the global tier')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ac;config;get-sessions' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;config;use-session' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;config;get-clusters' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;config;use-cluster' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;config;sync' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'The session to refresh (default: the current context''s)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;config;set-dr-standby' {
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Forget the remembered standby')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'The primary''s session (default: the current context''s)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;config;help' {
            [CompletionResult]::new('get-sessions', 'get-sessions', [CompletionResultType]::ParameterValue, 'List the ACP sessions (platforms) in kubeconfig')
            [CompletionResult]::new('use-session', 'use-session', [CompletionResultType]::ParameterValue, 'Make a session current: its global cluster''s context (created if needed)')
            [CompletionResult]::new('get-clusters', 'get-clusters', [CompletionResultType]::ParameterValue, 'List the clusters of the current session')
            [CompletionResult]::new('use-cluster', 'use-cluster', [CompletionResultType]::ParameterValue, 'Make a cluster of the current session current (its context is created if needed)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Re-read the platform''s cluster list: add new clusters, remove deleted ones')
            [CompletionResult]::new('set-dr-standby', 'set-dr-standby', [CompletionResultType]::ParameterValue, 'Remember the DR pair: the standby global''s session, for every command that orders the global tier')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ac;config;help;get-sessions' {
            break
        }
        'ac;config;help;use-session' {
            break
        }
        'ac;config;help;get-clusters' {
            break
        }
        'ac;config;help;use-cluster' {
            break
        }
        'ac;config;help;sync' {
            break
        }
        'ac;config;help;set-dr-standby' {
            break
        }
        'ac;config;help;help' {
            break
        }
        'ac;login' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The session name: it prefixes the kubeconfig entries (acp:<name>:<cluster>, <name>/<cluster>)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The bearer token (default: read from standard input)')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'PEM file of the CA that signed the platform''s certificate (stored in kubeconfig as certificate-authority-data)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;logout' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'The session to log out of (default: the current context''s)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Log out of every ACP session in kubeconfig')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;completion' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use (default: current-context)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Kubeconfig user entry to authenticate as (default: the context''s user)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Deadline for the command''s API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Skip TLS certificate verification (insecure; prints a warning)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log level: 6 or more traces every HTTP request (method, URL, status, latency)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (json when watching: one document per line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ac;help' {
            [CompletionResult]::new('adm', 'adm', [CompletionResultType]::ParameterValue, 'Administrative commands for platform administrators')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show, switch and refresh ACP sessions and clusters in kubeconfig (ACP CLI profiles)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to an ACP platform with a token: one kubeconfig entry per platform cluster')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a session''s entries (clusters, user, contexts) from kubeconfig')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print the shell completion registration (bash, zsh, fish, powershell, elvish): flags, cluster names, contexts and offered versions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ac;help;adm' {
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Show cluster versions and request upgrades')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Manage release metadata (ProductManifests)')
            break
        }
        'ac;help;adm;upgrade' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show preflight checks, stages and progress of a cluster''s upgrade')
            [CompletionResult]::new('precheck', 'precheck', [CompletionResultType]::ParameterValue, 'Check the upgrade guide''s prerequisites before requesting (read-only; exit 3 if blocked)')
            [CompletionResult]::new('rollout', 'rollout', [CompletionResultType]::ParameterValue, 'Move a whole platform to a version: the global tier first, then a canary, then every workload cluster in a sliding window; resumable by running it again')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'After the upgrade: is every cluster at the version, healthy, nothing left pending? Then the guide''s post-upgrade steps (read-only; exit 3 if anything is open)')
            break
        }
        'ac;help;adm;upgrade;status' {
            break
        }
        'ac;help;adm;upgrade;precheck' {
            break
        }
        'ac;help;adm;upgrade;rollout' {
            break
        }
        'ac;help;adm;upgrade;verify' {
            break
        }
        'ac;help;adm;release' {
            [CompletionResult]::new('import-manifest', 'import-manifest', [CompletionResultType]::ParameterValue, 'Publish release metadata: create ProductManifest v<VERSION> so the controller offers it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the releases the platform knows (ProductManifests) and which clusters can move to each')
            break
        }
        'ac;help;adm;release;import-manifest' {
            break
        }
        'ac;help;adm;release;list' {
            break
        }
        'ac;help;config' {
            [CompletionResult]::new('get-sessions', 'get-sessions', [CompletionResultType]::ParameterValue, 'List the ACP sessions (platforms) in kubeconfig')
            [CompletionResult]::new('use-session', 'use-session', [CompletionResultType]::ParameterValue, 'Make a session current: its global cluster''s context (created if needed)')
            [CompletionResult]::new('get-clusters', 'get-clusters', [CompletionResultType]::ParameterValue, 'List the clusters of the current session')
            [CompletionResult]::new('use-cluster', 'use-cluster', [CompletionResultType]::ParameterValue, 'Make a cluster of the current session current (its context is created if needed)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Re-read the platform''s cluster list: add new clusters, remove deleted ones')
            [CompletionResult]::new('set-dr-standby', 'set-dr-standby', [CompletionResultType]::ParameterValue, 'Remember the DR pair: the standby global''s session, for every command that orders the global tier')
            break
        }
        'ac;help;config;get-sessions' {
            break
        }
        'ac;help;config;use-session' {
            break
        }
        'ac;help;config;get-clusters' {
            break
        }
        'ac;help;config;use-cluster' {
            break
        }
        'ac;help;config;sync' {
            break
        }
        'ac;help;config;set-dr-standby' {
            break
        }
        'ac;help;login' {
            break
        }
        'ac;help;logout' {
            break
        }
        'ac;help;completion' {
            break
        }
        'ac;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
