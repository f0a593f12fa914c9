//! The AWS managed policies Portcullis ships: the ones IAM tooling and CIS checks expect, under
//! `arn:aws:iam::aws:policy/`, attachable in every account. Documents follow AWS's where they
//! are about IAM and STS; policies that in AWS cover every service are cut to the services a
//! self-hosted IAM serves plus the common read-only families.

use crate::ManagedPolicy;
use chrono::{DateTime, TimeZone, Utc};
use std::sync::OnceLock;

/// A built-in policy and its one version's document.
#[derive(Debug)]
pub struct Builtin {
    pub policy: ManagedPolicy,
    pub document: &'static str,
}

const LIST: &[(&str, &str, &str)] = &[
    (
        "AdministratorAccess",
        "Provides full access to AWS services and resources.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    ),
    (
        "PowerUserAccess",
        "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},{"Effect":"Allow","Action":["account:GetAccountInformation","account:GetPrimaryEmail","account:ListRegions","iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization"],"Resource":"*"}]}"#,
    ),
    (
        "ReadOnlyAccess",
        "Provides read-only access to AWS services and resources.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Generate*","iam:Get*","iam:List*","iam:Simulate*","sts:GetAccessKeyInfo","sts:GetCallerIdentity","ec2:Describe*","s3:Get*","s3:List*","cloudtrail:Describe*","cloudtrail:Get*","cloudtrail:List*"],"Resource":"*"}]}"#,
    ),
    (
        "IAMFullAccess",
        "Provides full access to IAM via the AWS Management Console.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount","organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy","organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget","organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]}"#,
    ),
    (
        "IAMReadOnlyAccess",
        "Provides read only access to IAM via the AWS Management Console.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy"],"Resource":"*"}]}"#,
    ),
    (
        "IAMUserChangePassword",
        "Provides the ability for an IAM user to change their own password.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ChangePassword"],"Resource":["arn:aws:iam::*:user/${aws:username}"]},{"Effect":"Allow","Action":["iam:GetAccountPasswordPolicy"],"Resource":"*"}]}"#,
    ),
    (
        "SecurityAudit",
        "The security audit template grants access to read security configuration metadata.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy","sts:GetCallerIdentity","access-analyzer:List*","cloudtrail:Describe*","cloudtrail:Get*","cloudtrail:List*","config:Describe*","config:Get*","ec2:Describe*","s3:GetBucket*","s3:ListAllMyBuckets"],"Resource":"*"}]}"#,
    ),
    (
        "AWSSupportAccess",
        "Allows users to access the AWS Support Center.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["support:*"],"Resource":"*"}]}"#,
    ),
];

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

fn created() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2015, 2, 6, 18, 39, 46)
        .single()
        .unwrap_or_default()
}

pub fn all() -> &'static [Builtin] {
    static ALL: OnceLock<Vec<Builtin>> = OnceLock::new();
    ALL.get_or_init(|| {
        LIST.iter()
            .map(|(name, description, document)| Builtin {
                policy: ManagedPolicy {
                    account: "aws".into(),
                    id: stable_id(name),
                    name: (*name).into(),
                    path: "/".into(),
                    description: Some((*description).into()),
                    default_version: "v1".into(),
                    created: created(),
                    updated: created(),
                },
                document,
            })
            .collect()
    })
}

pub fn find(arn: &str) -> Option<&'static Builtin> {
    all().iter().find(|b| b.policy.arn() == arn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use portcullis_policy::{Policy, PolicyKind};

    #[test]
    fn builtins_parse_and_have_stable_unique_ids() {
        let mut ids = std::collections::HashSet::new();
        for b in all() {
            Policy::parse(b.document, PolicyKind::Identity)
                .unwrap_or_else(|e| panic!("{}: {e}", b.policy.name));
            assert_eq!(b.policy.id.len(), 21);
            assert!(ids.insert(b.policy.id.clone()));
        }
        assert_eq!(
            find("arn:aws:iam::aws:policy/AdministratorAccess").map(|b| b.policy.name.as_str()),
            Some("AdministratorAccess")
        );
        assert_eq!(stable_id("x"), stable_id("x"));
    }
}
