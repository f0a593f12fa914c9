//! What an operation is authorized against, as the route table (`handlers::routes`) declares it
//! for each operation: the resource rule, naming the members of the typed input that hold the
//! resource (or the trust policy that decides it), the extras (actions the caller must also be
//! allowed, condition keys read from the input) and which temporary credentials may call it.
//! Authorization decides from these facts alone: it matches no operation by name.

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
    /// Not authorized by a policy (GetCallerIdentity answers every authenticated caller;
    /// AssumeRoleWithSAML's handler refuses every request).
    Unchecked,
    /// Not authorized by a policy, but the one-time MFA code the input offers (`SerialNumber`,
    /// `TokenCode`) must be a valid code of the caller's device (GetSessionToken).
    CallerMfa,
    /// The role AssumeRole's input names, decided with the role's trust policy for the caller
    /// (and its MFA code, session tags and source identity).
    Trust,
    /// The role AssumeRoleWithWebIdentity's input names, decided with the role's trust policy
    /// for the identity provider's user the verified web identity token names (the request is
    /// unsigned: there is no other caller).
    WebIdentity,
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
    /// A condition key the request fills from a string member of its input (`iam:PolicyARN`
    /// from `PolicyArn` on the Attach*/Detach* policy operations, as AWS fills it).
    Key(&'static str, &'static str),
}

/// Which temporary credentials may call an operation. Long-term keys may call every one, and
/// console sessions are not temporary API credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sessions {
    /// The service's rule: IAM takes role sessions, and GetSessionToken sessions with MFA
    /// (others are InvalidClientTokenId); STS takes role sessions only.
    ByService,
    /// Every session (GetCallerIdentity).
    AnySession,
    /// No session: long-term credentials only (GetSessionToken, GetFederationToken).
    LongTermOnly,
    /// Role sessions and GetSessionToken sessions, not federated users (AssumeRole).
    NotFederated,
}

/// One operation's authorization rule.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub resource: Resource,
    pub extra: &'static [Extra],
    pub sessions: Sessions,
}

impl Rule {
    /// Whether the rule asks for `extra`.
    pub fn needs(&self, extra: Extra) -> bool {
        self.extra.contains(&extra)
    }
}
