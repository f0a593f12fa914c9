//! The operation table: one row per IAM and STS operation in AWS's models (generated into
//! `ops/generated.rs`), with its wire name, service, output kind, whether it is signed and the
//! constraints on its top-level parameters. What an operation is authorized against is the
//! server's route table, not a fact of the models.

mod generated;

pub use generated::Operation;
use generated::{OPS, lookup};

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
    /// False for the two STS operations AWS serves unsigned.
    pub signed: bool,
    /// True when the answer carries a secret access key (the STS operations that issue
    /// credentials, CreateAccessKey): the models' output shapes say so.
    pub issues_credentials: bool,
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
    fn the_operations_that_issue_credentials_come_from_the_output_shapes() {
        let issuing: Vec<&str> = OPS
            .iter()
            .filter(|i| i.issues_credentials)
            .map(|i| i.name)
            .collect();
        assert_eq!(
            issuing,
            [
                "CreateAccessKey",
                "AssumeRole",
                "AssumeRoleWithSAML",
                "AssumeRoleWithWebIdentity",
                "AssumeRoot",
                "GetDelegatedAccessToken",
                "GetFederationToken",
                "GetScopedCredentials",
                "GetSessionToken",
            ]
        );
    }

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
        assert!(!Operation::AssumeRoleWithWebIdentity.info().signed);
        assert_eq!(Operation::DeleteUser.info().output, Output::NoOutput);
        assert_eq!(Operation::UpdateRole.info().output, Output::EmptyResult);
        assert_eq!(Operation::CreateUser.action(), "iam:CreateUser");
    }
}
