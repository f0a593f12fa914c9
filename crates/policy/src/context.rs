//! The request being authorized: who calls, which action on which resource,
//! and the condition keys (each a list of strings).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

use crate::matching::Arn;
use crate::values;

/// FNV-1a: condition keys are short and chosen by the server, so a fast
/// non-keyed hash is fine (and much cheaper than SipHash per lookup).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

pub(crate) type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// A case-folded condition key with its hash computed once (at compile time
/// for policies, when set for requests), so lookups hash nothing.
#[derive(Clone, Debug)]
pub(crate) struct Key {
    hash: u64,
    folded: String,
}

impl Key {
    /// The case-folded name.
    pub(crate) fn folded(&self) -> &str {
        &self.folded
    }

    pub(crate) fn new(name: &str) -> Key {
        let folded = name.to_lowercase();
        let mut h = Fnv::default();
        h.write(folded.as_bytes());
        Key {
            hash: h.finish(),
            folded,
        }
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.hash == other.hash && self.folded == other.folded
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// Passes a [`Key`]'s precomputed hash through.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// One request value read once as every type a condition operator may want,
/// so a decision never parses the same value twice.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Typed {
    pub(crate) boolean: Option<bool>,
    pub(crate) number: Option<f64>,
    /// Milliseconds since the epoch.
    pub(crate) date: Option<i64>,
    pub(crate) ip: Option<IpAddr>,
}

impl Typed {
    pub(crate) fn of(text: &str) -> Typed {
        let first = text.trim_start().bytes().next();
        let digit = first.is_some_and(|b| b.is_ascii_digit() || b == b'-' || b == b'+');
        let hexish = first.is_some_and(|b| b.is_ascii_hexdigit() || b == b':');
        Typed {
            boolean: values::parse_bool(text),
            number: if digit {
                values::parse_number(text)
            } else {
                None
            },
            date: if digit {
                values::parse_date(text)
            } else {
                None
            },
            ip: if hexish { values::parse_ip(text) } else { None },
        }
    }
}

/// The values of one key; each value's typed reading is computed the first
/// time a condition needs it, then kept for the rest of the decision (and any
/// later decision on the same context).
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    texts: Vec<String>,
    typed: Box<[OnceLock<Typed>]>,
}

impl Entry {
    fn new(texts: Vec<String>) -> Entry {
        let typed = texts.iter().map(|_| OnceLock::new()).collect();
        Entry { texts, typed }
    }
}

/// Who makes the request, as far as Principal elements care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// The account root user.
    Root {
        /// 12-digit account id.
        account: String,
    },
    /// An IAM user with long-term credentials.
    User {
        /// `arn:aws:iam::<acct>:user/<path><name>`.
        arn: String,
        /// 12-digit account id.
        account: String,
        /// The user's unique id (`AIDA...`), matched by stored trust policies.
        unique_id: Option<String>,
    },
    /// A session of an IAM role (`AssumeRole*`).
    RoleSession {
        /// `arn:aws:iam::<acct>:role/<path><name>`.
        role_arn: String,
        /// `arn:aws:sts::<acct>:assumed-role/<name>/<session>`.
        session_arn: String,
        /// 12-digit account id.
        account: String,
        /// The role's unique id (`AROA...`).
        role_unique_id: Option<String>,
    },
    /// A `GetFederationToken` session.
    FederatedUser {
        /// `arn:aws:sts::<acct>:federated-user/<name>`.
        arn: String,
        /// 12-digit account id.
        account: String,
    },
    /// An AWS service principal such as `ec2.amazonaws.com`.
    Service {
        /// The service principal name.
        name: String,
    },
    /// A web identity or SAML federation caller (`AssumeRoleWith...`),
    /// matched by `"Federated"` principals.
    Federated {
        /// `arn:aws:iam::<acct>:oidc-provider/...`, `...:saml-provider/...`,
        /// or a built-in provider such as `accounts.google.com`.
        provider: String,
    },
    /// An unsigned request.
    Anonymous,
}

impl Caller {
    /// The caller's account, when it has one.
    pub fn account(&self) -> Option<&str> {
        match self {
            Caller::Root { account }
            | Caller::User { account, .. }
            | Caller::RoleSession { account, .. }
            | Caller::FederatedUser { account, .. } => Some(account),
            Caller::Service { .. } | Caller::Federated { .. } | Caller::Anonymous => None,
        }
    }

    /// The ARN AWS shows in AccessDenied messages (`User: <arn> is not authorized ...`).
    pub fn display_arn(&self) -> String {
        match self {
            Caller::Root { account } => format!("arn:aws:iam::{account}:root"),
            Caller::User { arn, .. } | Caller::FederatedUser { arn, .. } => arn.clone(),
            Caller::RoleSession { session_arn, .. } => session_arn.clone(),
            Caller::Service { name } => name.clone(),
            Caller::Federated { provider } => provider.clone(),
            Caller::Anonymous => "anonymous".to_owned(),
        }
    }

