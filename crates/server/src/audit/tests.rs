//! Unit tests of the writer, the files and the verifier together (the chain and the signature
//! have their own tests in `chain.rs`): rotation, restarts clean and unclean, retention, a
//! failed write, and the verifier's verdict on changed, removed and reordered records.

use super::chain::{self, Signer};
use super::elements::HIDDEN;
use super::elements::request_parameters;
use super::files::{LogDir, log_files};
use super::sink::{self, Sink, Target};
use super::verify::{VerifyError, verify_dir};
use portcullis_core::Store;
use portcullis_proto::{Operation, Params, Service};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

fn start(dir: &Path, max: u64, retain_files: Option<usize>, key: &Path) -> Sink {
    let log = LogDir::new(dir.to_path_buf(), max, sink::retention(retain_files, None));
    Sink::start(
        Target::Files(log),
        Signer::open_or_create(key).unwrap(),
        None,
    )
    .unwrap()
}

fn start_with_store(dir: &Path, key: &Path, store: &Arc<dyn Store>) -> Sink {
    let log = LogDir::new(dir.to_path_buf(), 1 << 20, sink::retention(None, None));
    let signer = Signer::open_or_create(key).unwrap();
    Sink::start(Target::Files(log), signer, Some(store.clone())).unwrap()
}

/// A record as `finish` makes it, with its `eventID`.
fn event_with_id(id: &str, user: &str) -> String {
    chain::canonical(&json!({
        "eventID": id,
        "eventName": "CreateUser",
        "requestParameters": {"userName": user},
    }))
}

fn outbox(store: &Arc<dyn Store>, log_id: &str, id: &str, record: &str) {
    portcullis_core::store::write(&**store, |tx| Ok(tx.put_audit_record(log_id, id, record)?))
        .unwrap();
}

/// A record of a change goes into the store with the change and is synced later: the log then
/// removes it from the store. One the process died before writing is recovered at the next
/// start, once, marked as such; one that reached the log before the crash is not written twice.
#[test]
fn outbox_records_reach_the_log_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, key_path) = (tmp.path().join("log"), tmp.path().join("audit.key"));
    let store: Arc<dyn Store> = Arc::new(portcullis_store::SqliteStore::in_memory().unwrap());
    let s = start_with_store(&dir, &key_path, &store);
    let log_id = s.outbox_log().unwrap().to_string();
    // Written by the change's transaction, then sent without waiting.
    outbox(&store, &log_id, "e-sent", &event_with_id("e-sent", "sent"));
    assert!(
        s.send(
            event_with_id("e-sent", "sent"),
            false,
            Some("e-sent".into())
        )
        .is_none()
    );
    // Reached the log, but the process died before the outbox was cleared.
    outbox(
        &store,
        &log_id,
        "e-logged",
        &event_with_id("e-logged", "logged"),
    );
    s.send(event_with_id("e-logged", "logged"), true, None)
        .unwrap()
        .blocking_recv()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while store.pending_audit_records(&log_id).unwrap().len() != 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "the outbox was not cleared"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    s.crash();
    // Committed with its change; the process died before the log had it.
    outbox(&store, &log_id, "e-lost", &event_with_id("e-lost", "lost"));
    // Another node's log, on the same database: not this log's to recover.
    outbox(
        &store,
        "other-log",
        "e-other",
        &event_with_id("e-other", "other"),
    );

    let s = start_with_store(&dir, &key_path, &store);
    s.stop();
    assert!(store.pending_audit_records(&log_id).unwrap().is_empty());
    assert_eq!(store.pending_audit_records("other-log").unwrap().len(), 1);
    let records = all_records(&dir);
    let named =
        |id: &str| -> Vec<&Value> { records.iter().filter(|r| r["eventID"] == id).collect() };
    assert_eq!(named("e-sent").len(), 1);
    assert_eq!(named("e-logged").len(), 1, "not written twice");
    assert!(named("e-other").is_empty(), "another log's record");
    let lost = named("e-lost");
    assert_eq!(lost.len(), 1, "recovered from the outbox");
    assert_eq!(lost[0]["requestParameters"]["userName"], "lost");
    assert_eq!(lost[0]["additionalEventData"]["recoveredAtStart"], true);
    verify_dir(&dir, &key(tmp.path())).unwrap();
}

fn event(i: usize) -> String {
    chain::canonical(&json!({
        "eventName": "CreateUser",
        "requestParameters": {"userName": format!("user-{i}")},
    }))
}

