//! What an operation is authorized against, as the route table (`handlers::routes`) declares it
//! for each operation: the resource rule, naming the members of the typed input that hold the
//! resource, and the extra actions the caller must also be allowed.

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

/// An action the caller needs besides the operation's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extra {
    /// `iam:PassRole` on the role a member names, handed to a service (`iam:PassedToService`).
    PassRole(&'static str, &'static str),
    /// `sts:TagSession` when the request passes session tags (or inherits transitive ones).
    TagSession,
    /// `sts:SetSourceIdentity` when the request sets a source identity.
    SetSourceIdentity,
}

/// One operation's authorization rule.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub resource: Resource,
    pub extra: &'static [Extra],
}

impl Rule {
    /// Whether the rule asks for `extra`.
    pub fn needs(&self, extra: Extra) -> bool {
        self.extra.contains(&extra)
    }
}
