//! Watching against a hostile or broken server, end to end (the built `ac` and the simulator's
//! watch faults), and the collection watch the rollout is built on (the library against the
//! simulator's fleet). No timing assertion: "no reconnect storm" is a count of requests in the
//! simulator's log against the least time the backoff makes them take.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ac::access::client::{self, Conn};
use ac::access::watch::{Event, MAX_EVENT_BYTES, Watcher, backoff};
use ac::access::{Diagnostics, Options};
use ac::domain::cvsh::Cvsh;
use ac_sim::{Fault, Scenario, SimOptions};
use serde_json::{Value, json};

use crate::common::{Env, cvsh};
use crate::status::{complete_global, running, spawn_ac, stalled, until, watch_count, watching};

fn faults(spec: &str) -> Vec<Fault> {
    vec![Fault::parse(spec).expect("fault parses")]
}

/// `METHOD path?query` of every ClusterVersionShadow request so far.
fn cvsh_requests(env: &Env) -> Vec<String> {
    env.request_lines()
        .into_iter()
        .filter(|line| line.contains("/clusterversionshadows"))
        .collect()
}

fn is_watch(line: &str) -> bool {
    line.contains("watch=true")
}

fn list_count(env: &Env) -> usize {
    cvsh_requests(env)
        .iter()
        .filter(|line| !is_watch(line))
        .count()
}

/// The most requests a watch can make in `elapsed` when every attempt fails: the first, then
/// one after each backoff, each at least [`backoff::shortest`] long.
fn most_attempts(elapsed: Duration) -> usize {
    let mut spent = Duration::ZERO;
    let mut attempts = 1;
    loop {
        spent += backoff::shortest(attempts as u32);
        if spent > elapsed {
            return attempts;
        }
        attempts += 1;
    }
}

fn resource_version(object: &Value) -> String {
    object["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn foreign_watch_events_are_never_taken_for_the_watched_cluster() {
    // Issue 15 item 3: a MODIFIED event for workload-a (Ready at 4.2.1) on the watch of global
    // (in flight to 4.3.0) made status --watch say "Cluster global reached 4.2.1", exit 0.
    let env = Env::start("global").await;
    env.put_cvsh(running(1, 2));
    env.put_cvsh(cvsh("workload-a", "4.2.1", &[]));
    env.sim
        .set_faults(faults("foreign-event=workload-a,path=watch=true"));
    let child = watching(&env, &["-v=6"]).await;
    let r = complete_global(&env, child).await;
    assert!(!r.stdout.contains("reached 4.2.1"), "{}", r.both());
    assert!(
        r.stderr.contains(
            "I watch clusterversionshadows.config.alauda.io \"global\" in namespace cpaas-system: ignored an object changed that is not \"global\": \"workload-a\""
        ),
        "a -v=6 line for the ignored event:\n{}",
        r.both()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_event_streams_back_off_instead_of_reconnecting_at_once() {
    // Issue 15 item 15: a stream that delivers one event and ends made ac reconnect about 20
    // times a second. Here a real upgrade runs (the simulated controller, about 8 s) while every
    // watch stream ends after one event; the wait still sees it through (each reconnect from
    // the second failure in a row re-lists, so it never falls behind).
    let scenario = Scenario::from_yaml(
        "clusters:\n  - {name: global, version: 4.2.1}\n  - {name: edge-1, version: 4.1.5, target: 4.2.1}\nmanifests: [4.1.5, 4.2.1]\n",
    )
    .unwrap();
    let env = Env::start_with(
        SimOptions {
            faults: faults("one-event,path=watch=true"),
            ..SimOptions {
                scenario,
                ..SimOptions::default_scenario()
            }
        },
        "global",
    )
    .await;
    let started = Instant::now();
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "status",
            "--cluster",
            "edge-1",
            "--watch",
            "--timeout",
            "100s",
        ])
        .await;
    let elapsed = started.elapsed();
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.contains("Cluster edge-1 reached 4.2.1."),
        "{}",
        r.both()
    );
    let requests = cvsh_requests(&env);
    let watches = requests.iter().filter(|line| is_watch(line)).count();
    let bound = most_attempts(elapsed);
    assert!(
        watches <= bound,
        "{watches} watch requests in {elapsed:?}: the backoff allows at most {bound}: {requests:#?}"
    );
    assert!(list_count(&env) <= bound + 1, "{requests:#?}");
}

