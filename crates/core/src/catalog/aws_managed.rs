//! The AWS managed policies: AWS's whole catalogue (every name, path, default version, dates and
//! document, from `data/aws-managed-policies.json.gz`, made by `tools/gen_catalog.py` from a
//! public copy of AWS's data) under `arn:aws:iam::aws:policy/`, readable, attachable and
//! enforced in every account. The catalogue is inflated and indexed on first use, so a server
//! that never touches it pays nothing at start-up or in idle memory.

use crate::ManagedPolicy;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

/// A built-in policy and its default version's document.
#[derive(Debug)]
pub struct Builtin {
    pub policy: ManagedPolicy,
    pub document: String,
}

static DATA: &[u8] = include_bytes!("../../data/aws-managed-policies.json.gz");

/// One policy as the data file holds it.
#[derive(serde::Deserialize)]
struct Raw {
    name: String,
    path: String,
    version: String,
    created: String,
    updated: String,
    document: String,
}

fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// AWS's descriptions of the policies IAM tooling looks at most (the data file has none).
const DESCRIPTIONS: &[(&str, &str)] = &[
    (
        "AdministratorAccess",
        "Provides full access to AWS services and resources.",
    ),
    (
        "PowerUserAccess",
        "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
    ),
    (
        "ReadOnlyAccess",
        "Provides read-only access to AWS services and resources.",
    ),
    (
        "IAMFullAccess",
        "Provides full access to IAM via the AWS Management Console.",
    ),
    (
        "IAMReadOnlyAccess",
        "Provides read only access to IAM via the AWS Management Console.",
    ),
    (
        "IAMUserChangePassword",
        "Provides the ability for an IAM user to change their own password.",
    ),
    (
        "SecurityAudit",
        "The security audit template grants access to read security configuration metadata.",
    ),
    (
        "AWSSupportAccess",
        "Allows users to access the AWS Support Center.",
    ),
];

fn load() -> Vec<Builtin> {
    let mut text = Vec::new();
    let raw: Vec<Raw> = flate2::read::GzDecoder::new(DATA)
        .read_to_end(&mut text)
        .ok()
        .and_then(|_| serde_json::from_slice(&text).ok())
        .unwrap_or_default();
    raw.into_iter()
        .map(|r| Builtin {
            policy: ManagedPolicy {
                account: "aws".into(),
                id: stable_id(&r.name),
                description: DESCRIPTIONS
                    .iter()
                    .find(|(n, _)| *n == r.name)
                    .map(|(_, d)| (*d).to_string()),
                name: r.name,
                path: r.path,
                default_version: r.version,
                created: time(&r.created),
                updated: time(&r.updated),
            },
            document: r.document,
        })
        .collect()
}

/// A stable 21-character `ANPA...` id derived from the name (FNV-1a, base32).
fn stable_id(name: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in name.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013B);
    }
    let mut id = String::from("ANPA");
    for i in 0..17 {
        id.push(char::from(ALPHABET[((h >> (i * 5)) & 31) as usize]));
    }
    id
}

/// Every AWS managed policy, by name.
pub fn all() -> &'static [Builtin] {
    static ALL: OnceLock<Vec<Builtin>> = OnceLock::new();
    ALL.get_or_init(load)
}

/// The AWS managed policy an ARN names.
pub fn find(arn: &str) -> Option<&'static Builtin> {
    static INDEX: OnceLock<HashMap<String, usize>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        all()
            .iter()
            .enumerate()
            .map(|(i, b)| (b.policy.arn(), i))
            .collect()
    });
    index.get(arn).and_then(|&i| all().get(i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use portcullis_policy::{Policy, PolicyKind};

    #[test]
    fn the_whole_catalogue_loads_parses_and_has_stable_unique_ids() {
        let all = all();
        assert!(all.len() > 1000, "{} policies", all.len());
        let mut ids = std::collections::HashSet::new();
        let mut refused = Vec::new();
        for b in all {
            if let Err(e) = Policy::parse(&b.document, PolicyKind::Identity) {
                refused.push(format!("{}: {e}", b.policy.name));
            }
            assert_eq!(b.policy.id.len(), 21);
            assert!(ids.insert(b.policy.id.clone()), "{}", b.policy.name);
        }
        assert!(
            refused.is_empty(),
            "{} refused: {refused:#?}",
            refused.len()
        );
        let lambda =
            find("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole").map(|b| {
                (
                    b.policy.path.as_str(),
                    b.document.contains("logs:PutLogEvents"),
                )
            });
        assert_eq!(lambda, Some(("/service-role/", true)));
        assert_eq!(
            find("arn:aws:iam::aws:policy/AdministratorAccess")
                .map(|b| b.policy.description.is_some()),
            Some(true)
        );
        assert!(find("arn:aws:iam::aws:policy/NoSuchPolicy").is_none());
        assert_eq!(stable_id("x"), stable_id("x"));
    }
}