fn lines(dir: &Path) -> Vec<(std::path::PathBuf, Vec<String>)> {
    log_files(dir)
        .unwrap()
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text.lines().map(str::to_string).collect())
        })
        .collect()
}

fn all_records(dir: &Path) -> Vec<Value> {
    lines(dir)
        .into_iter()
        .flat_map(|(_, l)| l)
        .map(|l| serde_json::from_str(&l).unwrap())
        .collect()
}

fn key(dir: &Path) -> ed25519_dalek::VerifyingKey {
    let text = std::fs::read_to_string(dir.join("audit.pub")).unwrap();
    chain::parse_public_key(&text).unwrap()
}

/// Writes `n` records (every fifth durable) and stops cleanly.
fn write_log(dir: &Path, key_path: &Path, n: usize, max: u64, retain: Option<usize>) {
    let s = start(dir, max, retain, key_path);
    for i in 0..n {
        if let Some(ack) = s.send(event(i), i % 5 == 0, None) {
            assert!(ack.blocking_recv().unwrap());
        }
    }
    s.stop();
}

#[test]
fn rotated_log_verifies_and_restarts_continue_the_chain() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, keyp) = (tmp.path().join("audit"), tmp.path().join("audit.key"));
    write_log(&dir, &keyp, 60, 4096, None);
    let files = log_files(&dir).unwrap().len();
    assert!(files > 2, "expected rotation, got {files} files");
    let first = verify_dir(&dir, &key(tmp.path())).unwrap();
    // started + checkpoint + 60 + stopped + final checkpoint (+ timed checkpoints)
    assert!(first.records >= 64, "{first:?}");
    assert_eq!(first.unsigned_tail, 0);
    write_log(&dir, &keyp, 5, 4096, None);
    let records = all_records(&dir);
    let restarts: Vec<&Value> = records
        .iter()
        .filter(|r| r["eventName"] == "LoggingStarted")
        .collect();
    assert_eq!(restarts.len(), 2);
    assert_eq!(
        restarts[1]["additionalEventData"]["previousShutdown"],
        "clean"
    );
    let second = verify_dir(&dir, &key(tmp.path())).unwrap();
    assert_eq!(second.first_seq, 0);
    assert!(second.last_seq > first.last_seq);
}

#[test]
fn an_unclean_stop_is_reported_and_a_torn_line_cut_off() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, keyp) = (tmp.path().join("audit"), tmp.path().join("audit.key"));
    let s = start(&dir, 1 << 20, None, &keyp);
    for i in 0..3 {
        assert!(
            s.send(event(i), true, None)
                .unwrap()
                .blocking_recv()
                .unwrap()
        );
    }
    // The process dies: no "logging stopped", and half a line at the end.
    s.crash();
    let last = log_files(&dir).unwrap().pop().unwrap();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&last)
        .unwrap();
    std::io::Write::write_all(&mut f, b"{\"eventName\":\"Crea").unwrap();
    write_log(&dir, &keyp, 1, 1 << 20, None);
    let records = all_records(&dir);
    let restart = records
        .iter()
        .filter(|r| r["eventName"] == "LoggingStarted")
        .nth(1)
        .unwrap();
    assert_eq!(
        restart["additionalEventData"]["previousShutdown"],
        "unclean"
    );
    assert_eq!(restart["additionalEventData"]["truncatedBytes"], 18);
    verify_dir(&dir, &key(tmp.path())).unwrap();
}

fn tampered_line(err: VerifyError) -> (String, usize) {
    match err {
        VerifyError::Tampered { file, line, .. } => {
            (file.file_name().unwrap().to_string_lossy().into(), line)
        }
        other => panic!("expected tampering, got {other}"),
    }
}

