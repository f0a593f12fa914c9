//! Operation handlers, one file per area, and the dispatch table. The match below names every
//! operation of AWS's models, so a new operation without a handler does not compile.

pub mod access_advisor;
pub mod access_keys;
pub mod access_sources;
pub mod account;
pub mod account_settings;
pub mod authorization_details;
#[cfg(test)]
mod coverage;
pub mod credential_report;
pub mod delegation;
pub mod groups;
pub mod inline_policies;
pub mod instance_profiles;
pub mod managed_policies;
pub mod mfa_devices;
pub mod not_implemented;
pub mod oidc_propagation;
pub mod oidc_providers;
pub mod organizations;
pub mod owner;
pub mod pager;
pub mod passwords;
pub mod propagation;
pub mod providers;
pub mod report_jobs;
pub mod roles;
pub mod saml_providers;
pub mod server_certificates;
pub mod service_credentials;
pub mod service_linked_roles;
pub mod signing_certificates;
pub mod simulate;
pub mod ssh_public_keys;
pub mod sts;
pub mod sts_unavailable;
pub mod tagging;
pub mod users;
pub mod web_identity;

use crate::app::App;
use crate::auth::Caller;
use chrono::{DateTime, Utc};
use inline_policies::Owner;
use portcullis_core::IamError;
use portcullis_proto::{AwsError, Operation, Params};
use std::sync::Arc;

/// The inner XML of the `{Op}Result` element.
pub type HandlerResult = Result<String, AwsError>;

/// One operation's handler.
pub type Handler = fn(&Ctx) -> HandlerResult;

/// Everything a handler may use.
#[derive(Debug)]
pub struct Ctx {
    pub app: Arc<App>,
    /// The operation being served.
    pub op: Operation,
    pub caller: Option<Caller>,
    pub params: Params,
    pub now: DateTime<Utc>,
    /// The request's audit record, to commit with the change (see [`write`]).
    pub audit: Option<std::sync::Arc<crate::audit::Outboxed>>,
}

impl Ctx {
    pub fn caller(&self) -> Result<&Caller, AwsError> {
        self.caller
            .as_ref()
            .ok_or_else(AwsError::missing_authentication_token)
    }

    /// The caller's account.
    pub fn account(&self) -> Result<&str, AwsError> {
        Ok(self.caller()?.principal.account())
    }

    /// A parameter the model marks required (validation has already rejected its absence).
    pub fn required(&self, name: &str) -> &str {
        self.params.get(name).unwrap_or_default()
    }
}

/// A user-scoped operation called without `UserName` by a role session or federated user.
pub fn user_name_required() -> AwsError {
    AwsError::validation("Must specify userName when calling with non-User credentials")
}

pub use crate::failure::store_failure;

/// A refusal of core's domain services as AWS's error: the one place IamError meets the wire.
pub fn iam_error(e: IamError) -> AwsError {
    match e {
        IamError::NoSuchEntity { .. } => AwsError::no_such_entity(e.to_string()),
        IamError::EntityAlreadyExists { .. } | IamError::MfaDeviceInUse => {
            AwsError::already_exists(e.to_string())
        }
        IamError::LimitExceeded { .. }
        | IamError::PolicyVersionsExceeded { .. }
        | IamError::TooManyTags
        | IamError::InlinePoliciesTooLarge { .. } => AwsError::limit_exceeded(e.to_string()),
        IamError::DeleteConflict(_) => AwsError::delete_conflict(e.to_string()),
        IamError::InvalidInput(m) => AwsError::invalid_input(m),
        IamError::DuplicateSshPublicKey => {
            AwsError::new("DuplicateSSHPublicKey", 400, e.to_string())
        }
        IamError::DuplicateCertificate => AwsError::new("DuplicateCertificate", 409, e.to_string()),
        IamError::Store(s) => store_failure(s),
    }
}

