//! Who signed a request.

use crate::model::User;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    Root { account: String },
    User(User),
}

impl Principal {
    pub fn account(&self) -> &str {
        match self {
            Principal::Root { account } => account,
            Principal::User(u) => &u.account,
        }
    }

    pub fn arn(&self) -> String {
        match self {
            Principal::Root { account } => crate::arn::root(account),
            Principal::User(u) => u.arn(),
        }
    }

    /// `aws:userid` and GetCallerIdentity's UserId: the account id for root, the unique id for users.
    pub fn user_id(&self) -> &str {
        match self {
            Principal::Root { account } => account,
            Principal::User(u) => &u.id,
        }
    }

    pub fn is_root(&self) -> bool {
        matches!(self, Principal::Root { .. })
    }
}
