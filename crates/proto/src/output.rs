//! Typed outputs: each operation's result as the struct `output/generated.rs` declares for it from AWS's
//! models (`CreateUserOutput { user: User }`), which the handler fills and this module writes into
//! the inner XML of `<{Op}Result>`. Members are written in the model's order; optional members
//! (`Option`) only when present; lists as `<Name><member>..</member></Name>` (`<Name/>` when
//! empty); maps as `<entry><key>..</key><value>..</value></entry>`; timestamps in IAM's ISO 8601
//! form; blobs in base64; policy documents RFC 3986-encoded, as IAM answers them.
//!
//! [`Reply`] ties an output to its operation by the operation's number, so the route table only
//! compiles when each handler returns its own operation's output (or `()` for an operation AWS
//! answers without a result).

use crate::xml::{XmlWriter, encode_policy_document};
use base64::Engine;
use portcullis_core::Secret;

mod generated;

pub use generated::*;

/// A timestamp member (`dateType`).
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// Binary data, written in base64 (the credential report, a virtual MFA device's seed and QR code).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Blob(pub Vec<u8>);

impl std::fmt::Debug for Blob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

/// A policy document (`policyDocumentType`), written RFC 3986-encoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyDocument(pub String);

/// A map member, in the order given.
#[derive(Clone, Debug, Default)]
pub struct Entries<V>(pub Vec<(String, V)>);

/// A value that can be written as the element `name`.
pub trait Member {
    fn write(&self, name: &str, w: &mut XmlWriter);
}

impl Member for String {
    fn write(&self, name: &str, w: &mut XmlWriter) {
        w.elem(name, self);
    }
}

impl Member for Secret {
    fn write(&self, name: &str, w: &mut XmlWriter) {
        w.elem(name, self.expose());
    }
}

impl Member for i64 {
    fn write(&self, name: &str, w: &mut XmlWriter) {
        w.num(name, *self);
    }
}

impl Member for bool {
    fn write(&self, name: &str, w: &mut XmlWriter) {
        w.bool(name, *self);
    }
}

impl Member for Timestamp {
    fn write(&self, name: &str, w: &mut XmlWriter) {
        w.elem(name, &portcullis_core::clock::iso8601(*self));
    }
}

impl Member for Blob {
    fn write(&self, name: &str, w: &mut XmlWriter) {
        w.elem(
            name,
            &base64::engine::general_purpose::STANDARD.encode(&self.0),
        );
    }
}

impl Member for PolicyDocument {
    fn write(&self, name: &str, w: &mut XmlWriter) {
        w.elem(name, &encode_policy_document(&self.0));
    }
}

impl<T: Member> Member for Option<T> {
    fn write(&self, name: &str, w: &mut XmlWriter) {
        if let Some(v) = self {
            v.write(name, w);
        }
    }
}

impl<T: Member> Member for Vec<T> {
    fn write(&self, name: &str, w: &mut XmlWriter) {
        if self.is_empty() {
            w.empty(name);
            return;
        }
        w.open(name);
        for item in self {
            item.write("member", w);
        }
        w.close(name);
    }
}

impl<V: Member> Member for Entries<V> {
    fn write(&self, name: &str, w: &mut XmlWriter) {
        w.list_of(name, "entry", &self.0, |w, (key, value)| {
            w.elem("key", key);
            value.write("value", w);
        });
    }
}

/// A handler's result for the operation numbered `OP` (`Operation::X as u16`): its typed
/// output, or `()` for an operation whose answer has no members.
pub trait Reply<const OP: u16> {
    /// The inner XML of `<{Op}Result>`.
    fn into_xml(self) -> String;
}

/// A handler that always refuses (an operation no account served here can use): it never has an
/// output, so it fits every operation's row.
impl<const OP: u16> Reply<OP> for std::convert::Infallible {
    fn into_xml(self) -> String {
        match self {}
    }
}

/// Declares the structures outputs use: one line per member, in the model's order.
macro_rules! shapes {
    ($($shape:ident { $($field:ident: $ty:ty = $wire:literal,)* })*) => {$(
        #[derive(Clone, Debug, Default)]
        pub struct $shape { $(pub $field: $ty,)* }

        impl $crate::output::Member for $shape {
            fn write(&self, name: &str, w: &mut $crate::xml::XmlWriter) {
                w.open(name);
                $($crate::output::Member::write(&self.$field, $wire, w);)*
                w.close(name);
            }
        }
    )*};
}

