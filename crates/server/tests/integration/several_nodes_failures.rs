//! Several `serve` nodes on one PostgreSQL database when something fails (skipped, with a note,
//! without `PORTCULLIS_TEST_DATABASE_URL`): a node killed with SIGKILL during a write burst
//! loses no write it acknowledged; PostgreSQL stopped for 10 s under load (the test cluster of
//! `scripts/pg.sh`, stopped and started again with its `pg_control`; only when
//! `PORTCULLIS_TEST_PG_CONTROL` is set, as `scripts/test.sh` does when nothing else uses the
//! cluster) makes requests fail with a retryable 5xx within the pool's timeout, never allow what
//! was refused before, and the nodes recover without a restart.

use crate::common::{iam_client, user_with_key};
use crate::raw::{RawResponse, call_as};
use crate::several_nodes::Pair;
use portcullis_store::testing::database_url;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread")]
async fn a_node_killed_during_a_write_burst_loses_no_acknowledged_write() {
    let Some(url) = database_url() else { return };
    let p = Pair::start(&url);
    let root_b = p.root_iam(&p.b);
    let acked = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|t| {
            let (root_b, acked, stop) = (root_b.clone(), acked.clone(), stop.clone());
            tokio::spawn(async move {
                for i in 0..100_000 {
                    if stop.load(Ordering::Acquire) {
                        break;
                    }
                    let name = format!("burst-{t}-{i}");
                    if root_b.create_user().user_name(&name).send().await.is_ok() {
                        acked.lock().unwrap().push(name);
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    p.b.signal("KILL");
    stop.store(true, Ordering::Release);
    for w in writers {
        w.await.unwrap();
    }
    let root_a = p.root_iam(&p.a);
    let mut names = std::collections::HashSet::new();
    let mut pages = root_a.list_users().max_items(1000).into_paginator().send();
    while let Some(page) = pages.next().await {
        names.extend(
            page.unwrap()
                .users()
                .iter()
                .map(|u| u.user_name().to_string()),
        );
    }
    let acked = acked.lock().unwrap();
    eprintln!("kill -9: {} CreateUser acknowledged, all kept", acked.len());
    assert!(
        acked.len() >= 10,
        "only {} writes acknowledged",
        acked.len()
    );
    let missing: Vec<_> = acked.iter().filter(|n| !names.contains(*n)).collect();
    assert!(missing.is_empty(), "acknowledged, then lost: {missing:?}");
}

/// Stops or starts the test cluster with `scripts/pg.sh`'s `pg_control`.
fn pg_control(verb: &str) -> bool {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/pg.sh");
    std::process::Command::new("bash")
        .args(["-c", &format!("source '{script}' && pg_control {verb}")])
        .status()
        .is_ok_and(|s| s.success())
}

/// Starts the cluster again if the test stops before it did.
struct StartAgain(bool);

impl Drop for StartAgain {
    fn drop(&mut self) {
        if self.0 {
            pg_control("start");
        }
    }
}

/// One answer of node B under load.
struct Answer {
    alice: bool,
    sent: Instant,
    took: Duration,
    r: RawResponse,
}

/// GetUser on `node` as `who` (a user reading itself).
fn get_self(node: &crate::common::Server, who: &str, key: &(String, String)) -> RawResponse {
    call_as(
        node,
        "iam",
        (&key.0, &key.1),
        &[("Action", "GetUser"), ("UserName", who)],
    )
}

/// Waits up to `limit` for `f` to hold.
fn within(limit: Duration, mut f: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_stopped_under_load_fails_cleanly_and_nodes_recover_without_restart() {
    let Some(url) = database_url() else { return };
    if std::env::var_os("PORTCULLIS_TEST_PG_CONTROL").is_none() {
        eprintln!("PORTCULLIS_TEST_PG_CONTROL is not set: skipping the PostgreSQL outage");
        return;
    }
    let p = Pair::start(&url);
    let root = p.root_iam(&p.a);
    let alice = user_with_key(&root, "alice").await;
    let bob = user_with_key(&root, "bob").await;
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}"#;
    let policy = root
        .create_policy()
        .policy_name("get")
        .policy_document(doc)
        .send()
        .await
        .unwrap();
    let arn = policy.policy().unwrap().arn().unwrap().to_string();
    for user in ["alice", "bob"] {
        root.attach_user_policy()
            .user_name(user)
            .policy_arn(&arn)
            .send()
            .await
            .unwrap();
    }
    // Node B caches alice's grant, then learns that it was taken away.
    let allowed = |who: &str, key: &(String, String)| get_self(&p.b, who, key).status == 200;
    assert!(within(Duration::from_secs(5), || allowed("alice", &alice)).is_some());
    root.detach_user_policy()
        .user_name("alice")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    assert!(within(Duration::from_secs(1), || !allowed("alice", &alice)).is_some());
    // Load on node B: alice (refused) and bob (allowed) in turn.
    let answers = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let load = std::thread::scope(|s| {
        let load = s.spawn(|| {
            while !stop.load(Ordering::Acquire) {
                for (name, key) in [("alice", &alice), ("bob", &bob)] {
                    let sent = Instant::now();
                    let r = get_self(&p.b, name, key);
                    let took = sent.elapsed();
                    answers.lock().unwrap().push(Answer {
                        alice: name == "alice",
                        sent,
                        took,
                        r,
                    });
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        std::thread::sleep(Duration::from_millis(500));
        let mut guard = StartAgain(true);
        assert!(pg_control("stop"), "cannot stop the test cluster");
        let down = Instant::now();
        std::thread::sleep(Duration::from_secs(10));
        let up_at = Instant::now();
        assert!(pg_control("start"), "cannot start the test cluster");
        guard.0 = false;
        // Both nodes answer again by themselves.
        let recovered = within(Duration::from_secs(15), || {
            allowed("bob", &bob) && get_self(&p.a, "bob", &bob).status == 200
        });
        stop.store(true, Ordering::Release);
        load.join().unwrap();
        (down, up_at, recovered)
    });
    let (down, up_at, recovered) = load;
    let recovered = recovered.expect("the nodes did not answer again after PostgreSQL came back");
    let answers = std::mem::take(&mut *answers.lock().unwrap());
    let mut failed_cleanly = 0;
    for a in answers.iter() {
        let status = a.r.status;
        // Never an allow of what was refused, never a hang past the pool's timeout.
        assert!(
            !(a.alice && status == 200),
            "alice allowed at {:?}",
            a.sent - down
        );
        assert!(
            a.took < Duration::from_millis(4500),
            "a request took {:?} (status {status})",
            a.took
        );
        let during = a.sent > down + Duration::from_secs(1) && a.sent + a.took < up_at;
        if during {
            assert!(
                (500..=504).contains(&status),
                "answered {status} {} while PostgreSQL was down",
                a.r.code()
            );
            failed_cleanly += 1;
        } else {
            assert!(
                matches!(status, 200 | 403) || (500..=504).contains(&status),
                "answered {status}: {}",
                a.r.body
            );
        }
    }
    assert!(failed_cleanly > 0, "no request was made during the outage");
    // Node B follows the change log again: a grant made on A is enforced on B within a second.
    root.attach_user_policy()
        .user_name("alice")
        .policy_arn(&arn)
        .send()
        .await
        .unwrap();
    let seen = within(Duration::from_secs(1), || allowed("alice", &alice));
    assert!(
        seen.is_some(),
        "node B did not see the change after recovery"
    );
    let alice_b = iam_client(&p.b.endpoint(), &alice.0, &alice.1);
    alice_b.get_user().user_name("alice").send().await.unwrap();
    let slowest = answers.iter().map(|a| a.took).max().unwrap_or_default();
    eprintln!(
        "outage: {} answers, {failed_cleanly} of them 5xx during it, slowest {slowest:?}; answered again {recovered:?} after PostgreSQL was back",
        answers.len()
    );
}