#[test]
fn the_verifier_finds_changed_removed_and_reordered_records() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, keyp) = (tmp.path().join("audit"), tmp.path().join("audit.key"));
    write_log(&dir, &keyp, 30, 1 << 20, None);
    let pk = key(tmp.path());
    verify_dir(&dir, &pk).unwrap();
    let (path, original) = lines(&dir).pop().unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let check = |edited: Vec<String>| {
        std::fs::write(&path, edited.join("\n") + "\n").unwrap();
        let found = tampered_line(verify_dir(&dir, &pk).unwrap_err());
        std::fs::write(&path, original.join("\n") + "\n").unwrap();
        found
    };
    // Changed: a user name in record 10 (line 11).
    let mut changed = original.clone();
    changed[10] = changed[10].replace("user-", "mallory-");
    assert_eq!(check(changed), (name.clone(), 11));
    // Changed and re-hashed: the link of the next record breaks.
    let mut rehashed = original.clone();
    let mut rec: Value = serde_json::from_str(&rehashed[10]).unwrap();
    let link = rec
        .as_object_mut()
        .unwrap()
        .remove("portcullisChain")
        .unwrap();
    rec["requestParameters"]["userName"] = json!("mallory");
    let body = chain::canonical(&rec);
    let (seq, prev) = (
        link["seq"].as_u64().unwrap(),
        link["prev"].as_str().unwrap(),
    );
    let hash = chain::link_hash(seq, prev, &body);
    rehashed[10] = chain::chained_line(&body, seq, prev, &hash)
        .trim_end()
        .to_string();
    assert_eq!(check(rehashed), (name.clone(), 12));
    // Removed: record 10.
    let mut removed = original.clone();
    removed.remove(10);
    assert_eq!(check(removed), (name.clone(), 11));
    // Reordered: records 10 and 11 swapped.
    let mut reordered = original.clone();
    reordered.swap(10, 11);
    assert_eq!(check(reordered), (name.clone(), 11));
    verify_dir(&dir, &pk).unwrap();
}

#[test]
fn retention_is_recorded_and_removing_more_is_detected() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, keyp) = (tmp.path().join("audit"), tmp.path().join("audit.key"));
    write_log(&dir, &keyp, 80, 4096, Some(3));
    assert!(log_files(&dir).unwrap().len() <= 3);
    let records = all_records(&dir);
    assert!(records.iter().any(|r| r["eventName"] == "LogFilesRemoved"));
    let pk = key(tmp.path());
    let ok = verify_dir(&dir, &pk).unwrap();
    assert!(ok.first_seq > 0);
    // Someone removes one more of the oldest files.
    std::fs::remove_file(&log_files(&dir).unwrap()[0]).unwrap();
    let (_, line) = tampered_line(verify_dir(&dir, &pk).unwrap_err());
    assert_eq!(line, 1);
}

#[test]
fn a_failed_write_is_reported_then_retried() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, keyp) = (tmp.path().join("audit"), tmp.path().join("audit.key"));
    // Files of at most one batch: every write opens a new file.
    let s = start(&dir, 1, None, &keyp);
    assert!(
        s.send(event(0), true, None)
            .unwrap()
            .blocking_recv()
            .unwrap()
    );
    let aside = tmp.path().join("aside");
    std::fs::rename(&dir, &aside).unwrap();
    assert!(
        !s.send(event(1), true, None)
            .unwrap()
            .blocking_recv()
            .unwrap()
    );
    assert!(!s.healthy());
    std::fs::rename(&aside, &dir).unwrap();
    assert!(
        s.send(event(2), true, None)
            .unwrap()
            .blocking_recv()
            .unwrap()
    );
    assert!(s.healthy());
    s.stop();
    let names: Vec<String> = all_records(&dir)
        .iter()
        .filter_map(|r| {
            r["requestParameters"]["userName"]
                .as_str()
                .map(String::from)
        })
        .collect();
    // The record whose write failed is written with the next batch.
    assert_eq!(names, ["user-0", "user-1", "user-2"]);
    verify_dir(&dir, &key(tmp.path())).unwrap();
}

#[test]
fn request_parameters_hide_secrets_and_keep_structure() {
    let op = Operation::from_wire(Service::Iam, "CreateLoginProfile").unwrap();
    let params = Params::parse(
        b"Action=CreateLoginProfile&UserName=alice&Password=Sup3r%2Bsecret&PasswordResetRequired=true",
    )
    .unwrap();
    let (v, secrets) = request_parameters(Some(op), &params);
    assert_eq!(
        v,
        json!({"userName": "alice", "password": HIDDEN, "passwordResetRequired": true})
    );
    assert_eq!(secrets, ["Sup3r+secret"]);
    let op = Operation::from_wire(Service::Iam, "TagUser").unwrap();
    let params = Params::parse(
        b"UserName=bob&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1",
    )
    .unwrap();
    let (v, _) = request_parameters(Some(op), &params);
    assert_eq!(
        v,
        json!({"userName": "bob", "tags": [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]})
    );
    let op = Operation::from_wire(Service::Sts, "AssumeRole").unwrap();
    let params =
        Params::parse(b"RoleArn=arn&DurationSeconds=900&TokenCode=123456&SerialNumber=s").unwrap();
    let (v, secrets) = request_parameters(Some(op), &params);
    assert_eq!(v["tokenCode"], HIDDEN);
    assert_eq!(v["durationSeconds"], 900);
    assert_eq!(secrets, ["123456"]);
}
