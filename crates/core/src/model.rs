//! The entities Portcullis stores.

use chrono::{DateTime, Utc};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub created: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub account: String,
    pub id: String,
    pub name: String,
    pub path: String,
    pub created: DateTime<Utc>,
    pub password_last_used: Option<DateTime<Utc>>,
    pub permissions_boundary: Option<String>,
}

impl User {
    pub fn arn(&self) -> String {
        crate::arn::user(&self.account, &self.path, &self.name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub account: String,
    pub id: String,
    pub name: String,
    pub path: String,
    pub created: DateTime<Utc>,
}

impl Group {
    pub fn arn(&self) -> String {
        crate::arn::entity(&self.account, "group", &self.path, &self.name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub account: String,
    pub id: String,
    pub name: String,
    pub path: String,
    pub created: DateTime<Utc>,
    /// The trust policy, as submitted.
    pub assume_role_policy: String,
    pub description: Option<String>,
    pub max_session_duration: i64,
    pub permissions_boundary: Option<String>,
    /// When and in which region the role was last assumed.
    pub last_used: Option<(DateTime<Utc>, String)>,
}

impl Role {
    pub fn arn(&self) -> String {
        crate::arn::entity(&self.account, "role", &self.path, &self.name)
    }
}

/// Changes to a role; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleUpdate {
    pub description: Option<String>,
    pub max_session_duration: Option<i64>,
    pub assume_role_policy: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStatus {
    Active,
    Inactive,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "Active",
            KeyStatus::Inactive => "Inactive",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "Active" => Some(KeyStatus::Active),
            "Inactive" => Some(KeyStatus::Inactive),
            _ => None,
        }
    }
}

/// Where and when a key was last used (first use in each 15-minute window is recorded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastUsed {
    pub at: DateTime<Utc>,
    pub service: String,
    pub region: String,
}

/// A long-term access key. The secret is stored sealed under the master key, with the key id
/// as associated data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessKey {
    pub id: String,
    pub account: String,
    /// `None` for the account's root user.
    pub user_id: Option<String>,
    pub status: KeyStatus,
    pub sealed_secret: Vec<u8>,
    pub created: DateTime<Utc>,
    pub last_used: Option<LastUsed>,
}

/// A customer managed policy (AWS managed policies are built into the server).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedPolicy {
    /// Account id, or `aws` for AWS managed policies.
    pub account: String,
    pub id: String,
    pub name: String,
    pub path: String,
    pub description: Option<String>,
    pub default_version: String,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

impl ManagedPolicy {
    pub fn arn(&self) -> String {
        crate::arn::entity(&self.account, "policy", &self.path, &self.name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyVersion {
    pub version_id: String,
    pub document: String,
    pub is_default: bool,
    pub created: DateTime<Utc>,
}

/// Who a managed policy is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerKind {
    User,
    Group,
    Role,
}

impl OwnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::User => "user",
            OwnerKind::Group => "group",
            OwnerKind::Role => "role",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "user" => Some(OwnerKind::User),
            "group" => Some(OwnerKind::Group),
            "role" => Some(OwnerKind::Role),
            _ => None,
        }
    }
}

/// An instance profile: a container for (at most one) role that EC2 hands to instances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceProfile {
    pub account: String,
    pub id: String,
    pub name: String,
    pub path: String,
    pub created: DateTime<Utc>,
}

impl InstanceProfile {
    pub fn arn(&self) -> String {
        crate::arn::entity(&self.account, "instance-profile", &self.path, &self.name)
    }
}

/// An IAM OpenID Connect identity provider, addressed by its ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcProvider {
    pub account: String,
    /// The issuer URL without its `https://` scheme (`host[/path]`), as GetOpenIDConnectProvider
    /// shows it and as the ARN ends.
    pub url: String,
    /// Audiences (`aud` values) accepted in tokens, in the order they were added.
    pub client_ids: Vec<String>,
    /// Lowercase 40-character hex SHA-1 fingerprints of the IdP's certificates (may be empty).
    pub thumbprints: Vec<String>,
    pub created: DateTime<Utc>,
}

impl OidcProvider {
    pub fn arn(&self) -> String {
        crate::arn::oidc_provider(&self.account, &self.url)
    }

    /// The issuer a token's `iss` claim must equal: `https://` and the URL.
    pub fn issuer(&self) -> String {
        format!("https://{}", self.url)
    }
}

/// An IAM SAML 2.0 identity provider, addressed by its ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SamlProvider {
    pub account: String,
    pub name: String,
    /// AWS's SAMLProviderUUID.
    pub uuid: String,
    /// The metadata document, as submitted.
    pub metadata: String,
    pub created: DateTime<Utc>,
    /// The metadata's `validUntil`, or AWS's default when it has none.
    pub valid_until: DateTime<Utc>,
}

/// A private key that decrypts a SAML provider's encrypted assertions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SamlPrivateKey {
    /// AWS's KeyId: 22 to 64 characters `[A-Z0-9]`.
    pub id: String,
    pub uploaded: DateTime<Utc>,
    /// The PEM key sealed with the master key (the key id is the associated data).
    pub sealed: Vec<u8>,
}

/// The assertion encryption and identity propagation settings of a SAML provider.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SamlSettings {
    /// `Required` or `Allowed`; `None` until set.
    pub encryption_mode: Option<String>,
    /// Oldest first.
    pub private_keys: Vec<SamlPrivateKey>,
    pub propagation: crate::reports::IdentityPropagation,
}

impl SamlProvider {
    pub fn arn(&self) -> String {
        crate::arn::saml_provider(&self.account, &self.name)
    }
}
