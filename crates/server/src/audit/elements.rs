//! What a record says of the request and of its answer: `requestParameters` (the request's
//! members by CloudTrail's camelCase names, nested as the Query protocol flattens them, secret
//! members hidden) and `responseElements` (the few identifiers a change's answer names).

use portcullis_proto::ops::ParamKind;
use portcullis_proto::{Operation, Params};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// What CloudTrail writes in place of a secret.
pub const HIDDEN: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// Request members that are secret whatever the operation table says (compared ignoring case).
pub const SECRET_MEMBERS: &[&str] = &[
    "Password",
    "OldPassword",
    "NewPassword",
    "PrivateKey",
    "AddPrivateKey",
    "AuthenticationCode1",
    "AuthenticationCode2",
    "TokenCode",
    "SAMLAssertion",
    "WebIdentityToken",
    "TradeInToken",
    "SecretAccessKey",
    "SessionToken",
    "ServicePassword",
    "Base32StringSeed",
    "QRCodePNG",
    "SubjectToken",
    "ClientSecret",
];

/// True when the member `name` holds a secret.
pub fn is_secret(name: &str, table_sensitive: bool) -> bool {
    table_sensitive || SECRET_MEMBERS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// Result elements copied into `responseElements` of a change: identifiers only, never a
/// secret (the XML element names of AWS's output shapes).
const RESPONSE_ELEMENTS: &[&str] = &[
    "Arn",
    "UserName",
    "UserId",
    "GroupName",
    "GroupId",
    "RoleName",
    "RoleId",
    "PolicyName",
    "PolicyId",
    "InstanceProfileName",
    "InstanceProfileId",
    "AccessKeyId",
    "Status",
    "Expiration",
    "AssumedRoleId",
    "FederatedUserId",
    "SerialNumber",
    "ServerCertificateId",
    "CertificateId",
    "SSHPublicKeyId",
    "ServiceSpecificCredentialId",
    "OpenIDConnectProviderArn",
    "SAMLProviderArn",
    "VersionId",
    "DeletionTaskId",
    "SourceIdentity",
];

/// `requestParameters` (camelCase member names, as CloudTrail writes them) and the values of
/// the secret members it hides. `Action`, `Version` and SigV4's `X-Amz-*` are left out.
pub fn request_parameters(op: Option<Operation>, params: &Params) -> (Value, Vec<String>) {
    let table = op.map(|o| o.info().params).unwrap_or_default();
    let mut top: BTreeMap<&str, Tree> = BTreeMap::new();
    let mut secrets = Vec::new();
    for (key, value) in params.iter() {
        let mut segments = key.split('.');
        let head = segments.next().unwrap_or_default();
        if head == "Action" || head == "Version" || head.starts_with("X-Amz-") {
            continue;
        }
        let member = table.iter().find(|p| p.name == head);
        let rest: Vec<&str> = segments
            .filter(|s| *s != "member" && *s != "entry")
            .collect();
        let hidden = is_secret(head, member.is_some_and(|m| m.sensitive))
            || rest.iter().any(|s| is_secret(s, false));
        if hidden {
            secrets.push(value.to_string());
        }
        let leaf = if hidden {
            json!(HIDDEN)
        } else if rest.is_empty() {
            typed(value, member.map(|m| m.kind))
        } else {
            json!(value)
        };
        let slot = top.entry(head).or_insert_with(Tree::branch);
        slot.insert(&rest, leaf);
    }
    let mut out = Map::new();
    for (name, tree) in top {
        let wire = table
            .iter()
            .find(|p| p.name == name)
            .map_or_else(|| camel(name), |p| p.wire.to_string());
        out.insert(wire, tree.into_value());
    }
    (Value::Object(out), secrets)
}

fn typed(value: &str, kind: Option<ParamKind>) -> Value {
    match kind {
        Some(ParamKind::Int { .. }) => value
            .parse::<i64>()
            .map_or_else(|_| json!(value), |n| json!(n)),
        Some(ParamKind::Bool) => match value {
            "true" => json!(true),
            "false" => json!(false),
            _ => json!(value),
        },
        _ => json!(value),
    }
}

/// `UserName` -> `userName`.
fn camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Nested members (`Tags.member.1.Key`) gathered into objects and lists.
enum Tree {
    Leaf(Value),
    Branch(BTreeMap<String, Tree>),
}

impl Tree {
    fn branch() -> Self {
        Tree::Branch(BTreeMap::new())
    }

    fn insert(&mut self, path: &[&str], leaf: Value) {
        match path.split_first() {
            None => *self = Tree::Leaf(leaf),
            Some((first, rest)) => {
                if let Tree::Leaf(_) = self {
                    *self = Tree::branch();
                }
                if let Tree::Branch(children) = self {
                    children
                        .entry(camel(first))
                        .or_insert_with(Tree::branch)
                        .insert(rest, leaf);
                }
            }
        }
    }

    fn into_value(self) -> Value {
        match self {
            Tree::Leaf(v) => v,
            Tree::Branch(children) => {
                let numbered =
                    !children.is_empty() && children.keys().all(|k| k.parse::<u32>().is_ok());
                if numbered {
                    let mut items: Vec<(u32, Tree)> = children
                        .into_iter()
                        .map(|(k, t)| (k.parse::<u32>().unwrap_or(u32::MAX), t))
                        .collect();
                    items.sort_by_key(|(n, _)| *n);
                    Value::Array(items.into_iter().map(|(_, t)| t.into_value()).collect())
                } else {
                    Value::Object(
                        children
                            .into_iter()
                            .map(|(k, t)| (k, t.into_value()))
                            .collect(),
                    )
                }
            }
        }
    }
}

/// A few identifiers of a change's result (the created entity's ARN and ids), never secrets.
pub fn response_elements(xml: &str) -> Value {
    let mut out = Map::new();
    for name in RESPONSE_ELEMENTS {
        if let Some(text) = element_text(xml, name) {
            out.insert(camel(name), json!(unescape(text)));
        }
    }
    if out.is_empty() {
        Value::Null
    } else {
        Value::Object(out)
    }
}

/// The text of the first `<name>...</name>` in `xml` that holds no element.
fn element_text<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let len = xml[start..].find(&close)?;
    let text = &xml[start..start + len];
    (!text.contains('<')).then_some(text)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
