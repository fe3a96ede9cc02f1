//! The rollout's rules without a server: scenarios, and a property test that drives the
//! scheduler through any interleaving of answers, completions, failures and time.

use jiff::Timestamp;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use super::scheduler::{Action, Event, Limits, Outcome, Rollout, Slot, State};
use super::{Blocker, Role, Seen};
use crate::domain::assess::Assessment;

const V: &str = "4.3.0";

fn t(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_790_000_000 + seconds).unwrap()
}

fn seen(current: &str, pending: Option<&str>, assessment: Assessment) -> Seen {
    Seen {
        current: Some(current.into()),
        pending: pending.map(str::to_string),
        assessment,
        stale: false,
        percent: None,
        eta_seconds: None,
        elapsed_seconds: None,
        trouble: (assessment == Assessment::Stalled).then(|| "operation x failed".into()),
        offered: true,
        generation: None,
    }
}

fn idle() -> Seen {
    seen("4.2.1", None, Assessment::Idle)
}
fn running() -> Seen {
    seen("4.2.1", Some(V), Assessment::Progressing)
}
fn completed() -> Seen {
    seen(V, None, Assessment::Completed)
}
fn stalled() -> Seen {
    seen("4.2.1", Some(V), Assessment::Stalled)
}

fn slot(name: &str, role: Role, state: State) -> Slot {
    let seen = match state {
        State::Done => completed(),
        State::InFlight => running(),
        _ => idle(),
    };
    Slot {
        cluster: name.into(),
        role,
        from: Some("4.2.1".into()),
        state,
        canary: false,
        seen,
        selected: true,
        requested_at: None,
        ended_at: None,
    }
}

fn limits(canary: usize, soak: i64, window: usize, max_failures: usize) -> Limits {
    Limits {
        canary,
        soak_seconds: soak,
        window,
        max_failures,
        cluster_timeout_seconds: None,
    }
}

fn platform(workloads: usize, dr: bool) -> Vec<Slot> {
    let mut slots = Vec::new();
    if dr {
        slots.push(slot("standby", Role::Standby, State::Ready));
    }
    slots.push(slot("global", Role::Global, State::Ready));
    for i in 0..workloads {
        slots.push(slot(&format!("w-{i:02}"), Role::Workload, State::Ready));
    }
    slots
}