/// Runs a core service in one write transaction of the store; its refusals become AWS errors.
pub fn write<T>(
    ctx: &Ctx,
    f: impl FnMut(&dyn portcullis_core::store::Tx) -> portcullis_core::IamResult<T>,
) -> Result<T, AwsError> {
    write_iam(ctx, f).map_err(iam_error)
}

/// [`write`] with core's error, for handlers that word some errors themselves. The request's
/// audit record (when the trail keeps one in the store) commits in the same transaction.
pub fn write_iam<T>(
    ctx: &Ctx,
    mut f: impl FnMut(&dyn portcullis_core::store::Tx) -> portcullis_core::IamResult<T>,
) -> portcullis_core::IamResult<T> {
    portcullis_core::store::write(&*ctx.app.store, |tx| {
        let out = f(tx)?;
        if let Some(record) = &ctx.audit {
            record.put(tx)?;
        }
        Ok(out)
    })
}

/// A policy document the policy engine refused, as AWS reports it.
pub fn policy_error(e: &portcullis_policy::PolicyError) -> AwsError {
    use portcullis_policy::ErrorCode;
    let status = match e.code() {
        ErrorCode::LimitExceeded => 409,
        ErrorCode::MalformedPolicyDocument
        | ErrorCode::PackedPolicyTooLarge
        | ErrorCode::ValidationError => 400,
    };
    AwsError::new(e.code().as_str(), status, e.message())
}

