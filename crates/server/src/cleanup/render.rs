//! How `portcullis cleanup` shows findings and plans: an aligned table, or JSON (`--json`).

use chrono::{DateTime, Utc};
use portcullis_core::clock::iso8601;
use portcullis_core::findings::Finding;
use portcullis_core::findings::cleanup::{Kept, Plan, Step};
use serde_json::{Value, json};

/// What became of a step that was carried out.
#[derive(Debug)]
pub enum Done {
    Ok(Option<String>),
    Failed(String),
}

fn finding_json(f: &Finding) -> Value {
    json!({
        "kind": f.kind.as_str(),
        "principalType": f.principal_kind.as_str(),
        "principal": f.principal,
        "arn": f.arn,
        "resource": f.resource,
        "services": f.services,
        "lastUsed": f.last_used.map(iso8601),
        "days": f.days,
    })
}

fn step_json(s: &Step, done: Option<&Done>) -> Value {
    let mut v = json!({
        "action": s.action.name(),
        "user": s.user,
        "accessKeyId": s.action.key_id(),
        "reason": s.reason,
    });
    match done {
        Some(Done::Ok(note)) => {
            v["result"] = json!("done");
            if let Some(n) = note {
                v["note"] = json!(n);
            }
        }
        Some(Done::Failed(e)) => {
            v["result"] = json!("failed");
            v["error"] = json!(e);
        }
        None => {}
    }
    v
}

fn kept_json(k: &Kept) -> Value {
    json!({"principal": k.principal, "what": k.what, "reason": k.reason})
}

/// The whole report as JSON; `done` has one entry per step once they were carried out.
pub fn json(now: DateTime<Utc>, findings: &[Finding], plan: &Plan, done: &[Done]) -> String {
    let steps: Vec<Value> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| step_json(s, done.get(i)))
        .collect();
    let out = json!({
        "asOf": iso8601(now),
        "findings": findings.iter().map(finding_json).collect::<Vec<_>>(),
        "steps": steps,
        "kept": plan.kept.iter().map(kept_json).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&out).unwrap_or_default()
}

/// Rows as columns padded to the widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let text: Vec<String> = cells
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(text.join("  ").trim_end());
        out.push('\n');
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

/// The report as tables: findings, then the steps (with their results), then what is kept.
pub fn text(findings: &[Finding], plan: &Plan, done: &[Done]) -> String {
    let mut out = String::new();
    let rows: Vec<Vec<String>> = findings
        .iter()
        .map(|f| {
            vec![
                f.kind.as_str().to_string(),
                format!("{} {}", f.principal_kind.as_str(), f.principal),
                f.resource.clone().unwrap_or_default(),
                f.last_used.map(iso8601).unwrap_or_else(|| "never".into()),
                f.days.to_string(),
            ]
        })
        .collect();
    out.push_str(&format!("Findings ({}):\n", rows.len()));
    out.push_str(&table(
        &["FINDING", "PRINCIPAL", "RESOURCE", "LAST USED", "DAYS"],
        &rows,
    ));
    let rows: Vec<Vec<String>> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut row = vec![
                s.action.name().to_string(),
                s.user.clone(),
                s.action.key_id().unwrap_or("").to_string(),
                s.reason.clone(),
            ];
            match done.get(i) {
                Some(Done::Ok(note)) => row.push(match note {
                    Some(n) => format!("done: {n}"),
                    None => "done".into(),
                }),
                Some(Done::Failed(e)) => row.push(format!("FAILED: {e}")),
                None => {}
            }
            row
        })
        .collect();
    out.push_str(&format!("\nSteps ({}):\n", rows.len()));
    let mut header = vec!["ACTION", "USER", "ACCESS KEY", "WHY"];
    if !done.is_empty() {
        header.push("RESULT");
    }
    out.push_str(&table(&header, &rows));
    let rows: Vec<Vec<String>> = plan
        .kept
        .iter()
        .map(|k| vec![k.principal.clone(), k.what.clone(), k.reason.clone()])
        .collect();
    out.push_str(&format!("\nLeft alone ({}):\n", rows.len()));
    out.push_str(&table(&["PRINCIPAL", "WHAT", "WHY"], &rows));
    out
}
