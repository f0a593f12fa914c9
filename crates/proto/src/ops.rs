//! The operation table: one row per IAM and STS operation in AWS's models (generated into
//! `ops_table.rs`), with its wire name, service, output kind, the resource it acts on and the
//! constraints on its top-level parameters.

pub use crate::ops_table::Operation;
use crate::ops_table::{OPS, lookup};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    Iam,
    Sts,
}

impl Service {
    pub fn namespace(self) -> &'static str {
        match self {
            Service::Iam => "https://iam.amazonaws.com/doc/2010-05-08/",
            Service::Sts => "https://sts.amazonaws.com/doc/2011-06-15/",
        }
    }
    pub fn version(self) -> &'static str {
        match self {
            Service::Iam => "2010-05-08",
            Service::Sts => "2011-06-15",
        }
    }
    /// The SigV4 signing name and the IAM action prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            Service::Iam => "iam",
            Service::Sts => "sts",
        }
    }
    pub fn from_signing_name(name: &str) -> Option<Self> {
        match name {
            "iam" => Some(Service::Iam),
            "sts" => Some(Service::Sts),
            _ => None,
        }
    }
    pub fn from_version(version: &str) -> Option<Self> {
        match version {
            "2010-05-08" => Some(Service::Iam),
            "2011-06-15" => Some(Service::Sts),
            _ => None,
        }
    }
}

/// What the `{Op}Result` element looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// No output shape: the response holds only `ResponseMetadata`.
    NoOutput,
    /// An output shape without members: `<{Op}Result/>`.
    EmptyResult,
    WithResult,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityKind {
    User,
    Group,
    Role,
    InstanceProfile,
    ServerCertificate,
}

impl EntityKind {
    /// The resource-type segment of the ARN.
    pub fn arn_type(self) -> &'static str {
        match self {
            EntityKind::User => "user",
            EntityKind::Group => "group",
            EntityKind::Role => "role",
            EntityKind::InstanceProfile => "instance-profile",
            EntityKind::ServerCertificate => "server-certificate",
        }
    }
}

/// How the server finds the resource ARN an operation is authorized against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    /// Not authorized by a policy (GetCallerIdentity and GetSessionToken answer every
    /// authenticated caller; unsigned operations authorize through trust policies).
    Unchecked,
    /// `*`: account-level operations and listings.
    Star,
    /// A named entity: (kind, parameter holding its name, whether an absent name means the caller).
    Entity(EntityKind, &'static str, bool),
    /// A parameter that holds the resource ARN itself.
    ArnParam(&'static str),
    /// A listing by `PathPrefix`: `arn:aws:iam::ACCOUNT:TYPE` followed by the prefix.
    PathListing(&'static str),
    /// The federated user a parameter names: `arn:aws:sts::ACCOUNT:federated-user/NAME`.
    FederatedUser(&'static str),
    /// The user owning the access key a parameter names (the root user for a root key).
    AccessKeyOwner(&'static str),
    /// An entity the operation creates: `arn:aws:iam::ACCOUNT:TYPE` + `Path` (if any) + the
    /// name a parameter holds (`mfa/`, `policy/`, `saml-provider/`).
    New(&'static str, &'static str),
    /// The OIDC provider a `Url` parameter names: `oidc-provider/` + the URL without `https://`.
    OidcProviderUrl(&'static str),
    /// The service-linked role AWS names for the service a parameter holds (and `CustomSuffix`).
    ServiceLinkedRole(&'static str),
    /// The service-linked role a deletion task id (`task/aws-service-role/...`) names.
    DeletionTask(&'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    Str {
        min: usize,
        max: usize,
        pattern: Option<&'static str>,
        enums: &'static [&'static str],
    },
    Int {
        min: i64,
        max: i64,
    },
    Bool,
    List {
        min: usize,
        max: usize,
    },
    Timestamp,
    Nested,
}

/// A top-level input member and its model constraints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// Wire name (`UserName`).
    pub name: &'static str,
    /// Name used in validation messages (`userName`).
    pub wire: &'static str,
    pub required: bool,
    /// AWS leaves the value out of validation messages for sensitive members.
    pub sensitive: bool,
    pub kind: ParamKind,
}

#[derive(Debug)]
pub struct OpInfo {
    pub op: Operation,
    pub name: &'static str,
    pub service: Service,
    pub output: Output,
    pub resource: Resource,
    /// False for the two STS operations AWS serves unsigned.
    pub signed: bool,
    pub mutating: bool,
    pub params: &'static [Param],
}

impl Operation {
    /// Finds an operation by service and wire name (`CreateUser`).
    pub fn from_wire(service: Service, name: &str) -> Option<Self> {
        lookup(service, name)
    }

    pub fn info(self) -> &'static OpInfo {
        // The table is generated in enum order; the test below keeps it so.
        &OPS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// `iam:CreateUser` (built once for every operation).
    pub fn action(self) -> &'static str {
        static ACTIONS: std::sync::LazyLock<Box<[String]>> = std::sync::LazyLock::new(|| {
            OPS.iter()
                .map(|i| format!("{}:{}", i.service.prefix(), i.name))
                .collect()
        });
        &ACTIONS[self as usize]
    }

    pub fn all() -> impl Iterator<Item = Operation> {
        OPS.iter().map(|i| i.op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_enum_order_and_complete() {
        for (i, info) in OPS.iter().enumerate() {
            assert_eq!(info.op as usize, i, "{}", info.name);
            assert_eq!(Operation::from_wire(info.service, info.name), Some(info.op));
        }
        assert_eq!(
            OPS.iter().filter(|i| i.service == Service::Iam).count(),
            210
        );
        assert_eq!(OPS.iter().filter(|i| i.service == Service::Sts).count(), 15);
    }

    #[test]
    fn names_and_rules_follow_the_model() {
        let op = Operation::from_wire(Service::Iam, "CreateVirtualMFADevice");
        assert_eq!(op.map(Operation::name), Some("CreateVirtualMFADevice"));
        assert_eq!(Operation::from_wire(Service::Sts, "CreateUser"), None);
        let get_user = Operation::GetUser.info();
        assert_eq!(
            get_user.resource,
            Resource::Entity(EntityKind::User, "UserName", true)
        );
        assert!(!get_user.mutating);
        assert_eq!(
            Operation::GetCallerIdentity.info().resource,
            Resource::Unchecked
        );
        assert!(!Operation::AssumeRoleWithWebIdentity.info().signed);
        assert_eq!(Operation::DeleteUser.info().output, Output::NoOutput);
        assert_eq!(Operation::UpdateRole.info().output, Output::EmptyResult);
        assert_eq!(
            Operation::AddUserToGroup.info().resource,
            Resource::Entity(EntityKind::Group, "GroupName", false)
        );
        assert_eq!(Operation::CreateUser.action(), "iam:CreateUser");
        assert_eq!(
            Operation::ListUsers.info().resource,
            Resource::PathListing("user")
        );
    }
}