/// A fault that makes every watch lose its place (410): `ac` re-lists after each and watches
/// from the LIST's resourceVersion, with backoff; once the fault is gone it goes on from there
/// and sees the upgrade through.
async fn relists_after_410(fault: &str) {
    let env = Env::start("global").await;
    env.put_cvsh(running(1, 2));
    let child = watching(&env, &[]).await;
    // Another object changes: global's own resourceVersion is now older than the platform's.
    env.put_cvsh(cvsh("workload-a", "4.2.1", &[]));
    let platform_rv = resource_version(&env.cvsh("workload-a"));
    let global_rv = resource_version(&env.cvsh("global"));
    assert_ne!(platform_rv, global_rv);
    env.sim.set_faults(faults(fault));
    let faulty_since = Instant::now();
    let watches_before = watch_count(&env);
    env.sim.drop_watches();
    until("two relists", || list_count(&env) >= 3).await;
    env.sim.set_faults(Vec::new());
    let elapsed = faulty_since.elapsed();
    let watches_in_fault = watch_count(&env) - watches_before;
    let after_fault = watch_count(&env);
    until("a watch after the fault", || {
        watch_count(&env) > after_fault
    })
    .await;
    let requests = cvsh_requests(&env);
    complete_global(&env, child).await;
    // No storm: the watches made while every one of them failed fit the backoff.
    let bound = most_attempts(elapsed) + 1;
    assert!(
        watches_in_fault <= bound,
        "{fault}: {watches_in_fault} watches in {elapsed:?}, at most {bound}: {requests:#?}"
    );
    // After the drop: one resume (from where it was), then LIST and WATCH in turn: every
    // watch that lost its place is followed by a LIST.
    let tail = &requests[2..];
    assert!(is_watch(&tail[0]), "{fault}: {requests:#?}");
    for pair in tail[1..].windows(2) {
        assert!(
            !(is_watch(&pair[0]) && is_watch(&pair[1])),
            "{fault}: a watch after a 410 without a LIST: {requests:#?}"
        );
    }
    // And from the LIST's resourceVersion (the platform's), never from global's own.
    let last = requests.last().unwrap();
    assert!(
        is_watch(last) && last.contains(&format!("resourceVersion={platform_rv}")),
        "{fault}: {requests:#?}"
    );
    // (The first watch and the resume after the drop start from the first LIST's.)
    assert!(
        requests
            .iter()
            .filter(|line| is_watch(line))
            .skip(2)
            .all(|line| !line.ends_with(&format!("resourceVersion={global_rv}"))),
        "{fault}: {requests:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_error_410_event_on_every_watch_relists_with_backoff() {
    relists_after_410("expired-event,path=watch=true").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn http_410_on_the_watch_request_relists_instead_of_failing() {
    relists_after_410("expired,path=watch=true").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_watch_outlives_the_request_timeout() {
    // Issue 15 item 15: idle watches were cut every --request-timeout (30 s by default). With
    // --request-timeout=1s the one watch stays open while nothing changes for 3 s.
    let env = Env::start("global").await;
    env.put_cvsh(running(1, 2));
    let child = watching(&env, &["--request-timeout=1s"]).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(watch_count(&env), 1, "{:#?}", env.request_lines());
    complete_global(&env, child).await;
    assert_eq!(watch_count(&env), 1, "{:#?}", env.request_lines());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endless_watch_line_is_an_error_naming_the_limit() {
    // Issue 15 item 13: one endless watch line grew without limit.
    let env = Env::start("global").await;
    env.put_cvsh(running(1, 2));
    env.sim.set_faults(faults("endless-line,path=watch=true"));
    let r = env
        .ac(&["adm", "upgrade", "status", "--watch", "--timeout", "100s"])
        .await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(
        r.stderr.starts_with(&format!(
            "error: a watch event from {} for clusterversionshadows.config.alauda.io \"global\" in namespace cpaas-system is longer than {} MiB, the limit of one event",
            env.sim.cluster_url("global"),
            MAX_EVENT_BYTES >> 20
        )),
        "{}",
        r.both()
    );
    assert!(r.stderr.contains("\nhint: "), "{}", r.both());
    assert_eq!(watch_count(&env), 1, "not retried");
}

/// Global with a request for 4.3.0 already there (running, or stalled on an operation).
fn requested(is_stalled: bool) -> Value {
    if is_stalled {
        stalled(2)
    } else {
        running(1, 2)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn upgrade_wait_follows_the_request_already_there() {
    // Issue 15 item 5: `--to=V --wait` with a request for V already there said "already has a
    // request" and exited 0 without waiting, even on a Stalled cluster.
    let wait = [
        "adm",
        "upgrade",
        "--to=4.3.0",
        "--wait",
        "--timeout",
        "100s",
    ];
    let following = "info: cluster global already has a request for 4.3.0; following it (--wait)";

    // Stalled: the wait's own failure, exit 5.
    let env = Env::start("global").await;
    env.put_cvsh(requested(true));
    let r = env.ac(&wait).await;
    assert_eq!(r.code, 5, "{}", r.both());
    assert!(r.stderr.contains(following), "{}", r.both());
    assert!(
        r.stderr
            .contains("error: the upgrade of cluster global failed: operation op-1"),
        "{}",
        r.both()
    );
    assert!(env.patches().is_empty(), "nothing written");

    // Running: followed until it completes, exit 0.
    let env = Env::start("global").await;
    env.put_cvsh(requested(false));
    let child = spawn_ac(&env, &wait);
    until("the watch", || watch_count(&env) >= 1).await;
    let r = complete_global(&env, child).await;
    assert!(r.stderr.contains(following), "{}", r.both());
    assert!(env.patches().is_empty(), "nothing written");

    // Still running at the deadline: exit 4.
    let r = env
        .ac(&["adm", "upgrade", "--to=4.3.0", "--wait", "--timeout", "1s"])
        .await;
    assert_eq!(r.code, 0, "already at 4.3.0 now: {}", r.both());
    env.put_cvsh(requested(false));
    let r = env
        .ac(&["adm", "upgrade", "--to=4.3.0", "--wait", "--timeout", "2s"])
        .await;
    assert_eq!(r.code, 4, "{}", r.both());
    assert!(
        r.stderr
            .contains("error: gave up waiting for the upgrade of cluster global after 2s"),
        "{}",
        r.both()
    );
    assert!(env.patches().is_empty(), "nothing written");

    // Without --wait: still the info line and exit 0.
    let r = env.ac(&["adm", "upgrade", "--to=4.3.0"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stderr.contains("already has a request for 4.3.0"),
        "{}",
        r.both()
    );
}

/// Diagnostics kept for the test to read.
#[derive(Default)]
struct Kept(Mutex<Vec<String>>);

impl Kept {
    fn said(&self, text: &str) -> bool {
        self.0
            .lock()
            .unwrap()
            .iter()
            .any(|line| line.contains(text))
    }
}

impl Diagnostics for Kept {
    fn warn(&self, message: &str) {
        self.0.lock().unwrap().push(format!("warning: {message}"));
    }
    fn trace(&self, line: &str) {
        self.0.lock().unwrap().push(line.to_string());
    }
}

async fn connect(env: &Env, kept: Arc<Kept>) -> Conn {
    let options = Options {
        kubeconfig: Some(env.kubeconfig.clone()),
        verbosity: 6,
        ..Options::default()
    };
    let resolved = client::resolve(&options).expect("kubeconfig resolves");
    Conn::open(resolved, &options, kept)
        .await
        .expect("connects")
}

async fn next(watch: &mut Watcher<Cvsh>) -> Event<Cvsh> {
    tokio::time::timeout(Duration::from_secs(60), watch.next())
        .await
        .expect("an event within 60 s")
        .expect("the watch goes on")
}

/// Read the first LIST to its end: the names listed and the number of pages.
async fn read_first_list(watch: &mut Watcher<Cvsh>) -> (Vec<String>, usize) {
    let (mut names, mut pages) = (Vec::new(), 0);
    loop {
        match next(watch).await {
            Event::Listed(page) => {
                pages += 1;
                names.extend(page.into_iter().map(|c| c.name));
            }
            Event::Synced => return (names, pages),
            other => panic!("in the first list: {other:?}"),
        }
    }
}

/// The next event, which must be a change (nothing is skipped).
async fn next_change(watch: &mut Watcher<Cvsh>) -> Event<Cvsh> {
    match next(watch).await {
        Event::Relisting | Event::Relisted(_) | Event::Listed(_) | Event::Synced => {
            panic!("a change expected, not a list")
        }
        change => change,
    }
}

/// What was read until `name` was seen asking for `version` (changed, or listed again: then
/// to the end of that list) and `kept` has a line containing `said`.
#[derive(Default, Debug)]
struct Read {
    /// `Relisting`, `Relisted`, `Synced`, `Upserted`, `Deleted`, in order.
    kinds: Vec<&'static str>,
    /// The names of the last complete relist.
    relisted: Option<Vec<String>>,
}

async fn read_until(
    watch: &mut Watcher<Cvsh>,
    name: &str,
    version: &str,
    kept: &Kept,
    said: &str,
) -> Read {
    let mut read = Read::default();
    let mut listing: Vec<String> = Vec::new();
    let (mut in_list, mut found) = (false, false);
    let is_it = |c: &Cvsh| {
        c.name == name
            && c.desired_update.as_ref().and_then(|d| d.version.as_deref()) == Some(version)
    };
    loop {
        let seen = match next(watch).await {
            Event::Relisting => {
                read.kinds.push("Relisting");
                listing.clear();
                in_list = true;
                false
            }
            Event::Relisted(page) => {
                read.kinds.push("Relisted");
                let seen = page.iter().any(is_it);
                listing.extend(page.into_iter().map(|c| c.name));
                seen
            }
            Event::Synced => {
                read.kinds.push("Synced");
                read.relisted = Some(std::mem::take(&mut listing));
                in_list = false;
                false
            }
            Event::Upserted(c) => {
                read.kinds.push("Upserted");
                is_it(&c)
            }
            Event::Deleted(_) => {
                read.kinds.push("Deleted");
                false
            }
            Event::Listed(page) => panic!("a first list again: {} items", page.len()),
        };
        found |= seen;
        if found && !in_list && kept.said(said) {
            return read;
        }
    }
}

/// Ask `workload-0001` for `version` (the controller is off: nothing else changes).
fn request(env: &Env, version: &str) {
    let mut changed = env.cvsh("workload-0001");
    changed["spec"]["desiredUpdate"] = json!({"version": version});
    env.sim.put(changed);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_collection_watch_lists_in_pages_then_follows_the_fleet() {
    // Issue 16 item 5: the primitive of the rollout. One LIST in pages + one WATCH for the
    // whole fleet; relist on 410 (an ERROR event, or the answer to the watch request),
    // reconnect on drops; requests never grow with the fleet beyond the LIST's pages.
    let env = Env::start_with(
        SimOptions {
            scenario: Scenario::fleet(1200),
            ..SimOptions::empty()
        },
        "global",
    )
    .await;
    env.sim.clear_requests();
    let kept = Arc::new(Kept::default());
    let conn = connect(&env, kept.clone()).await;
    let mut watch: Watcher<Cvsh> = conn.watch_cvsh_collection();

    let (names, pages) = read_first_list(&mut watch).await;
    assert_eq!(
        (names.len(), pages),
        (1201, 3),
        "global + 1,200, 500 a page"
    );
    assert!(names.iter().any(|n| n == "global") && names.iter().any(|n| n == "workload-1200"));
    assert!(!watch.resource_version().is_empty());

    // Changes and deletions, each once, as they happen.
    request(&env, "4.2.1");
    match next_change(&mut watch).await {
        Event::Upserted(c) => assert_eq!(c.name, "workload-0001"),
        other => panic!("{other:?}"),
    }
    env.sim.delete(
        "clusterversionshadows",
        Some("cpaas-system"),
        "workload-0002",
    );
    match next_change(&mut watch).await {
        Event::Deleted(c) => assert_eq!(c.name, "workload-0002"),
        other => panic!("{other:?}"),
    }

    // A dropped connection: back from where it was (the first failure in a row), no LIST.
    env.sim.drop_watches();
    request(&env, "4.2.2");
    match next_change(&mut watch).await {
        Event::Upserted(c) => assert_eq!(c.name, "workload-0001"),
        other => panic!("{other:?}"),
    }
    assert_eq!(watch.stats().lists, 1);

    // An ERROR 410 event (the first watch from here): a relist of everything, deletion
    // included. (Whether the drop before it already re-lists depends on the failures in a row,
    // which only a stream open 30 s resets: the test reads until both are done.)
    env.sim
        .set_faults(faults("expired-event,path=watch=true,rate=0.2"));
    env.sim.drop_watches();
    request(&env, "4.2.3");
    let lost = "the watch lost its place (410 Expired): re-listing";
    let read = read_until(&mut watch, "workload-0001", "4.2.3", &kept, lost).await;
    assert!(read.kinds.contains(&"Relisting"), "{read:?}");
    let relisted = read.relisted.expect("a complete relist");
    assert_eq!(relisted.len(), 1200, "workload-0002 is gone");

    // The watch request itself answered 410 (the first one from here): a relist again.
    let lists = watch.stats().lists;
    env.sim
        .set_faults(faults("expired,path=watch=true,rate=0.2"));
    env.sim.drop_watches();
    request(&env, "4.2.4");
    let gone = "the watch request was answered 410 Gone";
    let read = read_until(&mut watch, "workload-0001", "4.2.4", &kept, gone).await;
    assert!(read.kinds.contains(&"Relisting"), "{read:?}");
    assert!(watch.stats().lists > lists);

    // A relist (made by a 410 again, or by the failures in a row) that breaks after its first
    // page (the first page request with a continue token from here is dropped: rate 0.2 hits
    // the 1st, 6th …) starts over, and says so.
    env.sim.set_faults(vec![
        Fault::parse("drop,path=continue=,rate=0.2").unwrap(),
        Fault::parse("expired-event,path=watch=true,rate=0.2").unwrap(),
    ]);
    env.sim.drop_watches();
    request(&env, "4.2.5");
    let broken = "closed the connection before answering list";
    let read = read_until(&mut watch, "workload-0001", "4.2.5", &kept, broken).await;
    let restarted = read
        .kinds
        .windows(3)
        .any(|w| w == ["Relisting", "Relisted", "Relisting"]);
    assert!(restarted, "{read:?}");
    assert_eq!(
        read.relisted.map(|names| names.len()),
        Some(1200),
        "{:?}",
        read.kinds
    );
    env.sim.set_faults(Vec::new());

    // Requests: pages of LISTs and watches of the collection, never one per cluster; each
    // LIST three pages (the broken one two).
    let requests = cvsh_requests(&env);
    assert!(
        requests
            .iter()
            .all(|line| line.contains("/clusterversionshadows?")),
        "{requests:#?}"
    );
    let firsts = requests
        .iter()
        .filter(|line| !is_watch(line) && !line.contains("continue="))
        .count();
    let pages = requests.iter().filter(|line| !is_watch(line)).count();
    assert_eq!(firsts as u32, watch.stats().lists, "{requests:#?}");
    assert_eq!(pages, firsts * 3 - 1, "{requests:#?}");
    assert!(
        requests
            .iter()
            .filter(|line| is_watch(line))
            .all(|line| line.contains("allowWatchBookmarks=true")),
        "{requests:#?}"
    );
    let watches = requests.iter().filter(|line| is_watch(line)).count();
    assert_eq!(watches as u32, watch.stats().watches, "{requests:#?}");
    assert!(watches <= 12, "{watches} watches: {requests:#?}");
}