    /// The value of `aws:PrincipalType`.
    pub fn principal_type(&self) -> &'static str {
        match self {
            Caller::Root { .. } => "Account",
            Caller::User { .. } => "User",
            Caller::RoleSession { .. } => "AssumedRole",
            Caller::FederatedUser { .. } => "FederatedUser",
            Caller::Service { .. } => "Service",
            Caller::Federated { .. } => "WebIdentityUser",
            Caller::Anonymous => "Anonymous",
        }
    }

    /// The value of `aws:PrincipalArn` (a role session gives its role's ARN).
    pub fn principal_arn(&self) -> Option<String> {
        match self {
            Caller::Root { account } => Some(format!("arn:aws:iam::{account}:root")),
            Caller::User { arn, .. } | Caller::FederatedUser { arn, .. } => Some(arn.clone()),
            Caller::RoleSession { role_arn, .. } => Some(role_arn.clone()),
            Caller::Service { .. } | Caller::Federated { .. } | Caller::Anonymous => None,
        }
    }
}

type KeyMap = HashMap<Key, Entry, BuildHasherDefault<KeyHasher>>;

/// Condition keys shared by many requests (a principal's own keys and tags, say), built once
/// and read by each request's context after its own keys.
#[derive(Debug, Default, PartialEq)]
pub struct SharedKeys {
    keys: KeyMap,
}

/// The request context: action, resource, caller and condition keys.
///
/// Condition keys are case-insensitive; each holds a list of values (a
/// single-valued key is a one-element list). A key with no values is absent.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestContext {
    /// Who calls (shared: one caller makes many requests).
    pub caller: Arc<Caller>,
    /// `service:Operation`, e.g. `iam:CreateUser` (matched case-insensitively).
    pub action: Cow<'static, str>,
    /// The resource ARN, or `*` for operations without a resource.
    pub resource: String,
    /// The account owning the resource; `None` means the account in the
    /// resource ARN, or the caller's account when the ARN has none.
    pub resource_account: Option<String>,
    keys: KeyMap,
    /// Keys set once for many requests; [`RequestContext::keys`] overrides them.
    shared: Option<Arc<SharedKeys>>,
}

fn key_of(name: &str) -> Key {
    Key::new(name)
}

impl RequestContext {
    /// A context with no condition keys.
    pub fn new(
        caller: impl Into<Arc<Caller>>,
        action: impl Into<Cow<'static, str>>,
        resource: impl Into<String>,
    ) -> Self {
        RequestContext {
            caller: caller.into(),
            action: action.into(),
            resource: resource.into(),
            resource_account: None,
            keys: HashMap::default(),
            shared: None,
        }
    }

    /// This context's keys, to be shared by other contexts (see
    /// [`RequestContext::set_shared`]).
    pub fn into_shared_keys(self) -> Arc<SharedKeys> {
        let mut keys = self.keys;
        if let Some(shared) = self.shared {
            for (k, e) in &shared.keys {
                keys.entry(k.clone()).or_insert_with(|| e.clone());
            }
        }
        keys.retain(|_, e| !e.texts.is_empty());
        Arc::new(SharedKeys { keys })
    }

    /// Reads `shared` for every key this context does not set itself.
    pub fn set_shared(&mut self, shared: Arc<SharedKeys>) -> &mut Self {
        self.shared = Some(shared);
        self
    }

    fn entry(&self, key: &Key) -> Option<&Entry> {
        self.keys
            .get(key)
            .or_else(|| self.shared.as_deref()?.keys.get(key))
            .filter(|e| !e.texts.is_empty())
    }

