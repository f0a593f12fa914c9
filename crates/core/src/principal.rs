//! Who signed a request.

use crate::model::User;

/// A role session (AssumeRole and its relatives), as its token describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleSession {
    pub account: String,
    pub role_id: String,
    pub role_name: String,
    pub role_path: String,
    pub session_name: String,
}

impl RoleSession {
    pub fn role_arn(&self) -> String {
        crate::arn::entity(&self.account, "role", &self.role_path, &self.role_name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    Root {
        account: String,
    },
    User(User),
    RoleSession(RoleSession),
    /// A GetFederationToken session.
    FederatedUser {
        account: String,
        name: String,
    },
}

impl Principal {
    pub fn account(&self) -> &str {
        match self {
            Principal::Root { account } | Principal::FederatedUser { account, .. } => account,
            Principal::User(u) => &u.account,
            Principal::RoleSession(s) => &s.account,
        }
    }

    pub fn arn(&self) -> String {
        match self {
            Principal::Root { account } => crate::arn::root(account),
            Principal::User(u) => u.arn(),
            Principal::RoleSession(s) => format!(
                "arn:{}:sts::{}:assumed-role/{}/{}",
                crate::arn::PARTITION,
                s.account,
                s.role_name,
                s.session_name
            ),
            Principal::FederatedUser { account, name } => format!(
                "arn:{}:sts::{account}:federated-user/{name}",
                crate::arn::PARTITION
            ),
        }
    }

    /// `aws:userid` and GetCallerIdentity's UserId: the account id for root, the unique id for
    /// users, `ROLEID:session` for role sessions and `ACCOUNT:name` for federated users.
    pub fn user_id(&self) -> String {
        match self {
            Principal::Root { account } => account.clone(),
            Principal::User(u) => u.id.clone(),
            Principal::RoleSession(s) => format!("{}:{}", s.role_id, s.session_name),
            Principal::FederatedUser { account, name } => format!("{account}:{name}"),
        }
    }

    pub fn is_root(&self) -> bool {
        matches!(self, Principal::Root { .. })
    }
}
