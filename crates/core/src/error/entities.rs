//! What an [`super::IamError`] names: the kind of entity not found or already there
//! ([`EntityKind`], with AWS's sentence for each), and what still depends on an entity that
//! cannot be deleted yet ([`Dependent`], with AWS's DeleteConflict message).

/// The kind of entity an error names, as AWS writes it in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityKind {
    User,
    Group,
    Role,
    /// A customer managed policy, named by its ARN.
    Policy,
    /// A version of a managed policy, named `<arn> version <id>`.
    PolicyVersion,
    /// A virtual MFA device, named by its serial number.
    MfaDevice,
    InstanceProfile,
    ServerCertificate,
    AccountAlias,
    /// An OpenID Connect provider, named by its URL as given (exists) or its ARN (not found).
    OidcProvider,
    /// A SAML provider, named by its name (exists) or its ARN (not found).
    SamlProvider,
    /// A private key of a SAML provider, named by its key id.
    SamlPrivateKey,
    /// A user's login profile, named by the user's name.
    LoginProfile,
    /// An account's password policy as GetAccountPasswordPolicy names it (by account id).
    PasswordPolicy,
    /// An account policy as DeleteAccountPasswordPolicy names it (`PasswordPolicy`).
    AccountPolicy,
    /// An access key, named by its id.
    AccessKey,
    /// A user's X.509 signing certificate, named by its id.
    SigningCertificate,
    /// A user's SSH public key, named by its id.
    SshPublicKey,
    /// A service-specific credential, named by its id.
    ServiceSpecificCredential,
    /// A report job (access advisor, Organizations access), named by its id.
    ReportJob,
    /// A delegation request, named by its id.
    DelegationRequest,
    /// A delegation request, named by its ARN (GetHumanReadableSummary).
    DelegationRequestArn,
    /// A role template, named by its ARN.
    RoleTemplate,
    /// Any user, group, role or managed policy, named by its ARN (access reports).
    Entity,
    /// A managed policy being attached, named by its ARN.
    AttachablePolicy,
    /// The user, group or role SimulatePrincipalPolicy names, by its ARN.
    PolicySource,
}

impl EntityKind {
    /// Lower case, as in "The user with name x cannot be found."
    pub fn lower(self) -> &'static str {
        match self {
            EntityKind::User => "user",
            EntityKind::Group => "group",
            EntityKind::Role => "role",
            EntityKind::Policy => "policy",
            EntityKind::PolicyVersion => "policy version",
            EntityKind::MfaDevice => "MFA device",
            EntityKind::InstanceProfile => "instance profile",
            EntityKind::ServerCertificate => "server certificate",
            EntityKind::AccountAlias => "account alias",
            EntityKind::OidcProvider => "OpenID Connect provider",
            EntityKind::SamlProvider => "SAML provider",
            EntityKind::SamlPrivateKey => "SAML private key",
            EntityKind::LoginProfile => "login profile",
            EntityKind::PasswordPolicy => "password policy",
            EntityKind::AccountPolicy => "account policy",
            EntityKind::AccessKey => "access key",
            EntityKind::SigningCertificate => "signing certificate",
            EntityKind::SshPublicKey => "SSH public key",
            EntityKind::ServiceSpecificCredential => "service-specific credential",
            EntityKind::ReportJob => "report job",
            EntityKind::DelegationRequest | EntityKind::DelegationRequestArn => {
                "delegation request"
            }
            EntityKind::RoleTemplate => "role template",
            EntityKind::Entity => "entity",
            EntityKind::AttachablePolicy => "policy",
            EntityKind::PolicySource => "policy source",
        }
    }

    /// AWS's EntityAlreadyExists message for the entity called `name`.
    pub fn exists_message(self, name: &str) -> String {
        match self {
            EntityKind::Policy => {
                format!("A policy called {name} already exists. Duplicate names are not allowed.")
            }
            EntityKind::InstanceProfile => format!("Instance Profile {name} already exists."),
            EntityKind::ServerCertificate => {
                format!("The Server Certificate with name {name} already exists.")
            }
            EntityKind::AccountAlias => format!("The account alias {name} already exists."),
            EntityKind::OidcProvider => format!("Provider with url {name} already exists."),
            EntityKind::SamlProvider => format!("SAMLProvider {name} already exists."),
            EntityKind::LoginProfile => format!("Login Profile for user {name} already exists."),
            EntityKind::MfaDevice => {
                "MFADevice entity at the same path and name already exists.".to_string()
            }
            _ => format!("{} with name {name} already exists.", self.title()),
        }
    }

    /// Capitalised, as in "User with name x already exists."
    pub fn title(self) -> &'static str {
        match self {
            EntityKind::User => "User",
            EntityKind::Group => "Group",
            EntityKind::Role => "Role",
            EntityKind::Policy => "Policy",
            EntityKind::PolicyVersion => "Policy version",
            EntityKind::MfaDevice => "MFADevice",
            EntityKind::InstanceProfile => "Instance Profile",
            EntityKind::ServerCertificate => "Server Certificate",
            EntityKind::AccountAlias => "Account alias",
            EntityKind::OidcProvider => "OpenID Connect provider",
            EntityKind::SamlProvider => "SAMLProvider",
            EntityKind::SamlPrivateKey => "SAML private key",
            EntityKind::LoginProfile => "Login Profile",
            EntityKind::PasswordPolicy => "Password Policy",
            EntityKind::AccountPolicy => "Account policy",
            EntityKind::AccessKey => "Access Key",
            EntityKind::SigningCertificate => "Certificate",
            EntityKind::SshPublicKey => "Public Key",
            EntityKind::ServiceSpecificCredential => "Service specific credential",
            EntityKind::ReportJob => "Report job",
            EntityKind::DelegationRequest | EntityKind::DelegationRequestArn => {
                "Delegation request"
            }
            EntityKind::RoleTemplate => "Role template",
            EntityKind::Entity => "Entity",
            EntityKind::AttachablePolicy => "Policy",
            EntityKind::PolicySource => "Policy source",
        }
    }

    /// AWS's NoSuchEntity message for the entity called `name`.
    pub fn not_found(self, name: &str) -> String {
        match self {
            EntityKind::Policy => format!("Policy {name} was not found."),
            EntityKind::PolicyVersion | EntityKind::AttachablePolicy => {
                format!("Policy {name} does not exist or is not attachable.")
            }
            EntityKind::MfaDevice => {
                format!("VirtualMFADevice with serial number {name} doesn't exist.")
            }
            EntityKind::InstanceProfile => format!("Instance Profile {name} cannot be found."),
            EntityKind::ServerCertificate => {
                format!("The Server Certificate with name {name} cannot be found.")
            }
            EntityKind::AccountAlias => format!("The account alias {name} cannot be found."),
            EntityKind::OidcProvider => format!("OpenIDConnect Provider not found for arn {name}"),
            EntityKind::SamlProvider => format!("Manifest not found for arn {name}"),
            EntityKind::SamlPrivateKey => {
                format!("The private key {name} does not exist on this SAML provider.")
            }
            EntityKind::LoginProfile => format!("Login Profile for User {name} cannot be found."),
            EntityKind::PasswordPolicy => {
                format!("The Password Policy with domain name {name} cannot be found.")
            }
            EntityKind::AccountPolicy => {
                format!("The account policy with name {name} cannot be found.")
            }
            EntityKind::User | EntityKind::Group | EntityKind::Role => {
                format!("The {} with name {name} cannot be found.", self.lower())
            }
            EntityKind::AccessKey | EntityKind::SigningCertificate | EntityKind::SshPublicKey => {
                format!("The {} with id {name} cannot be found.", self.title())
            }
            EntityKind::ServiceSpecificCredential => format!("No such credential {name} exists"),
            EntityKind::ReportJob => format!("No job found with ID {name}."),
            EntityKind::DelegationRequest => {
                format!("The delegation request with id {name} cannot be found.")
            }
            EntityKind::DelegationRequestArn => {
                format!("The delegation request {name} cannot be found.")
            }
            EntityKind::RoleTemplate => format!("The role template {name} cannot be found."),
            EntityKind::Entity => format!("The entity {name} cannot be found."),
            EntityKind::PolicySource => format!("Unknown policy source {name}."),
        }
    }
}

