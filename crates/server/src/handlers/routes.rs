//! The route table: one row per operation of AWS's models, saying who handles it, what it is
//! authorized against and whether it writes:
//!
//! `Operation => handler, resource rule, read | write, [extras] (, sessions)?;`
//!
//! - the handler (a function of the area's file, the typed input → core → typed output
//!   adapter); the row only compiles when it returns its own operation's output (`()` for an
//!   operation AWS answers without a result);
//! - the resource rule (`authz::Resource`): where the ARN the operation is authorized against
//!   comes from (a member naming an entity, an ARN member, the entity it creates, `*`...);
//! - `write` operations run on the blocking pool and clear the caches after success;
//! - extras (`authz::Extra`): actions the caller must also be allowed (`iam:PassRole` on the
//!   role handed to a service, `sts:TagSession` and `sts:SetSourceIdentity` when an AssumeRole
//!   passes them) and condition keys the request fills from its input (`iam:PolicyARN`);
//! - optionally, which temporary credentials may call it (`authz::Sessions`; by default the
//!   service's rule).
//!
//! [`route`] matches every operation, so one missing from the table does not compile. Rows are
//! grouped by the file of their handler.

use super::*;
use crate::authz::{EntityKind::*, Extra::*, Resource::*, Rule, Sessions};
use portcullis_proto::{Operation, Reply};

/// One operation's row.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    pub handler: Handler,
    /// What authorization checks before the handler runs.
    pub rule: Rule,
    /// Whether the operation changes the store.
    pub writes: bool,
}

macro_rules! routes {
    ($($op:ident => $handler:expr, $resource:expr, $access:ident, [$($extra:expr),*] $(, $sessions:ident)?;)*) => {
        /// The row of `op`.
        pub fn route(op: Operation) -> Route {
            match op {
                $(Operation::$op => Route {
                    handler: |ctx| {
                        ($handler)(ctx).map(Reply::<{ Operation::$op as u16 }>::into_xml)
                    },
                    rule: Rule {
                        resource: $resource,
                        extra: &[$($extra),*],
                        sessions: routes!(@sessions $($sessions)?),
                    },
                    writes: routes!(@writes $access),
                },)*
            }
        }
    };
    (@writes write) => { true };
    (@writes read) => { false };
    (@sessions) => { Sessions::ByService };
    (@sessions $sessions:ident) => { Sessions::$sessions };
}

