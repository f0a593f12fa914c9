//! Every operation of both models, signed by root, with no parameters, with plausible values
//! for every parameter its model lists, with values at and past the model's limits, and with
//! hostile text: each answer is a well-formed success or AWS error document with a status
//! below 500, and the server keeps answering.

use crate::common::Server;
use crate::raw::{Signing, send, signed_post};
use portcullis_proto::ops::ParamKind;
use portcullis_proto::{OpInfo, Operation};

fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// How the values of one request are chosen.
#[derive(Clone, Copy, Debug)]
enum Fill {
    Nothing,
    Plausible,
    AtMaximum,
    PastMaximum,
    Hostile,
}

fn text_of_length(n: usize) -> String {
    "sweep-value-".chars().cycle().take(n).collect()
}

/// The model's maximum length; 0 means none, and then 70,000 characters stand in for long text.
fn longest(max: usize) -> usize {
    if max == 0 { 70_000 } else { max.min(70_000) }
}

fn value(kind: &ParamKind, fill: Fill) -> String {
    match (kind, fill) {
        (ParamKind::Str { enums, .. }, Fill::Plausible | Fill::AtMaximum) if !enums.is_empty() => {
            enums[0].to_string()
        }
        (ParamKind::Str { min, max, .. }, Fill::Plausible) => {
            text_of_length(12.clamp(*min, longest(*max)))
        }
        (ParamKind::Str { max, .. }, Fill::AtMaximum) => text_of_length(longest(*max)),
        (ParamKind::Str { max, .. }, Fill::PastMaximum) => text_of_length(longest(*max) + 1),
        (ParamKind::Int { min, .. }, Fill::Plausible) => min.to_string(),
        (ParamKind::Int { max, .. }, Fill::AtMaximum) => max.to_string(),
        (ParamKind::Int { max, .. }, Fill::PastMaximum) => max.saturating_add(1).to_string(),
        (ParamKind::Bool, Fill::Plausible | Fill::AtMaximum) => "true".into(),
        (ParamKind::Timestamp, Fill::Plausible | Fill::AtMaximum) => "2026-01-01T00:00:00Z".into(),
        _ => "\u{0}{\"Version\":[}<x>&amp;%ZZ\u{202e}\u{1F512}../../".into(),
    }
}

fn body(info: &OpInfo, fill: Fill) -> String {
    let mut body = format!("Action={}&Version={}", info.name, info.service.version());
    if matches!(fill, Fill::Nothing) {
        return body;
    }
    for p in info.params {
        let v = enc(&value(&p.kind, fill));
        match p.kind {
            ParamKind::List { .. } => {
                body.push_str(&format!("&{}.member.1={v}", p.name));
                body.push_str(&format!("&{}.member.1.Key={v}", p.name));
                body.push_str(&format!("&{}.member.1.Value={v}", p.name));
            }
            ParamKind::Nested => {
                body.push_str(&format!(
                    "&{}.entry.1.key={v}&{}.entry.1.value={v}",
                    p.name, p.name
                ));
            }
            _ => body.push_str(&format!("&{}={v}", p.name)),
        }
    }
    body
}

#[tokio::test]
async fn every_operation_answers_every_kind_of_input_without_a_server_error() {
    let s = Server::dev();
    let mut answered = 0;
    let mut failures = Vec::new();
    let fills = [
        Fill::Nothing,
        Fill::Plausible,
        Fill::AtMaximum,
        Fill::PastMaximum,
        Fill::Hostile,
    ];
    for op in Operation::all() {
        let info = op.info();
        for fill in fills {
            let form = body(info, fill);
            let r = send(
                &s.addr,
                &signed_post(
                    &s.addr,
                    form.as_bytes(),
                    &Signing::root(info.service.prefix()),
                ),
            );
            let ok = r.body.contains(&format!("<{}Response ", info.name));
            let err = r.body.contains("<ErrorResponse ") && !r.code().is_empty();
            // Operations not built yet answer 501 NotImplemented (once their input is valid),
            // and no other operation does.
            if not_built_yet(info.name) {
                if !(r.status == 501 && r.code() == "NotImplemented"
                    || (400..500).contains(&r.status) && err)
                {
                    failures.push(format!(
                        "{} with {fill:?} input: HTTP {}: {}",
                        info.name, r.status, r.body
                    ));
                }
                answered += 1;
                continue;
            }
            if !(200..500).contains(&r.status)
                || !(ok || err)
                || r.code() == "NotImplemented"
                || r.code() == "InternalFailure"
            {
                failures.push(format!(
                    "{} with {fill:?} input: HTTP {}: {}",
                    info.name, r.status, r.body
                ));
            }
            answered += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(answered, Operation::all().count() * fills.len());
    // Still serving after all of it.
    s.root_iam().list_users().send().await.unwrap();
}

/// The operations the README lists as not implemented yet: the workload identity family and
/// organization-level resources.
fn not_built_yet(name: &str) -> bool {
    name.contains("WorkloadIdentity")
        || matches!(
            name,
            "GetCertificate"
                | "GetTrustBundles"
                | "EnableOrganizationLevelResources"
                | "DisableOrganizationLevelResources"
        )
}