/// What still depends on an entity that cannot be deleted yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dependent {
    LoginProfile,
    AccessKeys,
    /// Inline policies (and, for a role, attached ones too: AWS words both alike).
    InlinePolicies,
    AttachedPolicies,
    /// A user's group memberships.
    GroupMemberships,
    SigningCertificates,
    /// SSH public keys and service-specific credentials.
    ReferencedObjects,
    MfaDevices,
    /// A group's members.
    GroupMembers,
    /// A role's instance profiles, or an instance profile's roles.
    InstanceProfileRoles,
    /// Entities a managed policy is attached to or bounds.
    PolicyAttachments,
    /// A managed policy's versions other than the default.
    PolicyVersions,
    /// The version being deleted is the policy's default.
    DefaultVersion,
    /// The user an MFA device is assigned to.
    MfaDeviceUser,
}

impl Dependent {
    /// AWS's message for DeleteConflict.
    pub fn message(self) -> &'static str {
        match self {
            Dependent::LoginProfile => "Cannot delete entity, must delete login profile first.",
            Dependent::AccessKeys => "Cannot delete entity, must delete access keys first.",
            Dependent::InlinePolicies => "Cannot delete entity, must delete policies first.",
            Dependent::AttachedPolicies => "Cannot delete entity, must detach all policies first.",
            Dependent::GroupMemberships => {
                "Cannot delete entity, must remove user from all groups first."
            }
            Dependent::SigningCertificates => {
                "Cannot delete entity, must delete signing certificates first."
            }
            Dependent::ReferencedObjects => {
                "Cannot delete entity, must remove referenced objects first."
            }
            Dependent::MfaDevices => "Cannot delete entity, must delete MFA device first.",
            Dependent::GroupMembers => "Cannot delete entity, must remove users from group first.",
            Dependent::InstanceProfileRoles => {
                "Cannot delete entity, must remove roles from instance profile first."
            }
            Dependent::PolicyAttachments => "Cannot delete a policy attached to entities.",
            Dependent::PolicyVersions => {
                "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy."
            }
            Dependent::DefaultVersion => "Cannot delete the default version of a policy.",
            Dependent::MfaDeviceUser => {
                "MFA Device is in use by a user. Deactivate the MFA device first."
            }
        }
    }
}