fn starts(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Start(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

/// Answer every start with a written request (the cluster's next read shows it running), and
/// the starts that follow, until none is asked for: every cluster started, in order.
fn accept(r: &mut Rollout, actions: &[Action], now: Timestamp) -> Vec<String> {
    let mut started = Vec::new();
    let mut pending = starts(actions);
    while !pending.is_empty() {
        let c = pending.remove(0);
        started.push(c.clone());
        let mut next = r.step(
            Event::Requested {
                cluster: c.clone(),
                generation: None,
            },
            now,
        );
        next.extend(r.step(
            Event::Seen {
                cluster: c,
                seen: running(),
            },
            now,
        ));
        pending.extend(starts(&next));
    }
    started
}

fn complete(r: &mut Rollout, cluster: &str, now: Timestamp) -> Vec<Action> {
    r.step(
        Event::Seen {
            cluster: cluster.into(),
            seen: completed(),
        },
        now,
    )
}

#[test]
fn the_tier_first_standby_then_global_then_the_canary_then_the_window() {
    let mut r = Rollout::new(V, limits(1, 0, 2, 0), platform(4, true), t(0));
    let a = r.step(Event::Tick, t(0));
    assert_eq!(starts(&a), ["standby"], "the standby alone first");
    assert_eq!(
        accept(&mut r, &a, t(1)),
        ["standby"],
        "nothing else while it runs"
    );
    let a = complete(&mut r, "standby", t(2));
    assert_eq!(starts(&a), ["global"]);
    accept(&mut r, &a, t(3));
    let a = complete(&mut r, "global", t(4));
    assert_eq!(starts(&a), ["w-00"], "one canary");
    accept(&mut r, &a, t(5));
    let a = complete(&mut r, "w-00", t(6));
    assert_eq!(
        accept(&mut r, &a, t(7)),
        ["w-01", "w-02"],
        "then a window of two"
    );
    let a = complete(&mut r, "w-02", t(8));
    assert_eq!(starts(&a), ["w-03"], "the next as soon as one ends");
    accept(&mut r, &a, t(9));
    complete(&mut r, "w-01", t(10));
    let a = complete(&mut r, "w-03", t(11));
    assert_eq!(a.last(), Some(&Action::Finish(Outcome::AllAtTarget)));
}

#[test]
fn the_soak_waits_then_rereads_the_canary() {
    let mut r = Rollout::new(V, limits(1, 600, 5, 0), platform(3, false), t(0));
    let a = r.step(Event::Tick, t(0));
    accept(&mut r, &a, t(0));
    let a = complete(&mut r, "global", t(10));
    accept(&mut r, &a, t(10));
    let a = complete(&mut r, "w-00", t(20));
    assert!(starts(&a).is_empty(), "soaking: {a:?}");
    assert_eq!(r.wake_in(), Some(600));
    let a = r.step(Event::Tick, t(300));
    assert!(a.is_empty(), "{a:?}");
    let a = r.step(Event::Tick, t(620));
    assert_eq!(a, [Action::Reread(vec!["w-00".into()])]);
    let a = r.step(
        Event::Reread {
            seen: vec![("w-00".into(), completed())],
        },
        t(621),
    );
    assert_eq!(accept(&mut r, &a, t(622)), ["w-01", "w-02"]);
}

#[test]
fn a_canary_unhealthy_after_the_soak_stops_everything() {
    let mut r = Rollout::new(V, limits(1, 60, 5, 3), platform(3, false), t(0));
    let a = r.step(Event::Tick, t(0));
    accept(&mut r, &a, t(0));
    let a = complete(&mut r, "global", t(1));
    accept(&mut r, &a, t(1));
    complete(&mut r, "w-00", t(2));
    r.step(Event::Tick, t(70));
    let a = r.step(
        Event::Reread {
            seen: vec![("w-00".into(), seen(V, None, Assessment::Stalled))],
        },
        t(71),
    );
    assert!(starts(&a).is_empty());
    assert_eq!(a.last(), Some(&Action::Finish(Outcome::Failed)));
    assert!(r.stopping.is_some());
}

#[test]
fn the_failure_budget_stops_new_starts_and_follows_running_ones() {
    let mut slots = platform(6, false);
    slots[0].state = State::Done;
    slots[0].seen = completed();
    let mut r = Rollout::new(V, limits(0, 0, 3, 1), slots, t(0));
    let a = r.step(Event::Tick, t(0));
    assert_eq!(
        accept(&mut r, &a, t(1)),
        ["w-00", "w-01", "w-02"],
        "no canary: the window at once"
    );
    let a = r.step(
        Event::Seen {
            cluster: "w-00".into(),
            seen: stalled(),
        },
        t(2),
    );
    assert_eq!(
        accept(&mut r, &a, t(2)),
        ["w-03"],
        "one failure is within the budget"
    );
    let a = r.step(
        Event::Seen {
            cluster: "w-01".into(),
            seen: stalled(),
        },
        t(3),
    );
    assert!(starts(&a).is_empty(), "two exceed it: {a:?}");
    let a = complete(&mut r, "w-02", t(4));
    assert!(starts(&a).is_empty());
    let a = complete(&mut r, "w-03", t(5));
    assert_eq!(a.last(), Some(&Action::Finish(Outcome::Failed)));
    let left: Vec<&str> = r
        .slots
        .iter()
        .filter(|s| s.state == State::Ready)
        .map(|s| s.cluster.as_str())
        .collect();
    assert_eq!(
        left,
        ["w-04", "w-05"],
        "left unstarted, said in the summary"
    );
}

#[test]
fn resume_waits_on_clusters_in_flight_and_requests_the_rest_once() {
    let mut slots = platform(4, false);
    slots[0].state = State::Done;
    slots[0].seen = completed();
    slots[1].state = State::Done; // w-00 done in an earlier run
    slots[1].seen = completed();
    slots[2].state = State::InFlight; // w-01 requested in an earlier run
    slots[2].seen = running();
    let mut r = Rollout::new(V, limits(1, 0, 5, 0), slots, t(0));
    let a = r.step(Event::Tick, t(0));
    assert_eq!(
        accept(&mut r, &a, t(1)),
        ["w-02", "w-03"],
        "one done is the canary; the in-flight one is waited on, not requested"
    );
    complete(&mut r, "w-01", t(2));
    complete(&mut r, "w-02", t(2));
    let a = complete(&mut r, "w-03", t(3));
    assert_eq!(a.last(), Some(&Action::Finish(Outcome::AllAtTarget)));
}

#[test]
fn a_global_tier_that_cannot_move_leaves_workloads_waiting() {
    let mut slots = platform(2, false);
    slots[0].state = State::Blocked {
        blocker: Blocker {
            check: "kubernetes-versions",
            detail: "1 workload cluster is outside".into(),
            remedy: None,
        },
    };
    slots[1].state = State::NotOfferedYet;
    slots[2].state = State::NotOfferedYet;
    let mut r = Rollout::new(V, limits(1, 0, 5, 0), slots, t(0));
    let a = r.step(Event::Tick, t(0));
    assert_eq!(a, [Action::Finish(Outcome::Incomplete)]);
}

#[test]
fn a_refused_canary_is_replaced_and_blocked_clusters_are_skipped() {
    let mut slots = platform(3, false);
    slots[0].state = State::Done;
    slots[0].seen = completed();
    let mut r = Rollout::new(V, limits(1, 0, 5, 0), slots, t(0));
    let a = r.step(Event::Tick, t(0));
    assert_eq!(starts(&a), ["w-00"]);
    let blocker = Blocker {
        check: "resource-patches",
        detail: "1 ResourcePatch is not exempt".into(),
        remedy: Some("kubectl annotate …".into()),
    };
    let a = r.step(
        Event::Refused {
            cluster: "w-00".into(),
            blocker,
        },
        t(1),
    );
    assert_eq!(
        accept(&mut r, &a, t(2)),
        ["w-01"],
        "the next ready one is the canary"
    );
    let a = complete(&mut r, "w-01", t(3));
    assert_eq!(starts(&a), ["w-02"]);
    accept(&mut r, &a, t(4));
    let a = complete(&mut r, "w-02", t(5));
    assert_eq!(a.last(), Some(&Action::Finish(Outcome::Incomplete)));
}

#[test]
fn the_offer_lags_the_tier_a_little() {
    let mut slots = platform(1, false);
    slots[1].state = State::NotOfferedYet;
    let mut r = Rollout::new(V, limits(1, 0, 5, 0), slots, t(0));
    let a = r.step(Event::Tick, t(0));
    accept(&mut r, &a, t(0));
    let a = complete(&mut r, "global", t(1));
    assert_eq!(starts(&a), ["w-00"]);
    let a = r.step(
        Event::NotOfferedYet {
            cluster: "w-00".into(),
        },
        t(2),
    );
    assert!(a.iter().all(|a| !matches!(a, Action::Finish(_))), "{a:?}");
    // Its cvsh changes (the offer arrives): started again.
    let a = r.step(
        Event::Seen {
            cluster: "w-00".into(),
            seen: idle(),
        },
        t(3),
    );
    assert_eq!(starts(&a), ["w-00"]);
    // Never offered: not offered, once the grace is over.
    r.step(
        Event::NotOfferedYet {
            cluster: "w-00".into(),
        },
        t(4),
    );
    let a = r.step(
        Event::Tick,
        t(1 + super::scheduler::OFFER_GRACE_SECONDS + 1),
    );
    assert_eq!(a.last(), Some(&Action::Finish(Outcome::Incomplete)));
    assert_eq!(r.slots[1].state, State::NotOffered);
}

#[test]
fn a_cluster_running_past_its_timeout_fails() {
    let mut l = limits(0, 0, 5, 0);
    l.cluster_timeout_seconds = Some(3600);
    let mut slots = platform(1, false);
    slots[0].state = State::Done;
    slots[0].seen = completed();
    let mut r = Rollout::new(V, l, slots, t(0));
    let a = r.step(Event::Tick, t(0));
    accept(&mut r, &a, t(0));
    assert!(r.step(Event::Tick, t(3600)).is_empty());
    let a = r.step(Event::Tick, t(3601));
    assert!(matches!(r.slots[1].state, State::Failed { .. }));
    assert_eq!(a.last(), Some(&Action::Finish(Outcome::Failed)));
}

#[test]
fn an_event_queued_before_the_write_does_not_fail_the_request() {
    let mut slots = platform(1, false);
    slots[0].state = State::Done;
    slots[0].seen = completed();
    let mut r = Rollout::new(V, limits(0, 0, 5, 0), slots, t(0));
    r.step(Event::Tick, t(0));
    r.step(
        Event::Requested {
            cluster: "w-00".into(),
            generation: Some(2),
        },
        t(1),
    );
    r.step(
        Event::Seen {
            cluster: "w-00".into(),
            seen: idle(),
        },
        t(1),
    );
    assert_eq!(r.slots[1].state, State::Requested);
}

#[test]
fn the_canary_waits_for_its_offer_when_it_lags_the_tier() {
    let mut slots = platform(3, false);
    for s in &mut slots[1..] {
        s.state = State::NotOfferedYet;
        s.seen.offered = false;
    }
    let mut r = Rollout::new(V, limits(1, 0, 5, 0), slots, t(0));
    let a = r.step(Event::Tick, t(0));
    accept(&mut r, &a, t(0));
    // The tier completed; the offers have not come yet: nothing starts, the canary is kept.
    let a = complete(&mut r, "global", t(1));
    assert!(starts(&a).is_empty(), "{a:?}");
    assert!(r.slots[1].canary, "the canary waits for its offer");
    let a = r.step(Event::Tick, t(2));
    assert!(starts(&a).is_empty(), "{a:?}");
    // Another cluster's offer comes first: still only the canary may start.
    let mut offered = idle();
    offered.offered = true;
    let a = r.step(
        Event::Seen {
            cluster: "w-01".into(),
            seen: offered.clone(),
        },
        t(3),
    );
    assert!(starts(&a).is_empty(), "no start before the canary: {a:?}");
    let a = r.step(
        Event::Seen {
            cluster: "w-00".into(),
            seen: offered,
        },
        t(4),
    );
    assert_eq!(starts(&a), ["w-00"]);
}

#[test]
fn one_start_at_a_time() {
    let mut r = Rollout::new(V, limits(0, 0, 3, 0), platform(3, false), t(0));
    let a = r.step(Event::Tick, t(0));
    accept(&mut r, &a, t(0));
    let a = complete(&mut r, "global", t(1));
    assert_eq!(starts(&a), ["w-00"]);
    // Unanswered: other events start nothing more.
    let a = r.step(Event::Tick, t(2));
    assert!(starts(&a).is_empty(), "{a:?}");
    // Its write failed and spent the budget: the next start never comes.
    let a = r.step(
        Event::WriteFailed {
            cluster: "w-00".into(),
            why: "409".into(),
        },
        t(3),
    );
    assert!(starts(&a).is_empty(), "{a:?}");
    assert_eq!(a.last(), Some(&Action::Finish(Outcome::Failed)));
}

#[test]
fn clusters_outside_the_selection_take_no_slot_and_spend_no_budget() {
    let mut slots = platform(2, false);
    slots[0].state = State::Done;
    slots[0].seen = completed();
    slots[1].state = State::InFlight;
    slots[1].seen = running();
    slots[1].selected = false;
    let mut r = Rollout::new(V, limits(0, 0, 1, 0), slots, t(0));
    let a = r.step(Event::Tick, t(0));
    assert_eq!(starts(&a), ["w-01"], "the window is free: {a:?}");
    let a = r.step(
        Event::Seen {
            cluster: "w-00".into(),
            seen: stalled(),
        },
        t(1),
    );
    assert_eq!(r.failures, 0, "{a:?}");
}

#[test]
fn a_request_withdrawn_after_the_controller_saw_it_fails() {
    let mut slots = platform(1, false);
    slots[0].state = State::Done;
    slots[0].seen = completed();
    let mut r = Rollout::new(V, limits(0, 0, 5, 0), slots, t(0));
    r.step(Event::Tick, t(0));
    r.step(
        Event::Requested {
            cluster: "w-00".into(),
            generation: Some(2),
        },
        t(1),
    );
    let mut withdrawn = idle();
    withdrawn.generation = Some(3);
    let a = r.step(
        Event::Seen {
            cluster: "w-00".into(),
            seen: withdrawn,
        },
        t(2),
    );
    assert!(
        matches!(r.slots[1].state, State::Failed { .. }),
        "{:?}",
        r.slots[1].state
    );
    assert_eq!(a.last(), Some(&Action::Finish(Outcome::Failed)));
}

#[test]
fn a_canary_that_could_not_be_read_again_is_read_again() {
    let mut r = Rollout::new(V, limits(1, 60, 5, 0), platform(2, false), t(0));
    let a = r.step(Event::Tick, t(0));
    accept(&mut r, &a, t(0));
    let a = complete(&mut r, "global", t(1));
    accept(&mut r, &a, t(1));
    complete(&mut r, "w-00", t(2));
    let a = r.step(Event::Tick, t(70));
    assert_eq!(a, [Action::Reread(vec!["w-00".into()])]);
    let a = r.step(Event::Reread { seen: Vec::new() }, t(71));
    assert!(a.is_empty(), "unread is not healthy: {a:?}");
    let a = r.step(Event::Tick, t(72));
    assert!(a.is_empty(), "not in a loop: {a:?}");
    let a = r.step(Event::Tick, t(76));
    assert_eq!(a, [Action::Reread(vec!["w-00".into()])]);
    let a = r.step(
        Event::Reread {
            seen: vec![("w-00".into(), completed())],
        },
        t(77),
    );
    assert_eq!(starts(&a), ["w-01"]);
}

#[test]
fn ctrl_c_ends_at_once() {
    let mut r = Rollout::new(V, limits(1, 0, 5, 0), platform(3, false), t(0));
    let a = r.step(Event::Tick, t(0));
    accept(&mut r, &a, t(0));
    let a = r.step(Event::Interrupt, t(1));
    assert_eq!(a, [Action::Finish(Outcome::Interrupted)]);
    assert!(
        r.step(Event::Tick, t(2)).is_empty(),
        "nothing after the end"
    );
}

// ---------------------------------------------------------------------------------------------
// Any interleaving keeps every rule.

#[derive(Debug, Clone)]
enum Answer {
    /// The request is written.
    Write,
    /// Its pre-checks refuse it.
    Refuse,
    /// Writing fails.
    WriteFails,
}

#[derive(Debug, Clone)]
enum Happening {
    /// An active cluster (picked by index) completes / stalls / reports progress.
    Complete(usize),
    Stall(usize),
    Progress(usize),
    /// Time passes.
    Tick(i64),
}

fn happening() -> impl Strategy<Value = Happening> {
    prop_oneof![
        4 => any::<usize>().prop_map(Happening::Complete),
        1 => any::<usize>().prop_map(Happening::Stall),
        1 => any::<usize>().prop_map(Happening::Progress),
        1 => (1i64..400).prop_map(Happening::Tick),
    ]
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![8 => Just(Answer::Write), 1 => Just(Answer::Refuse), 1 => Just(Answer::WriteFails)]
}

/// The rules, checked on every start the scheduler asks for.
fn check_start(r: &Rollout, cluster: &str, soaked: bool, started: &[String]) {
    assert!(
        !started.iter().any(|c| c == cluster),
        "{cluster} started twice"
    );
    assert!(r.stopping.is_none(), "a start after the stop: {cluster}");
    let slot = r.slots.iter().find(|s| s.cluster == cluster).unwrap();
    assert_eq!(
        slot.state,
        State::Ready,
        "{cluster} started from {:?}",
        slot.state
    );
    let tier_at = |role: Role| {
        r.slots
            .iter()
            .filter(|s| s.role == role)
            .all(|s| s.state.at_target() || s.seen.at(V))
    };
    match slot.role {
        Role::Standby => {}
        Role::Global => assert!(tier_at(Role::Standby), "global before the standby"),
        Role::Workload => {
            assert!(
                tier_at(Role::Standby) && tier_at(Role::Global),
                "{cluster} before the global tier"
            );
            if !slot.canary {
                assert!(
                    r.slots
                        .iter()
                        .filter(|s| s.canary)
                        .all(|s| s.state.at_target()),
                    "{cluster} before the canary completed"
                );
                // No canary at all (clusters already at the target prove it): no soak.
                assert!(
                    soaked || !r.slots.iter().any(|s| s.canary),
                    "{cluster} before the soak"
                );
            }
        }
    }
    // The window bounds workload clusters (the global tier moves one member at a time).
    if slot.role == Role::Workload {
        assert!(
            r.active() < r.limits.window,
            "{cluster} starts with {} running (window {})",
            r.active(),
            r.limits.window
        );
    }
}

proptest! {
    #![proptest_config(Config {
        cases: 600,
        rng_seed: RngSeed::Fixed(0xac_0016),
        failure_persistence: None,
        ..Config::default()
    })]
    #[test]
    fn any_interleaving_keeps_every_rule(
        workloads in 0usize..12,
        dr in any::<bool>(),
        canary in 0usize..3,
        soak in prop_oneof![Just(0i64), 1i64..600],
        window in 1usize..4,
        max_failures in 0usize..3,
        resumed in prop::collection::vec(0u8..4, 12),
        answers in prop::collection::vec(answer(), 40),
        happenings in prop::collection::vec(happening(), 200),
    ) {
        let mut slots = platform(workloads, dr);
        // Some workload clusters were done or requested before (a resume).
        for (slot, r) in slots.iter_mut().filter(|s| s.role == Role::Workload).zip(&resumed) {
            match r {
                0 => { slot.state = State::Done; slot.seen = completed(); }
                1 => { slot.state = State::InFlight; slot.seen = running(); }
                _ => {}
            }
        }
        let mut r = Rollout::new(V, limits(canary, soak, window, max_failures), slots, t(0));
        let mut now = 0i64;
        let mut started: Vec<String> = Vec::new();
        let mut finished = 0;
        let mut soaked = canary == 0 || soak == 0;
        let mut answers = answers.into_iter().cycle();
        let mut queue: Vec<Action> = r.step(Event::Tick, t(now));
        let mut happenings = happenings.into_iter();
        loop {
            // Carry out what the scheduler asked, checking each start.
            while let Some(action) = (!queue.is_empty()).then(|| queue.remove(0)) {
                match action {
                    Action::Start(c) => {
                        check_start(&r, &c, soaked || r.slots.iter().find(|s| s.cluster == c).is_some_and(|s| s.canary), &started);
                        started.push(c.clone());
                        let more = match answers.next().unwrap() {
                            Answer::Write => r.step(
                                Event::Requested {
                                    cluster: c,
                                    generation: None,
                                },
                                t(now),
                            ),
                            Answer::Refuse => r.step(Event::Refused { cluster: c, blocker: Blocker { check: "resource-patches", detail: "x".into(), remedy: None } }, t(now)),
                            Answer::WriteFails => r.step(Event::WriteFailed { cluster: c, why: "500".into() }, t(now)),
                        };
                        queue.extend(more);
                    }
                    Action::Reread(clusters) => {
                        let seen = clusters.into_iter().map(|c| (c, completed())).collect();
                        queue.extend(r.step(Event::Reread { seen }, t(now)));
                        soaked = true;
                    }
                    Action::Finish(outcome) => {
                        finished += 1;
                        let all = r.slots.iter().filter(|s| s.selected).all(|s| s.state.at_target());
                        match outcome {
                            Outcome::AllAtTarget => prop_assert!(all),
                            Outcome::Failed => prop_assert!(r.failures > 0),
                            Outcome::Incomplete => prop_assert!(!all && r.failures == 0),
                            Outcome::Interrupted => {}
                        }
                        prop_assert_eq!(r.active(), 0, "finished with clusters still moving");
                    }
                    Action::Changed { .. } => {}
                }
            }
            if r.outcome.is_some() {
                break;
            }
            let Some(h) = happenings.next() else { break };
            let active: Vec<String> = r.slots.iter().filter(|s| s.state.active()).map(|s| s.cluster.clone()).collect();
            let event = match h {
                Happening::Complete(i) if !active.is_empty() => Event::Seen { cluster: active[i % active.len()].clone(), seen: completed() },
                Happening::Stall(i) if !active.is_empty() => Event::Seen { cluster: active[i % active.len()].clone(), seen: stalled() },
                Happening::Progress(i) if !active.is_empty() => Event::Seen { cluster: active[i % active.len()].clone(), seen: running() },
                Happening::Tick(s) => { now += s; Event::Tick }
                _ => { now += 1; Event::Tick }
            };
            queue.extend(r.step(event, t(now)));
        }
        prop_assert!(finished <= 1, "finished {} times", finished);
        if r.failures > max_failures || r.slots.iter().any(|s| s.canary && matches!(s.state, State::Failed { .. })) {
            prop_assert!(r.stopping.is_some());
        }
    }
}