    /// Sets a single-valued key (replacing any previous values).
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.keys
            .insert(key_of(key), Entry::new(vec![value.into()]));
        self
    }

    /// Sets a multi-valued key (replacing any previous values). An empty list
    /// makes the key absent.
    pub fn set_values<I, S>(&mut self, key: &str, values: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values: Vec<String> = values.into_iter().map(Into::into).collect();
        if values.is_empty() {
            self.remove(key);
        } else {
            self.keys.insert(key_of(key), Entry::new(values));
        }
        self
    }

    /// Builder form of [`RequestContext::set`].
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.set(key, value);
        self
    }

    /// Removes a key (a shared key is hidden from this context).
    pub fn remove(&mut self, key: &str) -> &mut Self {
        let key = key_of(key);
        if self
            .shared
            .as_deref()
            .is_some_and(|s| s.keys.contains_key(&key))
        {
            self.keys.insert(key, Entry::new(Vec::new()));
        } else {
            self.keys.remove(&key);
        }
        self
    }

    /// Every key (case-folded) with its values, ordered by key.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &[String])> {
        let shared = self
            .shared
            .as_deref()
            .into_iter()
            .flat_map(|s| &s.keys)
            .filter(|(k, _)| !self.keys.contains_key(*k));
        let mut all: Vec<(&str, &[String])> = self
            .keys
            .iter()
            .chain(shared)
            .filter(|(_, e)| !e.texts.is_empty())
            .map(|(k, e)| (k.folded(), e.texts.as_slice()))
            .collect();
        all.sort_unstable_by_key(|(k, _)| *k);
        all.into_iter()
    }

    /// The values of a key (any case), `None` when absent.
    pub fn values(&self, key: &str) -> Option<&[String]> {
        self.values_folded(&key_of(key))
    }

    pub(crate) fn values_folded(&self, folded_key: &Key) -> Option<&[String]> {
        self.entry(folded_key).map(|e| e.texts.as_slice())
    }

    /// The values of a key with their typed readings, `None` when absent.
    pub(crate) fn typed_folded(&self, folded_key: &Key) -> Option<(&[String], &[OnceLock<Typed>])> {
        self.entry(folded_key)
            .map(|e| (e.texts.as_slice(), &*e.typed))
    }

    /// Sets `aws:PrincipalType`, `aws:PrincipalArn`, `aws:PrincipalAccount`,
    /// `aws:username` (IAM users) and `aws:userid` (when the caller's unique id
    /// is known) from [`RequestContext::caller`]. Other keys are the caller's to set.
    pub fn set_principal_keys(&mut self) -> &mut Self {
        // The values are read first, so the caller need not be cloned to be borrowed.
        self.set("aws:PrincipalType", self.caller.principal_type());
        if let Some(arn) = self.caller.principal_arn() {
            self.set("aws:PrincipalArn", arn);
        }
        if let Some(account) = self.caller.account().map(str::to_string) {
            self.set("aws:PrincipalAccount", account);
        }
        let username = match &*self.caller {
            // `arn:aws:iam::ACCOUNT:user/PATH/NAME`: the name is the last segment.
            Caller::User { arn, .. } => arn
                .split_once(":user/")
                .and_then(|(_, rest)| rest.rsplit('/').next())
                .map(str::to_string),
            _ => None,
        };
        if let Some(name) = username {
            self.set("aws:username", name);
        }
        let userid = match &*self.caller {
            Caller::User { unique_id, .. } => unique_id.clone(),
            Caller::Root { account } => Some(account.clone()),
            Caller::RoleSession {
                session_arn,
                role_unique_id: Some(id),
                ..
            } => session_arn
                .rsplit('/')
                .next()
                .map(|session| format!("{id}:{session}")),
            _ => None,
        };
        if let Some(id) = userid {
            self.set("aws:userid", id);
        }
        self
    }

    /// The account owning the resource (see [`RequestContext::resource_account`]).
    pub fn effective_resource_account(&self) -> Option<&str> {
        if let Some(account) = &self.resource_account {
            return Some(account);
        }
        match Arn::parse(&self.resource) {
            // AWS's own resources (`arn:aws:iam::aws:policy/...`, the AWS managed policies)
            // are read as if in the caller's account: identity policies alone decide, no
            // resource-based policy is needed.
            Some(arn) if arn.account == "aws" => self.caller.account(),
            Some(arn) if !arn.account.is_empty() => Some(arn.account),
            _ => self.caller.account(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> Arc<SharedKeys> {
        let mut base = RequestContext::new(Caller::Anonymous, "", "");
        base.set("aws:username", "alice")
            .set_values("aws:PrincipalTag/team", ["blue", "red"]);
        base.into_shared_keys()
    }

    #[test]
    fn shared_keys_are_read_after_the_context_own_keys() {
        let mut ctx = RequestContext::new(Caller::Anonymous, "iam:GetUser", "*");
        ctx.set_shared(shared()).set("aws:SourceIp", "10.0.0.1");
        assert_eq!(ctx.values("AWS:UserName"), Some(&["alice".to_string()][..]));
        assert_eq!(
            ctx.values("aws:sourceip"),
            Some(&["10.0.0.1".to_string()][..])
        );
        // Own keys override shared ones, and a removed shared key is absent here only.
        ctx.set("aws:username", "bob")
            .remove("aws:principaltag/team");
        assert_eq!(ctx.values("aws:username"), Some(&["bob".to_string()][..]));
        assert_eq!(ctx.values("aws:PrincipalTag/team"), None);
        let keys: Vec<&str> = ctx.entries().map(|(k, _)| k).collect();
        assert_eq!(keys, ["aws:sourceip", "aws:username"]);
        let mut other = RequestContext::new(Caller::Anonymous, "iam:GetUser", "*");
        other
            .set_shared(shared())
            .set_values("aws:username", Vec::<String>::new());
        let keys: Vec<&str> = other.entries().map(|(k, _)| k).collect();
        assert_eq!(keys, ["aws:principaltag/team"]);
        assert_eq!(
            other.values("aws:principaltag/team").map(<[String]>::len),
            Some(2)
        );
    }
}