/// An operation's handler. The match names every operation of AWS's models, so a new one
/// cannot be forgotten.
pub fn handler(op: Operation) -> Handler {
    match op {
        Operation::CreateAccountAlias => account::create_account_alias,
        Operation::DeleteAccountAlias => account::delete_account_alias,
        Operation::ListAccountAliases => account::list_account_aliases,
        Operation::GetAccountSummary => account::get_account_summary,
        Operation::GetAccountAuthorizationDetails => {
            authorization_details::get_account_authorization_details
        }
        Operation::TagPolicy => managed_policies::tag_policy,
        Operation::UntagPolicy => managed_policies::untag_policy,
        Operation::ListPolicyTags => managed_policies::list_policy_tags,
        Operation::ListEntitiesForPolicy => managed_policies::list_entities_for_policy,
        Operation::CreateRole => roles::create_role,
        Operation::GetRole => roles::get_role,
        Operation::UpdateRole => roles::update_role,
        Operation::UpdateRoleDescription => roles::update_role_description,
        Operation::UpdateAssumeRolePolicy => roles::update_assume_role_policy,
        Operation::DeleteRole => roles::delete_role,
        Operation::CreateServiceLinkedRole => service_linked_roles::create_service_linked_role,
        Operation::DeleteServiceLinkedRole => service_linked_roles::delete_service_linked_role,
        Operation::GetServiceLinkedRoleDeletionStatus => {
            service_linked_roles::get_service_linked_role_deletion_status
        }
        Operation::ListRoles => roles::list_roles,
        Operation::TagRole => roles::tag_role,
        Operation::UntagRole => roles::untag_role,
        Operation::ListRoleTags => roles::list_role_tags,
        Operation::PutRolePermissionsBoundary => roles::put_role_permissions_boundary,
        Operation::DeleteRolePermissionsBoundary => roles::delete_role_permissions_boundary,
        Operation::PutRolePolicy => |ctx| inline_policies::put(ctx, Owner::Role),
        Operation::GetRolePolicy => |ctx| inline_policies::get(ctx, Owner::Role),
        Operation::DeleteRolePolicy => |ctx| inline_policies::delete(ctx, Owner::Role),
        Operation::ListRolePolicies => |ctx| inline_policies::list(ctx, Owner::Role),
        Operation::AttachRolePolicy => |ctx| managed_policies::attach(ctx, Owner::Role),
        Operation::DetachRolePolicy => |ctx| managed_policies::detach(ctx, Owner::Role),
        Operation::ListAttachedRolePolicies => {
            |ctx| managed_policies::list_attached(ctx, Owner::Role)
        }
        Operation::CreatePolicy => managed_policies::create_policy,
        Operation::GetPolicy => managed_policies::get_policy,
        Operation::DeletePolicy => managed_policies::delete_policy,
        Operation::ListPolicies => managed_policies::list_policies,
        Operation::CreatePolicyVersion => managed_policies::create_policy_version,
        Operation::GetPolicyVersion => managed_policies::get_policy_version,
        Operation::ListPolicyVersions => managed_policies::list_policy_versions,
        Operation::DeletePolicyVersion => managed_policies::delete_policy_version,
        Operation::SetDefaultPolicyVersion => managed_policies::set_default_policy_version,
        Operation::AttachUserPolicy => |ctx| managed_policies::attach(ctx, Owner::User),
        Operation::DetachUserPolicy => |ctx| managed_policies::detach(ctx, Owner::User),
        Operation::ListAttachedUserPolicies => {
            |ctx| managed_policies::list_attached(ctx, Owner::User)
        }
        Operation::AttachGroupPolicy => |ctx| managed_policies::attach(ctx, Owner::Group),
        Operation::DetachGroupPolicy => |ctx| managed_policies::detach(ctx, Owner::Group),
        Operation::ListAttachedGroupPolicies => {
            |ctx| managed_policies::list_attached(ctx, Owner::Group)
        }
        Operation::PutUserPermissionsBoundary => managed_policies::put_user_permissions_boundary,
        Operation::DeleteUserPermissionsBoundary => {
            managed_policies::delete_user_permissions_boundary
        }
        Operation::PutUserPolicy => |ctx| inline_policies::put(ctx, Owner::User),
        Operation::GetUserPolicy => |ctx| inline_policies::get(ctx, Owner::User),
        Operation::DeleteUserPolicy => |ctx| inline_policies::delete(ctx, Owner::User),
        Operation::ListUserPolicies => |ctx| inline_policies::list(ctx, Owner::User),
        Operation::PutGroupPolicy => |ctx| inline_policies::put(ctx, Owner::Group),
        Operation::GetGroupPolicy => |ctx| inline_policies::get(ctx, Owner::Group),
        Operation::DeleteGroupPolicy => |ctx| inline_policies::delete(ctx, Owner::Group),
        Operation::ListGroupPolicies => |ctx| inline_policies::list(ctx, Owner::Group),
        Operation::CreateGroup => groups::create_group,
        Operation::GetGroup => groups::get_group,
        Operation::UpdateGroup => groups::update_group,
        Operation::DeleteGroup => groups::delete_group,
        Operation::ListGroups => groups::list_groups,
        Operation::AddUserToGroup => groups::add_user_to_group,
        Operation::RemoveUserFromGroup => groups::remove_user_from_group,
        Operation::ListGroupsForUser => groups::list_groups_for_user,
        Operation::CreateUser => users::create_user,
        Operation::GetUser => users::get_user,
        Operation::UpdateUser => users::update_user,
        Operation::DeleteUser => users::delete_user,
        Operation::ListUsers => users::list_users,
        Operation::TagUser => users::tag_user,
        Operation::UntagUser => users::untag_user,
        Operation::ListUserTags => users::list_user_tags,
        Operation::CreateAccessKey => access_keys::create_access_key,
        Operation::ListAccessKeys => access_keys::list_access_keys,
        Operation::UpdateAccessKey => access_keys::update_access_key,
        Operation::DeleteAccessKey => access_keys::delete_access_key,
        Operation::GetAccessKeyLastUsed => access_keys::get_access_key_last_used,
        Operation::UploadSSHPublicKey => ssh_public_keys::upload_ssh_public_key,
        Operation::GetSSHPublicKey => ssh_public_keys::get_ssh_public_key,
        Operation::ListSSHPublicKeys => ssh_public_keys::list_ssh_public_keys,
        Operation::UpdateSSHPublicKey => ssh_public_keys::update_ssh_public_key,
        Operation::DeleteSSHPublicKey => ssh_public_keys::delete_ssh_public_key,
        Operation::CreateServiceSpecificCredential => {
            service_credentials::create_service_specific_credential
        }
        Operation::ListServiceSpecificCredentials => {
            service_credentials::list_service_specific_credentials
        }
        Operation::ResetServiceSpecificCredential => {
            service_credentials::reset_service_specific_credential
        }
        Operation::UpdateServiceSpecificCredential => {
            service_credentials::update_service_specific_credential
        }
        Operation::DeleteServiceSpecificCredential => {
            service_credentials::delete_service_specific_credential
        }
        Operation::UploadSigningCertificate => signing_certificates::upload_signing_certificate,
        Operation::ListSigningCertificates => signing_certificates::list_signing_certificates,
        Operation::UpdateSigningCertificate => signing_certificates::update_signing_certificate,
        Operation::DeleteSigningCertificate => signing_certificates::delete_signing_certificate,
        Operation::UploadServerCertificate => server_certificates::upload_server_certificate,
        Operation::GetServerCertificate => server_certificates::get_server_certificate,
        Operation::ListServerCertificates => server_certificates::list_server_certificates,
        Operation::UpdateServerCertificate => server_certificates::update_server_certificate,
        Operation::DeleteServerCertificate => server_certificates::delete_server_certificate,
        Operation::TagServerCertificate => server_certificates::tag_server_certificate,
        Operation::UntagServerCertificate => server_certificates::untag_server_certificate,
        Operation::ListServerCertificateTags => server_certificates::list_server_certificate_tags,
        Operation::GetCallerIdentity => sts::get_caller_identity,
        Operation::SimulateCustomPolicy => simulate::simulate_custom_policy,
        Operation::SimulatePrincipalPolicy => simulate::simulate_principal_policy,
        Operation::GetContextKeysForCustomPolicy => simulate::get_context_keys_for_custom_policy,
        Operation::GetContextKeysForPrincipalPolicy => {
            simulate::get_context_keys_for_principal_policy
        }
        Operation::AssumeRole => sts::assume_role,
        Operation::AssumeRoleWithWebIdentity => web_identity::assume_role_with_web_identity,
        Operation::AssumeRoot => sts_unavailable::assume_root,
        Operation::AssumeRoleWithSAML => sts_unavailable::assume_role_with_saml,
        Operation::GetDelegatedAccessToken => sts_unavailable::get_delegated_access_token,
        Operation::GetScopedCredentials => sts_unavailable::get_scoped_credentials,
        Operation::GetWebIdentityToken => sts_unavailable::get_web_identity_token,
        Operation::GetSessionToken => sts::get_session_token,
        Operation::GetFederationToken => sts::get_federation_token,
        Operation::GetAccessKeyInfo => sts::get_access_key_info,
        Operation::DecodeAuthorizationMessage => sts::decode_authorization_message,
        Operation::CreateInstanceProfile => instance_profiles::create_instance_profile,
        Operation::GetInstanceProfile => instance_profiles::get_instance_profile,
        Operation::DeleteInstanceProfile => instance_profiles::delete_instance_profile,
        Operation::ListInstanceProfiles => instance_profiles::list_instance_profiles,
        Operation::AddRoleToInstanceProfile => instance_profiles::add_role_to_instance_profile,
        Operation::RemoveRoleFromInstanceProfile => {
            instance_profiles::remove_role_from_instance_profile
        }
        Operation::ListInstanceProfilesForRole => {
            instance_profiles::list_instance_profiles_for_role
        }
        Operation::TagInstanceProfile => instance_profiles::tag_instance_profile,
        Operation::UntagInstanceProfile => instance_profiles::untag_instance_profile,
        Operation::ListInstanceProfileTags => instance_profiles::list_instance_profile_tags,
        Operation::CreateOpenIDConnectProvider => oidc_providers::create_open_id_connect_provider,
        Operation::GetOpenIDConnectProvider => oidc_providers::get_open_id_connect_provider,
        Operation::DeleteOpenIDConnectProvider => oidc_providers::delete_open_id_connect_provider,
        Operation::ListOpenIDConnectProviders => oidc_providers::list_open_id_connect_providers,
        Operation::UpdateOpenIDConnectProviderThumbprint => {
            oidc_providers::update_open_id_connect_provider_thumbprint
        }
        Operation::AddClientIDToOpenIDConnectProvider => {
            oidc_providers::add_client_id_to_open_id_connect_provider
        }
        Operation::RemoveClientIDFromOpenIDConnectProvider => {
            oidc_providers::remove_client_id_from_open_id_connect_provider
        }
        Operation::TagOpenIDConnectProvider => oidc_providers::tag_open_id_connect_provider,
        Operation::UntagOpenIDConnectProvider => oidc_providers::untag_open_id_connect_provider,
        Operation::ListOpenIDConnectProviderTags => {
            oidc_providers::list_open_id_connect_provider_tags
        }
        Operation::CreateSAMLProvider => saml_providers::create_saml_provider,
        Operation::GetSAMLProvider => saml_providers::get_saml_provider,
        Operation::UpdateSAMLProvider => saml_providers::update_saml_provider,
        Operation::DeleteSAMLProvider => saml_providers::delete_saml_provider,
        Operation::ListSAMLProviders => saml_providers::list_saml_providers,
        Operation::TagSAMLProvider => saml_providers::tag_saml_provider,
        Operation::UntagSAMLProvider => saml_providers::untag_saml_provider,
        Operation::ListSAMLProviderTags => saml_providers::list_saml_provider_tags,
        Operation::ListOrganizationsFeatures
        | Operation::EnableOrganizationsRootCredentialsManagement
        | Operation::DisableOrganizationsRootCredentialsManagement
        | Operation::EnableOrganizationsRootSessions
        | Operation::DisableOrganizationsRootSessions => organizations::root_access_feature,
        Operation::GenerateOrganizationsAccessReport => {
            organizations::generate_organizations_access_report
        }
        Operation::GetOrganizationsAccessReport => organizations::get_organizations_access_report,
        Operation::SetSecurityTokenServicePreferences => {
            account_settings::set_security_token_service_preferences
        }
        Operation::GetAccountProperties => account_settings::get_account_properties,
        Operation::PutAccountProperties => account_settings::put_account_properties,
        Operation::EnableOutboundWebIdentityFederation => {
            account_settings::enable_outbound_web_identity_federation
        }
        Operation::DisableOutboundWebIdentityFederation => {
            account_settings::disable_outbound_web_identity_federation
        }
        Operation::GetOutboundWebIdentityFederationInfo => {
            account_settings::get_outbound_web_identity_federation_info
        }
        Operation::AcceptDelegationRequest
        | Operation::AssociateDelegationRequest
        | Operation::RejectDelegationRequest
        | Operation::UpdateDelegationRequest
        | Operation::SendDelegationToken
        | Operation::GetDelegationRequest => delegation::delegation_request_by_id,
        Operation::ListDelegationRequests => delegation::list_delegation_requests,
        Operation::CreateDelegationRequest => delegation::create_delegation_request,
        Operation::GetHumanReadableSummary => delegation::get_human_readable_summary,
        Operation::AcquireRole | Operation::GetRoleTemplateVersion => delegation::role_template,
        Operation::GenerateServiceLastAccessedDetails => {
            access_advisor::generate_service_last_accessed_details
        }
        Operation::GetServiceLastAccessedDetails => {
            access_advisor::get_service_last_accessed_details
        }
        Operation::GetServiceLastAccessedDetailsWithEntities => {
            access_advisor::get_service_last_accessed_details_with_entities
        }
        Operation::ListPoliciesGrantingServiceAccess => {
            access_advisor::list_policies_granting_service_access
        }
        Operation::UpdateOpenIDConnectProvider => oidc_propagation::update_open_id_connect_provider,
        Operation::GenerateCredentialReport => credential_report::generate_credential_report,
        Operation::GetCredentialReport => credential_report::get_credential_report,
        Operation::CreateLoginProfile => passwords::create_login_profile,
        Operation::GetLoginProfile => passwords::get_login_profile,
        Operation::UpdateLoginProfile => passwords::update_login_profile,
        Operation::DeleteLoginProfile => passwords::delete_login_profile,
        Operation::ChangePassword => passwords::change_password,
        Operation::UpdateAccountPasswordPolicy => passwords::update_account_password_policy,
        Operation::GetAccountPasswordPolicy => passwords::get_account_password_policy,
        Operation::DeleteAccountPasswordPolicy => passwords::delete_account_password_policy,
        Operation::CreateVirtualMFADevice => mfa_devices::create_virtual_mfa_device,
        Operation::DeactivateMFADevice => mfa_devices::deactivate_mfa_device,
        Operation::DeleteVirtualMFADevice => mfa_devices::delete_virtual_mfa_device,
        Operation::EnableMFADevice => mfa_devices::enable_mfa_device,
        Operation::GetMFADevice => mfa_devices::get_mfa_device,
        Operation::ListMFADeviceTags => mfa_devices::list_mfa_device_tags,
        Operation::ListMFADevices => mfa_devices::list_mfa_devices,
        Operation::ListVirtualMFADevices => mfa_devices::list_virtual_mfa_devices,
        Operation::ResyncMFADevice => mfa_devices::resync_mfa_device,
        Operation::TagMFADevice => mfa_devices::tag_mfa_device,
        Operation::UntagMFADevice => mfa_devices::untag_mfa_device,
        Operation::CreateWorkloadIdentityProvider
        | Operation::CreateWorkloadIdentityProviderOutboundSigner
        | Operation::CreateWorkloadIdentityTemplate
        | Operation::DeleteWorkloadIdentityProvider
        | Operation::DeleteWorkloadIdentityProviderOutboundSigner
        | Operation::DeleteWorkloadIdentityProviderResourcePolicy
        | Operation::DeleteWorkloadIdentityTemplate
        | Operation::DeleteWorkloadIdentityTemplateAttestationPolicy
        | Operation::DisableOrganizationLevelResources
        | Operation::DisableWorkloadIdentityProviderOutboundSigner
        | Operation::EnableOrganizationLevelResources
        | Operation::EnableWorkloadIdentityProviderOutboundSigner
        | Operation::GetWorkloadIdentityProvider
        | Operation::GetWorkloadIdentityProviderDeletionStatus
        | Operation::GetWorkloadIdentityProviderResourcePolicy
        | Operation::GetWorkloadIdentityTemplate
        | Operation::GetWorkloadIdentityTemplateAttestationPolicy
        | Operation::ListWorkloadIdentityProviderOutboundSigners
        | Operation::ListWorkloadIdentityProviderTags
        | Operation::ListWorkloadIdentityProviders
        | Operation::ListWorkloadIdentityTemplateTags
        | Operation::ListWorkloadIdentityTemplates
        | Operation::PutWorkloadIdentityProviderResourcePolicy
        | Operation::PutWorkloadIdentityTemplateAttestationPolicy
        | Operation::TagWorkloadIdentityProvider
        | Operation::TagWorkloadIdentityTemplate
        | Operation::UntagWorkloadIdentityProvider
        | Operation::UntagWorkloadIdentityTemplate
        | Operation::UpdateWorkloadIdentityProviderOutboundSigner
        | Operation::GetCertificate
        | Operation::GetTrustBundles
        | Operation::IssueWorkloadIdentityContext => not_implemented::not_implemented,
    }
}

pub fn dispatch(op: Operation, ctx: &Ctx) -> HandlerResult {
    handler(op)(ctx)
}
