//! Every next step a screen prints is one the guard accepts at that moment (issue "One rule,
//! one room", item 3). On each of the simulator's scenarios — frozen (no controller), so the
//! screens and the guard see the same platform — every screen of every cluster is shown:
//! the summary, status, precheck, the fleet, and the refusal of a `--to-latest`. Each command
//! they print is then run: a request (with `--dry-run`, which runs the same guard and writes
//! nothing) must be accepted; a read (`status`, `precheck`, the summary) must run (exit 0, or 3
//! for pre-checks that block); every `ac` command parses (the harness checks that of every
//! run). Commands with a `<placeholder>` to fill in, `--watch` and `ac config` switches are
//! parsed but not run.

use ac_sim::{Scenario, SimOptions};

use crate::common::{Env, Run, commands_in};

/// The words after `ac` of a printed command.
fn words(command: &str) -> Vec<String> {
    command
        .split_whitespace()
        .skip(1)
        .map(str::to_string)
        .collect()
}

fn is_request(words: &[String]) -> bool {
    let upgrade = words.windows(2).any(|w| w[0] == "adm" && w[1] == "upgrade");
    let sub = words
        .iter()
        .any(|w| matches!(w.as_str(), "status" | "precheck" | "rollout" | "verify"));
    upgrade
        && !sub
        && words.iter().any(|w| {
            w.starts_with("--to=")
                || w.starts_with("--to-image=")
                || w == "--to-latest"
                || w == "--clear"
        })
}

async fn ac(env: &Env, dr: bool, args: &[String]) -> Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let standby: &[(&str, &str)] = if dr {
        &[("AC_DR_STANDBY", "sim-dr")]
    } else {
        &[]
    };
    env.ac_env(&args, standby).await
}

/// Show every screen of every cluster, then hold each printed command against the guard.
async fn check(scenario: &str, opts: SimOptions) -> usize {
    let dr = opts.dr;
    let env = Env::start_with(opts, "global").await;
    let clusters = env.sim.clusters();
    assert!(!clusters.is_empty(), "{scenario}: a scenario with clusters");
    let mut screens: Vec<Vec<String>> = vec![vec![
        "adm".into(),
        "upgrade".into(),
        "status".into(),
        "--all-clusters".into(),
    ]];
    for cluster in &clusters {
        let c = format!("--cluster={cluster}");
        for screen in [
            vec!["adm", "upgrade", &c],
            vec!["adm", "upgrade", "status", &c],
            vec!["adm", "upgrade", "precheck", &c],
            vec!["adm", "upgrade", &c, "--to-latest", "--dry-run"],
        ] {
            screens.push(screen.into_iter().map(str::to_string).collect());
        }
    }
    let mut printed: Vec<(String, String)> = Vec::new();
    for screen in &screens {
        let r = ac(&env, dr, screen).await;
        assert!(
            matches!(r.code, 0 | 3),
            "{scenario}: ac {}: {}",
            screen.join(" "),
            r.both()
        );
        for command in commands_in(&r.stdout)
            .into_iter()
            .chain(commands_in(&r.stderr))
        {
            printed.push((screen.join(" "), command));
        }
    }
    printed.sort();
    printed.dedup();
    let mut checked = 0;
    for (screen, command) in &printed {
        let mut args = words(command);
        if command.contains('<')
            || args.iter().any(|a| a == "--watch" || a == "-w")
            || args
                .first()
                .is_some_and(|a| a == "config" || a == "login" || a == "logout")
        {
            continue;
        }
        let request = is_request(&args);
        let import = args.iter().any(|a| a == "import-manifest");
        if request || import {
            args.push("--dry-run".into());
        }
        let r = ac(&env, dr, &args).await;
        let accepted = if request || import {
            r.code == 0
        } else {
            matches!(r.code, 0 | 3)
        };
        assert!(
            accepted,
            "{scenario}: `ac {screen}` printed `{command}`, which the guard refuses now (exit {}):\n{}",
            r.code,
            r.both()
        );
        assert!(
            env.patches().is_empty(),
            "{scenario}: nothing is ever written here"
        );
        checked += 1;
    }
    checked
}

#[tokio::test(flavor = "multi_thread")]
async fn every_printed_next_step_is_accepted_on_the_builtin_platform() {
    let opts = SimOptions {
        scenario: Scenario::builtin(),
        ..SimOptions::empty()
    };
    let checked = check("builtin", opts).await;
    assert!(checked >= 10, "{checked} commands checked");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_printed_next_step_is_accepted_under_dr() {
    let opts = SimOptions {
        scenario: Scenario::builtin(),
        dr: true,
        ..SimOptions::empty()
    };
    let checked = check("builtin, DR", opts).await;
    assert!(checked >= 10, "{checked} commands checked");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_printed_next_step_is_accepted_on_a_varied_fleet() {
    let opts = SimOptions {
        scenario: Scenario::fleet(12),
        ..SimOptions::empty()
    };
    let checked = check("fleet of 12", opts).await;
    assert!(checked >= 10, "{checked} commands checked");
}
