//! Operation handlers, one file per area, and the dispatch table. The match below names every
//! operation of AWS's models, so a new operation without a handler does not compile.

pub mod access_keys;
pub mod groups;
pub mod inline_policies;
pub mod last_used;
pub mod managed_policies;
pub mod pager;
pub mod roles;
pub mod sts;
pub mod tagging;
pub mod users;

use crate::app::App;
use crate::auth::Caller;
use chrono::{DateTime, Utc};
use inline_policies::Owner;
use portcullis_core::StoreError;
use portcullis_proto::{AwsError, Operation, Params};
use std::sync::Arc;

/// The inner XML of the `{Op}Result` element.
pub type HandlerResult = Result<String, AwsError>;

/// Everything a handler may use.
#[derive(Debug)]
pub struct Ctx {
    pub app: Arc<App>,
    pub caller: Option<Caller>,
    pub params: Params,
    pub now: DateTime<Utc>,
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

/// A storage failure the caller cannot fix: logged, answered as ServiceFailure.
pub fn store_failure(e: StoreError) -> AwsError {
    tracing::error!(error = %e, "store failure");
    AwsError::internal()
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

fn not_implemented(op: Operation) -> HandlerResult {
    Err(AwsError::not_implemented(op.name()))
}

pub fn dispatch(op: Operation, ctx: &Ctx) -> HandlerResult {
    match op {
        Operation::CreateRole => roles::create_role(ctx),
        Operation::GetRole => roles::get_role(ctx),
        Operation::UpdateRole => roles::update_role(ctx),
        Operation::UpdateRoleDescription => roles::update_role_description(ctx),
        Operation::UpdateAssumeRolePolicy => roles::update_assume_role_policy(ctx),
        Operation::DeleteRole => roles::delete_role(ctx),
        Operation::ListRoles => roles::list_roles(ctx),
        Operation::TagRole => roles::tag_role(ctx),
        Operation::UntagRole => roles::untag_role(ctx),
        Operation::ListRoleTags => roles::list_role_tags(ctx),
        Operation::PutRolePermissionsBoundary => roles::put_role_permissions_boundary(ctx),
        Operation::DeleteRolePermissionsBoundary => roles::delete_role_permissions_boundary(ctx),
        Operation::PutRolePolicy => inline_policies::put(ctx, Owner::Role),
        Operation::GetRolePolicy => inline_policies::get(ctx, Owner::Role),
        Operation::DeleteRolePolicy => inline_policies::delete(ctx, Owner::Role),
        Operation::ListRolePolicies => inline_policies::list(ctx, Owner::Role),
        Operation::AttachRolePolicy => managed_policies::attach(ctx, Owner::Role),
        Operation::DetachRolePolicy => managed_policies::detach(ctx, Owner::Role),
        Operation::ListAttachedRolePolicies => managed_policies::list_attached(ctx, Owner::Role),
        Operation::CreatePolicy => managed_policies::create_policy(ctx),
        Operation::GetPolicy => managed_policies::get_policy(ctx),
        Operation::DeletePolicy => managed_policies::delete_policy(ctx),
        Operation::ListPolicies => managed_policies::list_policies(ctx),
        Operation::CreatePolicyVersion => managed_policies::create_policy_version(ctx),
        Operation::GetPolicyVersion => managed_policies::get_policy_version(ctx),
        Operation::ListPolicyVersions => managed_policies::list_policy_versions(ctx),
        Operation::DeletePolicyVersion => managed_policies::delete_policy_version(ctx),
        Operation::SetDefaultPolicyVersion => managed_policies::set_default_policy_version(ctx),
        Operation::AttachUserPolicy => managed_policies::attach(ctx, Owner::User),
        Operation::DetachUserPolicy => managed_policies::detach(ctx, Owner::User),
        Operation::ListAttachedUserPolicies => managed_policies::list_attached(ctx, Owner::User),
        Operation::AttachGroupPolicy => managed_policies::attach(ctx, Owner::Group),
        Operation::DetachGroupPolicy => managed_policies::detach(ctx, Owner::Group),
        Operation::ListAttachedGroupPolicies => managed_policies::list_attached(ctx, Owner::Group),
        Operation::PutUserPermissionsBoundary => {
            managed_policies::put_user_permissions_boundary(ctx)
        }
        Operation::DeleteUserPermissionsBoundary => {
            managed_policies::delete_user_permissions_boundary(ctx)
        }
        Operation::PutUserPolicy => inline_policies::put(ctx, Owner::User),
        Operation::GetUserPolicy => inline_policies::get(ctx, Owner::User),
        Operation::DeleteUserPolicy => inline_policies::delete(ctx, Owner::User),
        Operation::ListUserPolicies => inline_policies::list(ctx, Owner::User),
        Operation::PutGroupPolicy => inline_policies::put(ctx, Owner::Group),
        Operation::GetGroupPolicy => inline_policies::get(ctx, Owner::Group),
        Operation::DeleteGroupPolicy => inline_policies::delete(ctx, Owner::Group),
        Operation::ListGroupPolicies => inline_policies::list(ctx, Owner::Group),
        Operation::CreateGroup => groups::create_group(ctx),
        Operation::GetGroup => groups::get_group(ctx),
        Operation::UpdateGroup => groups::update_group(ctx),
        Operation::DeleteGroup => groups::delete_group(ctx),
        Operation::ListGroups => groups::list_groups(ctx),
        Operation::AddUserToGroup => groups::add_user_to_group(ctx),
        Operation::RemoveUserFromGroup => groups::remove_user_from_group(ctx),
        Operation::ListGroupsForUser => groups::list_groups_for_user(ctx),
        Operation::CreateUser => users::create_user(ctx),
        Operation::GetUser => users::get_user(ctx),
        Operation::UpdateUser => users::update_user(ctx),
        Operation::DeleteUser => users::delete_user(ctx),
        Operation::ListUsers => users::list_users(ctx),
        Operation::TagUser => users::tag_user(ctx),
        Operation::UntagUser => users::untag_user(ctx),
        Operation::ListUserTags => users::list_user_tags(ctx),
        Operation::CreateAccessKey => access_keys::create_access_key(ctx),
        Operation::ListAccessKeys => access_keys::list_access_keys(ctx),
        Operation::UpdateAccessKey => access_keys::update_access_key(ctx),
        Operation::DeleteAccessKey => access_keys::delete_access_key(ctx),
        Operation::GetAccessKeyLastUsed => access_keys::get_access_key_last_used(ctx),
        Operation::GetCallerIdentity => sts::get_caller_identity(ctx),
        Operation::AcceptDelegationRequest
        | Operation::AcquireRole
        | Operation::AddClientIDToOpenIDConnectProvider
        | Operation::AddRoleToInstanceProfile
        | Operation::AssociateDelegationRequest
        | Operation::ChangePassword
        | Operation::CreateAccountAlias
        | Operation::CreateDelegationRequest
        | Operation::CreateInstanceProfile
        | Operation::CreateLoginProfile
        | Operation::CreateOpenIDConnectProvider
        | Operation::CreateSAMLProvider
        | Operation::CreateServiceLinkedRole
        | Operation::CreateServiceSpecificCredential
        | Operation::CreateVirtualMFADevice
        | Operation::DeactivateMFADevice
        | Operation::DeleteAccountAlias
        | Operation::DeleteAccountPasswordPolicy
        | Operation::DeleteInstanceProfile
        | Operation::DeleteLoginProfile
        | Operation::DeleteOpenIDConnectProvider
        | Operation::DeleteSAMLProvider
        | Operation::DeleteSSHPublicKey
        | Operation::DeleteServerCertificate
        | Operation::DeleteServiceLinkedRole
        | Operation::DeleteServiceSpecificCredential
        | Operation::DeleteSigningCertificate
        | Operation::DeleteVirtualMFADevice
        | Operation::DisableOrganizationsRootCredentialsManagement
        | Operation::DisableOrganizationsRootSessions
        | Operation::DisableOutboundWebIdentityFederation
        | Operation::EnableMFADevice
        | Operation::EnableOrganizationsRootCredentialsManagement
        | Operation::EnableOrganizationsRootSessions
        | Operation::EnableOutboundWebIdentityFederation
        | Operation::GenerateCredentialReport
        | Operation::GenerateOrganizationsAccessReport
        | Operation::GenerateServiceLastAccessedDetails
        | Operation::GetAccountAuthorizationDetails
        | Operation::GetAccountPasswordPolicy
        | Operation::GetAccountProperties
        | Operation::GetAccountSummary
        | Operation::GetContextKeysForCustomPolicy
        | Operation::GetContextKeysForPrincipalPolicy
        | Operation::GetCredentialReport
        | Operation::GetDelegationRequest
        | Operation::GetHumanReadableSummary
        | Operation::GetInstanceProfile
        | Operation::GetLoginProfile
        | Operation::GetMFADevice
        | Operation::GetOpenIDConnectProvider
        | Operation::GetOrganizationsAccessReport
        | Operation::GetOutboundWebIdentityFederationInfo
        | Operation::GetRoleTemplateVersion
        | Operation::GetSAMLProvider
        | Operation::GetSSHPublicKey
        | Operation::GetServerCertificate
        | Operation::GetServiceLastAccessedDetails
        | Operation::GetServiceLastAccessedDetailsWithEntities
        | Operation::GetServiceLinkedRoleDeletionStatus
        | Operation::ListAccountAliases
        | Operation::ListDelegationRequests
        | Operation::ListEntitiesForPolicy
        | Operation::ListInstanceProfileTags
        | Operation::ListInstanceProfiles
        | Operation::ListInstanceProfilesForRole
        | Operation::ListMFADeviceTags
        | Operation::ListMFADevices
        | Operation::ListOpenIDConnectProviderTags
        | Operation::ListOpenIDConnectProviders
        | Operation::ListOrganizationsFeatures
        | Operation::ListPoliciesGrantingServiceAccess
        | Operation::ListPolicyTags
        | Operation::ListSAMLProviderTags
        | Operation::ListSAMLProviders
        | Operation::ListSSHPublicKeys
        | Operation::ListServerCertificateTags
        | Operation::ListServerCertificates
        | Operation::ListServiceSpecificCredentials
        | Operation::ListSigningCertificates
        | Operation::ListVirtualMFADevices
        | Operation::PutAccountProperties
        | Operation::RejectDelegationRequest
        | Operation::RemoveClientIDFromOpenIDConnectProvider
        | Operation::RemoveRoleFromInstanceProfile
        | Operation::ResetServiceSpecificCredential
        | Operation::ResyncMFADevice
        | Operation::SendDelegationToken
        | Operation::SetSecurityTokenServicePreferences
        | Operation::SimulateCustomPolicy
        | Operation::SimulatePrincipalPolicy
        | Operation::TagInstanceProfile
        | Operation::TagMFADevice
        | Operation::TagOpenIDConnectProvider
        | Operation::TagPolicy
        | Operation::TagSAMLProvider
        | Operation::TagServerCertificate
        | Operation::UntagInstanceProfile
        | Operation::UntagMFADevice
        | Operation::UntagOpenIDConnectProvider
        | Operation::UntagPolicy
        | Operation::UntagSAMLProvider
        | Operation::UntagServerCertificate
        | Operation::UpdateAccountPasswordPolicy
        | Operation::UpdateDelegationRequest
        | Operation::UpdateLoginProfile
        | Operation::UpdateOpenIDConnectProvider
        | Operation::UpdateOpenIDConnectProviderThumbprint
        | Operation::UpdateSAMLProvider
        | Operation::UpdateSSHPublicKey
        | Operation::UpdateServerCertificate
        | Operation::UpdateServiceSpecificCredential
        | Operation::UpdateSigningCertificate
        | Operation::UploadSSHPublicKey
        | Operation::UploadServerCertificate
        | Operation::UploadSigningCertificate
        | Operation::AssumeRole
        | Operation::AssumeRoleWithSAML
        | Operation::AssumeRoleWithWebIdentity
        | Operation::AssumeRoot
        | Operation::DecodeAuthorizationMessage
        | Operation::GetAccessKeyInfo
        | Operation::GetDelegatedAccessToken
        | Operation::GetFederationToken
        | Operation::GetScopedCredentials
        | Operation::GetSessionToken
        | Operation::GetWebIdentityToken => not_implemented(op),
    }
}