routes! {
    // account.rs
    CreateAccountAlias => account::create_account_alias, Star, write, [];
    DeleteAccountAlias => account::delete_account_alias, Star, write, [];
    ListAccountAliases => account::list_account_aliases, Star, read, [];
    GetAccountSummary => account::get_account_summary, Star, read, [];
    // authorization_details.rs
    GetAccountAuthorizationDetails => authorization_details::get_account_authorization_details, Star, read, [];
    // managed_policies.rs
    TagPolicy => managed_policies::tag_policy, ArnParam("PolicyArn"), write, [];
    UntagPolicy => managed_policies::untag_policy, ArnParam("PolicyArn"), write, [];
    ListPolicyTags => managed_policies::list_policy_tags, ArnParam("PolicyArn"), read, [];
    ListEntitiesForPolicy => managed_policies::list_entities_for_policy, ArnParam("PolicyArn"), read, [];
    AttachRolePolicy => managed_policies::attach_role_policy, Entity(Role, "RoleName", false), write, [Key("iam:PolicyARN", "PolicyArn")];
    DetachRolePolicy => managed_policies::detach_role_policy, Entity(Role, "RoleName", false), write, [Key("iam:PolicyARN", "PolicyArn")];
    ListAttachedRolePolicies => managed_policies::list_attached_role_policies, Entity(Role, "RoleName", false), read, [];
    CreatePolicy => managed_policies::create_policy, New("policy", "PolicyName"), write, [];
    GetPolicy => managed_policies::get_policy, ArnParam("PolicyArn"), read, [];
    DeletePolicy => managed_policies::delete_policy, ArnParam("PolicyArn"), write, [];
    ListPolicies => managed_policies::list_policies, PathListing("policy"), read, [];
    CreatePolicyVersion => managed_policies::create_policy_version, ArnParam("PolicyArn"), write, [];
    GetPolicyVersion => managed_policies::get_policy_version, ArnParam("PolicyArn"), read, [];
    ListPolicyVersions => managed_policies::list_policy_versions, ArnParam("PolicyArn"), read, [];
    DeletePolicyVersion => managed_policies::delete_policy_version, ArnParam("PolicyArn"), write, [];
    SetDefaultPolicyVersion => managed_policies::set_default_policy_version, ArnParam("PolicyArn"), write, [];
    AttachUserPolicy => managed_policies::attach_user_policy, Entity(User, "UserName", false), write, [Key("iam:PolicyARN", "PolicyArn")];
    DetachUserPolicy => managed_policies::detach_user_policy, Entity(User, "UserName", false), write, [Key("iam:PolicyARN", "PolicyArn")];
    ListAttachedUserPolicies => managed_policies::list_attached_user_policies, Entity(User, "UserName", false), read, [];
    AttachGroupPolicy => managed_policies::attach_group_policy, Entity(Group, "GroupName", false), write, [Key("iam:PolicyARN", "PolicyArn")];
    DetachGroupPolicy => managed_policies::detach_group_policy, Entity(Group, "GroupName", false), write, [Key("iam:PolicyARN", "PolicyArn")];
    ListAttachedGroupPolicies => managed_policies::list_attached_group_policies, Entity(Group, "GroupName", false), read, [];
    PutUserPermissionsBoundary => managed_policies::put_user_permissions_boundary, Entity(User, "UserName", false), write, [];
    DeleteUserPermissionsBoundary => managed_policies::delete_user_permissions_boundary, Entity(User, "UserName", false), write, [];
    // roles.rs
    CreateRole => roles::create_role, Entity(Role, "RoleName", false), write, [];
    GetRole => roles::get_role, Entity(Role, "RoleName", false), read, [];
    UpdateRole => roles::update_role, Entity(Role, "RoleName", false), write, [];
    UpdateRoleDescription => roles::update_role_description, Entity(Role, "RoleName", false), write, [];
    UpdateAssumeRolePolicy => roles::update_assume_role_policy, Entity(Role, "RoleName", false), write, [];
    DeleteRole => roles::delete_role, Entity(Role, "RoleName", false), write, [];
    ListRoles => roles::list_roles, PathListing("role"), read, [];
    TagRole => roles::tag_role, Entity(Role, "RoleName", false), write, [];
    UntagRole => roles::untag_role, Entity(Role, "RoleName", false), write, [];
    ListRoleTags => roles::list_role_tags, Entity(Role, "RoleName", false), read, [];
    PutRolePermissionsBoundary => roles::put_role_permissions_boundary, Entity(Role, "RoleName", false), write, [];
    DeleteRolePermissionsBoundary => roles::delete_role_permissions_boundary, Entity(Role, "RoleName", false), write, [];
    // service_linked_roles.rs
    CreateServiceLinkedRole => service_linked_roles::create_service_linked_role, ServiceLinkedRole("AWSServiceName"), write, [];
    DeleteServiceLinkedRole => service_linked_roles::delete_service_linked_role, Entity(Role, "RoleName", false), write, [];
    GetServiceLinkedRoleDeletionStatus => service_linked_roles::get_service_linked_role_deletion_status, DeletionTask("DeletionTaskId"), read, [];
    // inline_policies.rs
    PutRolePolicy => inline_policies::put_role_policy, Entity(Role, "RoleName", false), write, [];
    GetRolePolicy => inline_policies::get_role_policy, Entity(Role, "RoleName", false), read, [];
    DeleteRolePolicy => inline_policies::delete_role_policy, Entity(Role, "RoleName", false), write, [];
    ListRolePolicies => inline_policies::list_role_policies, Entity(Role, "RoleName", false), read, [];
    PutUserPolicy => inline_policies::put_user_policy, Entity(User, "UserName", false), write, [];
    GetUserPolicy => inline_policies::get_user_policy, Entity(User, "UserName", false), read, [];
    DeleteUserPolicy => inline_policies::delete_user_policy, Entity(User, "UserName", false), write, [];
    ListUserPolicies => inline_policies::list_user_policies, Entity(User, "UserName", false), read, [];
    PutGroupPolicy => inline_policies::put_group_policy, Entity(Group, "GroupName", false), write, [];
    GetGroupPolicy => inline_policies::get_group_policy, Entity(Group, "GroupName", false), read, [];
    DeleteGroupPolicy => inline_policies::delete_group_policy, Entity(Group, "GroupName", false), write, [];
    ListGroupPolicies => inline_policies::list_group_policies, Entity(Group, "GroupName", false), read, [];
    // groups.rs
    CreateGroup => groups::create_group, Entity(Group, "GroupName", false), write, [];
    GetGroup => groups::get_group, Entity(Group, "GroupName", false), read, [];
    UpdateGroup => groups::update_group, Entity(Group, "GroupName", false), write, [];
    DeleteGroup => groups::delete_group, Entity(Group, "GroupName", false), write, [];
    ListGroups => groups::list_groups, PathListing("group"), read, [];
    AddUserToGroup => groups::add_user_to_group, Entity(Group, "GroupName", false), write, [];
    RemoveUserFromGroup => groups::remove_user_from_group, Entity(Group, "GroupName", false), write, [];
    ListGroupsForUser => groups::list_groups_for_user, Entity(User, "UserName", false), read, [];
    // users.rs
    CreateUser => users::create_user, Entity(User, "UserName", false), write, [];
    GetUser => users::get_user, Entity(User, "UserName", true), read, [];
    UpdateUser => users::update_user, Entity(User, "UserName", false), write, [];
    DeleteUser => users::delete_user, Entity(User, "UserName", false), write, [];
    ListUsers => users::list_users, PathListing("user"), read, [];
    TagUser => users::tag_user, Entity(User, "UserName", false), write, [];
    UntagUser => users::untag_user, Entity(User, "UserName", false), write, [];
    ListUserTags => users::list_user_tags, Entity(User, "UserName", false), read, [];
    // access_keys.rs
    CreateAccessKey => access_keys::create_access_key, Entity(User, "UserName", true), write, [];
    ListAccessKeys => access_keys::list_access_keys, Entity(User, "UserName", true), read, [];
    UpdateAccessKey => access_keys::update_access_key, Entity(User, "UserName", true), write, [];
    DeleteAccessKey => access_keys::delete_access_key, Entity(User, "UserName", true), write, [];
    GetAccessKeyLastUsed => access_keys::get_access_key_last_used, AccessKeyOwner("AccessKeyId"), read, [];
    // ssh_public_keys.rs
    UploadSSHPublicKey => ssh_public_keys::upload_ssh_public_key, Entity(User, "UserName", false), write, [];
    GetSSHPublicKey => ssh_public_keys::get_ssh_public_key, Entity(User, "UserName", false), read, [];
    ListSSHPublicKeys => ssh_public_keys::list_ssh_public_keys, Entity(User, "UserName", true), read, [];
    UpdateSSHPublicKey => ssh_public_keys::update_ssh_public_key, Entity(User, "UserName", false), write, [];
    DeleteSSHPublicKey => ssh_public_keys::delete_ssh_public_key, Entity(User, "UserName", false), write, [];
    // service_credentials.rs
    CreateServiceSpecificCredential => service_credentials::create_service_specific_credential, Entity(User, "UserName", false), write, [];
    ListServiceSpecificCredentials => service_credentials::list_service_specific_credentials, Entity(User, "UserName", true), read, [];
    ResetServiceSpecificCredential => service_credentials::reset_service_specific_credential, Entity(User, "UserName", true), write, [];
    UpdateServiceSpecificCredential => service_credentials::update_service_specific_credential, Entity(User, "UserName", true), write, [];
    DeleteServiceSpecificCredential => service_credentials::delete_service_specific_credential, Entity(User, "UserName", true), write, [];
    // signing_certificates.rs
    UploadSigningCertificate => signing_certificates::upload_signing_certificate, Entity(User, "UserName", true), write, [];
    ListSigningCertificates => signing_certificates::list_signing_certificates, Entity(User, "UserName", true), read, [];
    UpdateSigningCertificate => signing_certificates::update_signing_certificate, Entity(User, "UserName", true), write, [];
    DeleteSigningCertificate => signing_certificates::delete_signing_certificate, Entity(User, "UserName", true), write, [];
    // server_certificates.rs
    UploadServerCertificate => server_certificates::upload_server_certificate, Entity(ServerCertificate, "ServerCertificateName", false), write, [];
    GetServerCertificate => server_certificates::get_server_certificate, Entity(ServerCertificate, "ServerCertificateName", false), read, [];
    ListServerCertificates => server_certificates::list_server_certificates, PathListing("server-certificate"), read, [];
    UpdateServerCertificate => server_certificates::update_server_certificate, Entity(ServerCertificate, "ServerCertificateName", false), write, [];
    DeleteServerCertificate => server_certificates::delete_server_certificate, Entity(ServerCertificate, "ServerCertificateName", false), write, [];
    TagServerCertificate => server_certificates::tag_server_certificate, Entity(ServerCertificate, "ServerCertificateName", false), write, [];
    UntagServerCertificate => server_certificates::untag_server_certificate, Entity(ServerCertificate, "ServerCertificateName", false), write, [];
    ListServerCertificateTags => server_certificates::list_server_certificate_tags, Entity(ServerCertificate, "ServerCertificateName", false), read, [];
    // sts.rs
    GetCallerIdentity => sts::get_caller_identity, Unchecked, read, [], AnySession;
    AssumeRole => sts::assume_role, Trust, read, [TagSession, SetSourceIdentity], NotFederated;
    GetSessionToken => sts::get_session_token, CallerMfa, read, [], LongTermOnly;
    GetFederationToken => sts::get_federation_token, FederatedUser("Name"), read, [], LongTermOnly;
    GetAccessKeyInfo => sts::get_access_key_info, Star, read, [];
    DecodeAuthorizationMessage => sts::decode_authorization_message, Star, read, [];
    // simulate.rs
    SimulateCustomPolicy => simulate::simulate_custom_policy, Star, read, [];
    SimulatePrincipalPolicy => simulate::simulate_principal_policy, ArnParam("PolicySourceArn"), read, [];
    GetContextKeysForCustomPolicy => simulate::get_context_keys_for_custom_policy, Star, read, [];
    GetContextKeysForPrincipalPolicy => simulate::get_context_keys_for_principal_policy, ArnParam("PolicySourceArn"), read, [];
    // web_identity.rs
    AssumeRoleWithWebIdentity => web_identity::assume_role_with_web_identity, WebIdentity, read, [];
    // sts_unavailable.rs
    AssumeRoot => sts_unavailable::assume_root, Star, read, [];
    AssumeRoleWithSAML => sts_unavailable::assume_role_with_saml, Unchecked, read, [];
    GetDelegatedAccessToken => sts_unavailable::get_delegated_access_token, Star, read, [];
    GetScopedCredentials => sts_unavailable::get_scoped_credentials, Star, read, [];
    GetWebIdentityToken => sts_unavailable::get_web_identity_token, Star, read, [];
    // instance_profiles.rs
    CreateInstanceProfile => instance_profiles::create_instance_profile, Entity(InstanceProfile, "InstanceProfileName", false), write, [];
    GetInstanceProfile => instance_profiles::get_instance_profile, Entity(InstanceProfile, "InstanceProfileName", false), read, [];
    DeleteInstanceProfile => instance_profiles::delete_instance_profile, Entity(InstanceProfile, "InstanceProfileName", false), write, [];
    ListInstanceProfiles => instance_profiles::list_instance_profiles, PathListing("instance-profile"), read, [];
    AddRoleToInstanceProfile => instance_profiles::add_role_to_instance_profile, Entity(InstanceProfile, "InstanceProfileName", false), write, [PassRole("RoleName", "ec2.amazonaws.com")];
    RemoveRoleFromInstanceProfile => instance_profiles::remove_role_from_instance_profile, Entity(InstanceProfile, "InstanceProfileName", false), write, [];
    ListInstanceProfilesForRole => instance_profiles::list_instance_profiles_for_role, Entity(Role, "RoleName", false), read, [];
    TagInstanceProfile => instance_profiles::tag_instance_profile, Entity(InstanceProfile, "InstanceProfileName", false), write, [];
    UntagInstanceProfile => instance_profiles::untag_instance_profile, Entity(InstanceProfile, "InstanceProfileName", false), write, [];
    ListInstanceProfileTags => instance_profiles::list_instance_profile_tags, Entity(InstanceProfile, "InstanceProfileName", false), read, [];
    // oidc_providers.rs
    CreateOpenIDConnectProvider => oidc_providers::create_open_id_connect_provider, OidcProviderUrl("Url"), write, [];
    GetOpenIDConnectProvider => oidc_providers::get_open_id_connect_provider, ArnParam("OpenIDConnectProviderArn"), read, [];
    DeleteOpenIDConnectProvider => oidc_providers::delete_open_id_connect_provider, ArnParam("OpenIDConnectProviderArn"), write, [];
    ListOpenIDConnectProviders => oidc_providers::list_open_id_connect_providers, Star, read, [];
    UpdateOpenIDConnectProviderThumbprint => oidc_providers::update_open_id_connect_provider_thumbprint, ArnParam("OpenIDConnectProviderArn"), write, [];
    AddClientIDToOpenIDConnectProvider => oidc_providers::add_client_id_to_open_id_connect_provider, ArnParam("OpenIDConnectProviderArn"), write, [];
    RemoveClientIDFromOpenIDConnectProvider => oidc_providers::remove_client_id_from_open_id_connect_provider, ArnParam("OpenIDConnectProviderArn"), write, [];
    TagOpenIDConnectProvider => oidc_providers::tag_open_id_connect_provider, ArnParam("OpenIDConnectProviderArn"), write, [];
    UntagOpenIDConnectProvider => oidc_providers::untag_open_id_connect_provider, ArnParam("OpenIDConnectProviderArn"), write, [];
    ListOpenIDConnectProviderTags => oidc_providers::list_open_id_connect_provider_tags, ArnParam("OpenIDConnectProviderArn"), read, [];
    // saml_providers.rs
    CreateSAMLProvider => saml_providers::create_saml_provider, New("saml-provider", "Name"), write, [];
    GetSAMLProvider => saml_providers::get_saml_provider, ArnParam("SAMLProviderArn"), read, [];
    UpdateSAMLProvider => saml_providers::update_saml_provider, ArnParam("SAMLProviderArn"), write, [];
    DeleteSAMLProvider => saml_providers::delete_saml_provider, ArnParam("SAMLProviderArn"), write, [];
    ListSAMLProviders => saml_providers::list_saml_providers, Star, read, [];
    TagSAMLProvider => saml_providers::tag_saml_provider, ArnParam("SAMLProviderArn"), write, [];
    UntagSAMLProvider => saml_providers::untag_saml_provider, ArnParam("SAMLProviderArn"), write, [];
    ListSAMLProviderTags => saml_providers::list_saml_provider_tags, ArnParam("SAMLProviderArn"), read, [];
    // organizations.rs
    ListOrganizationsFeatures => organizations::root_access_feature, Star, read, [];
    EnableOrganizationsRootCredentialsManagement => organizations::root_access_feature, Star, write, [];
    DisableOrganizationsRootCredentialsManagement => organizations::root_access_feature, Star, write, [];
    EnableOrganizationsRootSessions => organizations::root_access_feature, Star, write, [];
    DisableOrganizationsRootSessions => organizations::root_access_feature, Star, write, [];
    GenerateOrganizationsAccessReport => organizations::generate_organizations_access_report, Star, write, [];
    GetOrganizationsAccessReport => organizations::get_organizations_access_report, Star, read, [];
    // account_settings.rs
    SetSecurityTokenServicePreferences => account_settings::set_security_token_service_preferences, Star, write, [];
    GetAccountProperties => account_settings::get_account_properties, Star, read, [];
    PutAccountProperties => account_settings::put_account_properties, Star, write, [];
    EnableOutboundWebIdentityFederation => account_settings::enable_outbound_web_identity_federation, Star, write, [];
    DisableOutboundWebIdentityFederation => account_settings::disable_outbound_web_identity_federation, Star, write, [];
    GetOutboundWebIdentityFederationInfo => account_settings::get_outbound_web_identity_federation_info, Star, read, [];
    // delegation.rs
    AcceptDelegationRequest => delegation::delegation_request_by_id, Star, write, [];
    AssociateDelegationRequest => delegation::delegation_request_by_id, Star, write, [];
    RejectDelegationRequest => delegation::delegation_request_by_id, Star, write, [];
    UpdateDelegationRequest => delegation::delegation_request_by_id, Star, write, [];
    SendDelegationToken => delegation::delegation_request_by_id, Star, write, [];
    GetDelegationRequest => delegation::delegation_request_by_id, Star, read, [];
    ListDelegationRequests => delegation::list_delegation_requests, Star, read, [];
    CreateDelegationRequest => delegation::create_delegation_request, Star, write, [];
    GetHumanReadableSummary => delegation::get_human_readable_summary, Star, read, [];
    AcquireRole => delegation::role_template, Star, write, [];
    GetRoleTemplateVersion => delegation::role_template, Star, read, [];
    // access_advisor.rs
    GenerateServiceLastAccessedDetails => access_advisor::generate_service_last_accessed_details, ArnParam("Arn"), write, [];
    GetServiceLastAccessedDetails => access_advisor::get_service_last_accessed_details, Star, read, [];
    GetServiceLastAccessedDetailsWithEntities => access_advisor::get_service_last_accessed_details_with_entities, Star, read, [];
    ListPoliciesGrantingServiceAccess => access_advisor::list_policies_granting_service_access, ArnParam("Arn"), read, [];
    // oidc_propagation.rs
    UpdateOpenIDConnectProvider => oidc_propagation::update_open_id_connect_provider, ArnParam("OpenIDConnectProviderArn"), write, [];
    // credential_report.rs
    GenerateCredentialReport => credential_report::generate_credential_report, Star, write, [];
    GetCredentialReport => credential_report::get_credential_report, Star, read, [];
    // passwords.rs
    CreateLoginProfile => passwords::create_login_profile, Entity(User, "UserName", true), write, [];
    GetLoginProfile => passwords::get_login_profile, Entity(User, "UserName", true), read, [];
    UpdateLoginProfile => passwords::update_login_profile, Entity(User, "UserName", false), write, [];
    DeleteLoginProfile => passwords::delete_login_profile, Entity(User, "UserName", true), write, [];
    ChangePassword => passwords::change_password, Entity(User, "UserName", true), write, [];
    UpdateAccountPasswordPolicy => passwords::update_account_password_policy, Star, write, [];
    GetAccountPasswordPolicy => passwords::get_account_password_policy, Star, read, [];
    DeleteAccountPasswordPolicy => passwords::delete_account_password_policy, Star, write, [];
    // mfa_devices.rs
    CreateVirtualMFADevice => mfa_devices::create_virtual_mfa_device, New("mfa", "VirtualMFADeviceName"), write, [];
    DeactivateMFADevice => mfa_devices::deactivate_mfa_device, Entity(User, "UserName", true), write, [];
    DeleteVirtualMFADevice => mfa_devices::delete_virtual_mfa_device, ArnParam("SerialNumber"), write, [];
    EnableMFADevice => mfa_devices::enable_mfa_device, Entity(User, "UserName", false), write, [];
    GetMFADevice => mfa_devices::get_mfa_device, Entity(User, "UserName", true), read, [];
    ListMFADeviceTags => mfa_devices::list_mfa_device_tags, ArnParam("SerialNumber"), read, [];
    ListMFADevices => mfa_devices::list_mfa_devices, Entity(User, "UserName", true), read, [];
    ListVirtualMFADevices => mfa_devices::list_virtual_mfa_devices, Star, read, [];
    ResyncMFADevice => mfa_devices::resync_mfa_device, Entity(User, "UserName", false), write, [];
    TagMFADevice => mfa_devices::tag_mfa_device, ArnParam("SerialNumber"), write, [];
    UntagMFADevice => mfa_devices::untag_mfa_device, ArnParam("SerialNumber"), write, [];
    // not_implemented.rs
    CreateWorkloadIdentityProvider => not_implemented::not_implemented, Star, write, [];
    CreateWorkloadIdentityProviderOutboundSigner => not_implemented::not_implemented, Star, write, [];
    CreateWorkloadIdentityTemplate => not_implemented::not_implemented, Star, write, [];
    DeleteWorkloadIdentityProvider => not_implemented::not_implemented, Star, write, [];
    DeleteWorkloadIdentityProviderOutboundSigner => not_implemented::not_implemented, Star, write, [];
    DeleteWorkloadIdentityProviderResourcePolicy => not_implemented::not_implemented, Star, write, [];
    DeleteWorkloadIdentityTemplate => not_implemented::not_implemented, Star, write, [];
    DeleteWorkloadIdentityTemplateAttestationPolicy => not_implemented::not_implemented, Star, write, [];
    DisableOrganizationLevelResources => not_implemented::not_implemented, Star, write, [];
    DisableWorkloadIdentityProviderOutboundSigner => not_implemented::not_implemented, Star, write, [];
    EnableOrganizationLevelResources => not_implemented::not_implemented, Star, write, [];
    EnableWorkloadIdentityProviderOutboundSigner => not_implemented::not_implemented, Star, write, [];
    GetWorkloadIdentityProvider => not_implemented::not_implemented, Star, read, [];
    GetWorkloadIdentityProviderDeletionStatus => not_implemented::not_implemented, Star, read, [];
    GetWorkloadIdentityProviderResourcePolicy => not_implemented::not_implemented, Star, read, [];
    GetWorkloadIdentityTemplate => not_implemented::not_implemented, Star, read, [];
    GetWorkloadIdentityTemplateAttestationPolicy => not_implemented::not_implemented, Star, read, [];
    ListWorkloadIdentityProviderOutboundSigners => not_implemented::not_implemented, Star, read, [];
    ListWorkloadIdentityProviderTags => not_implemented::not_implemented, Star, read, [];
    ListWorkloadIdentityProviders => not_implemented::not_implemented, Star, read, [];
    ListWorkloadIdentityTemplateTags => not_implemented::not_implemented, Star, read, [];
    ListWorkloadIdentityTemplates => not_implemented::not_implemented, Star, read, [];
    PutWorkloadIdentityProviderResourcePolicy => not_implemented::not_implemented, Star, write, [];
    PutWorkloadIdentityTemplateAttestationPolicy => not_implemented::not_implemented, Star, write, [];
    TagWorkloadIdentityProvider => not_implemented::not_implemented, Star, write, [];
    TagWorkloadIdentityTemplate => not_implemented::not_implemented, Star, write, [];
    UntagWorkloadIdentityProvider => not_implemented::not_implemented, Star, write, [];
    UntagWorkloadIdentityTemplate => not_implemented::not_implemented, Star, write, [];
    UpdateWorkloadIdentityProviderOutboundSigner => not_implemented::not_implemented, Star, write, [];
    GetCertificate => not_implemented::not_implemented, Star, read, [];
    GetTrustBundles => not_implemented::not_implemented, Star, read, [];
    IssueWorkloadIdentityContext => not_implemented::not_implemented, Star, read, [];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Extra, Refusal, Resource, SessionKind, refusal};
    use portcullis_proto::Service;

    /// The input member a rule reads, if any.
    fn member(resource: Resource) -> Option<&'static str> {
        match resource {
            Resource::Entity(_, m, _)
            | Resource::ArnParam(m)
            | Resource::FederatedUser(m)
            | Resource::AccessKeyOwner(m)
            | Resource::New(_, m)
            | Resource::OidcProviderUrl(m)
            | Resource::ServiceLinkedRole(m)
            | Resource::DeletionTask(m) => Some(m),
            Resource::Unchecked
            | Resource::CallerMfa
            | Resource::Trust
            | Resource::WebIdentity
            | Resource::Star
            | Resource::PathListing(_) => None,
        }
    }

    #[test]
    fn every_rule_reads_a_member_its_operation_has() {
        for op in Operation::all() {
            let rule = route(op).rule;
            let has = |m: &str| op.info().params.iter().any(|p| p.name == m);
            // ChangePassword has no UserName: its rule always names the calling user.
            if let Some(m) = member(rule.resource).filter(|_| op != Operation::ChangePassword) {
                assert!(has(m), "{op:?}'s resource rule reads {m}, not a member");
            }
            for extra in rule.extra {
                if let Extra::PassRole(m, _) | Extra::Key(_, m) = extra {
                    assert!(has(m), "{op:?}'s extra {extra:?} reads {m}, not a member");
                }
            }
        }
    }

    #[test]
    fn only_authentication_operations_are_unchecked_and_sts_never_writes() {
        for op in Operation::all() {
            let r = route(op);
            if matches!(r.rule.resource, Resource::Unchecked | Resource::CallerMfa) {
                let unsigned = !op.info().signed;
                let auth = matches!(
                    op,
                    Operation::GetCallerIdentity | Operation::GetSessionToken
                );
                assert!(unsigned || auth, "{op:?} is not authorized");
            }
            if op.info().service == Service::Sts {
                assert!(!r.writes, "{op:?}");
            }
        }
        assert_eq!(
            route(Operation::GetUser).rule.resource,
            Resource::Entity(crate::authz::EntityKind::User, "UserName", true)
        );
        assert!(route(Operation::CreateUser).writes && !route(Operation::ListUsers).writes);
    }

    /// What the server decided by operation name before the route table said it (the oracle
    /// the table's facts must reproduce): `Some(true)` InvalidClientTokenId, `Some(false)`
    /// AccessDenied.
    fn refusal_by_name(op: Operation, kind: SessionKind) -> Option<bool> {
        let name = op.name();
        if name == "GetCallerIdentity" {
            return None;
        }
        if name == "GetSessionToken" || name == "GetFederationToken" {
            return Some(false);
        }
        let iam = op.info().service == Service::Iam;
        match kind {
            SessionKind::Federated => Some(iam),
            SessionKind::Token { mfa } => match iam {
                true => (!mfa).then_some(true),
                false => (name != "AssumeRole").then_some(false),
            },
            SessionKind::Role => None,
        }
    }

    #[test]
    fn session_restrictions_come_from_the_table_as_they_came_from_names() {
        let kinds = [
            SessionKind::Role,
            SessionKind::Federated,
            SessionKind::Token { mfa: false },
            SessionKind::Token { mfa: true },
        ];
        for op in Operation::all() {
            for kind in kinds {
                let by_table = refusal(route(op).rule.sessions, op.info().service, kind)
                    .map(|r| r == Refusal::InvalidToken);
                assert_eq!(by_table, refusal_by_name(op, kind), "{op:?} {kind:?}");
            }
        }
    }

    #[test]
    fn policy_arn_key_is_filled_where_it_was_by_name() {
        for op in Operation::all() {
            let declared = route(op)
                .rule
                .needs(Extra::Key("iam:PolicyARN", "PolicyArn"));
            let by_name = (op.name().starts_with("Attach") || op.name().starts_with("Detach"))
                && op.info().params.iter().any(|p| p.name == "PolicyArn");
            assert_eq!(declared, by_name, "{op:?}");
        }
    }

    #[test]
    fn special_decisions_are_the_operations_they_were_by_name() {
        for op in Operation::all() {
            let resource = route(op).rule.resource;
            assert_eq!(
                resource == Resource::Trust,
                op == Operation::AssumeRole,
                "{op:?}"
            );
            assert_eq!(
                resource == Resource::CallerMfa,
                op == Operation::GetSessionToken,
                "{op:?}"
            );
            assert_eq!(
                resource == Resource::WebIdentity,
                op == Operation::AssumeRoleWithWebIdentity,
                "{op:?}"
            );
        }
    }
}