/// Declares each operation's output and ties it to the operation.
macro_rules! outputs {
    ($($op:ident => $out:ident { $($field:ident: $ty:ty = $wire:literal,)* })*) => {$(
        #[derive(Clone, Debug, Default)]
        pub struct $out { $(pub $field: $ty,)* }

        impl $crate::output::Reply<{ $crate::Operation::$op as u16 }> for $out {
            fn into_xml(self) -> String {
                let mut w = $crate::xml::XmlWriter::new();
                $($crate::output::Member::write(&self.$field, $wire, &mut w);)*
                w.finish()
            }
        }
    )*};
}

/// Operations AWS answers without result members: their handlers return `()`.
macro_rules! empty_outputs {
    ($($op:ident,)*) => {$(
        impl $crate::output::Reply<{ $crate::Operation::$op as u16 }> for () {
            fn into_xml(self) -> String {
                String::new()
            }
        }
    )*};
}

pub(crate) use {empty_outputs, outputs, shapes};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Operation;

    fn xml<const OP: u16>(r: impl Reply<OP>) -> String {
        r.into_xml()
    }

    #[test]
    fn writes_members_in_model_order_and_skips_absent_ones() {
        let created = chrono::DateTime::from_timestamp(1_700_000_005, 0).unwrap_or_default();
        let out = CreateUserOutput {
            user: Some(User {
                path: Some("/".into()),
                user_name: Some("a&b".into()),
                user_id: "AIDA1".into(),
                arn: "arn:aws:iam::1:user/a&b".into(),
                create_date: created,
                tags: Some(vec![]),
                ..Default::default()
            }),
        };
        assert_eq!(
            xml::<{ Operation::CreateUser as u16 }>(out),
            "<User><Path>/</Path><UserName>a&amp;b</UserName><UserId>AIDA1</UserId>\
             <Arn>arn:aws:iam::1:user/a&amp;b</Arn><CreateDate>2023-11-14T22:13:25Z</CreateDate>\
             <Tags/></User>"
        );
    }

    #[test]
    fn lists_maps_blobs_documents_and_secrets() {
        let summary = GetAccountSummaryOutput {
            summary_map: Some(Entries(vec![("Users".into(), 3), ("Groups".into(), 0)])),
        };
        assert_eq!(
            xml::<{ Operation::GetAccountSummary as u16 }>(summary),
            "<SummaryMap><entry><key>Users</key><value>3</value></entry>\
             <entry><key>Groups</key><value>0</value></entry></SummaryMap>"
        );
        let policy = GetUserPolicyOutput {
            user_name: "u".into(),
            policy_name: "p".into(),
            policy_document: PolicyDocument(r#"{"a": 1}"#.into()),
        };
        assert_eq!(
            xml::<{ Operation::GetUserPolicy as u16 }>(policy),
            "<UserName>u</UserName><PolicyName>p</PolicyName>\
             <PolicyDocument>%7B%22a%22%3A%201%7D</PolicyDocument>"
        );
        let report = GetCredentialReportOutput {
            content: Some(Blob(b"user,arn".to_vec())),
            ..Default::default()
        };
        assert_eq!(
            xml::<{ Operation::GetCredentialReport as u16 }>(report),
            "<Content>dXNlcixhcm4=</Content>"
        );
        let key = AccessKey {
            secret_access_key: Secret::new("s3cr3t"),
            ..Default::default()
        };
        assert!(!format!("{key:?}").contains("s3cr3t"));
        let mut w = XmlWriter::new();
        key.write("AccessKey", &mut w);
        assert!(
            w.finish()
                .contains("<SecretAccessKey>s3cr3t</SecretAccessKey>")
        );
        let tags = ListUserTagsOutput {
            tags: vec![Tag {
                key: "k".into(),
                value: "v".into(),
            }],
            is_truncated: Some(true),
            marker: Some("m".into()),
        };
        assert_eq!(
            xml::<{ Operation::ListUserTags as u16 }>(tags),
            "<Tags><member><Key>k</Key><Value>v</Value></member></Tags>\
             <IsTruncated>true</IsTruncated><Marker>m</Marker>"
        );
        let names = ListAccountAliasesOutput {
            account_aliases: vec!["a".into(), "b".into()],
            ..Default::default()
        };
        assert_eq!(
            xml::<{ Operation::ListAccountAliases as u16 }>(names),
            "<AccountAliases><member>a</member><member>b</member></AccountAliases>"
        );
        let users = ListUsersOutput {
            users: vec![],
            is_truncated: Some(false),
            marker: None,
        };
        assert_eq!(
            xml::<{ Operation::ListUsers as u16 }>(users),
            "<Users/><IsTruncated>false</IsTruncated>"
        );
        assert_eq!(xml::<{ Operation::DeleteUser as u16 }>(()), "");
    }
}
