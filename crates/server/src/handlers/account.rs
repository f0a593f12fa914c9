//! The account: aliases and GetAccountSummary.

use crate::handlers::pager::{PageArgs, page_of, truncation};
use crate::handlers::{Ctx, iam_error, store_failure};
use portcullis_core::iam::account::{check_alias, create_alias, delete_alias};
use portcullis_policy::{
    GROUP_INLINE_MAX, MANAGED_POLICY_MAX, ROLE_INLINE_MAX, TRUST_POLICY_DEFAULT_MAX,
    USER_INLINE_MAX,
};
use portcullis_proto::AwsError;
use portcullis_proto::input::{CreateAccountAliasInput, DeleteAccountAliasInput};
use portcullis_proto::output::{Entries, GetAccountSummaryOutput, ListAccountAliasesOutput};

pub fn create_account_alias(ctx: &Ctx) -> Result<(), AwsError> {
    let alias = ctx
        .input::<CreateAccountAliasInput>()?
        .account_alias
        .as_str();
    check_alias(alias).map_err(iam_error)?;
    let account = ctx.account()?;
    crate::handlers::write(ctx, |tx| create_alias(tx, account, alias))
}

pub fn delete_account_alias(ctx: &Ctx) -> Result<(), AwsError> {
    let alias = ctx
        .input::<DeleteAccountAliasInput>()?
        .account_alias
        .as_str();
    let account = ctx.account()?;
    crate::handlers::write(ctx, |tx| delete_alias(tx, account, alias))
}

pub fn list_account_aliases(ctx: &Ctx) -> Result<ListAccountAliasesOutput, AwsError> {
    let aliases = ctx
        .app
        .store
        .account_aliases(ctx.account()?)
        .map_err(store_failure)?;
    let (page, next) = page_of(aliases, &PageArgs::from(ctx)?)?;
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok(ListAccountAliasesOutput {
        account_aliases: page,
        is_truncated,
        marker,
    })
}

pub fn get_account_summary(ctx: &Ctx) -> Result<GetAccountSummaryOutput, AwsError> {
    let c = ctx
        .app
        .store
        .account_counts(ctx.account()?)
        .map_err(store_failure)?;
    let (mfa_devices, mfa_in_use) = ctx
        .app
        .store
        .mfa_device_counts(ctx.account()?)
        .map_err(store_failure)?;
    let s = &ctx.app.settings.quotas;
    let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    let entries: Vec<(&str, i64)> = vec![
        ("Users", n(c.users)),
        ("UsersQuota", n(s.users_per_account)),
        ("Groups", n(c.groups)),
        ("GroupsQuota", n(s.groups_per_account)),
        ("Roles", n(c.roles)),
        ("RolesQuota", n(s.roles_per_account)),
        ("Policies", n(c.policies)),
        (
            "PoliciesQuota",
            n(crate::handlers::managed_policies::MAX_POLICIES),
        ),
        ("PolicyVersionsInUse", n(c.policy_versions)),
        ("PolicyVersionsInUseQuota", 10_000),
        (
            "VersionsPerPolicyQuota",
            n(crate::handlers::managed_policies::MAX_VERSIONS),
        ),
        ("PolicySizeQuota", n(MANAGED_POLICY_MAX)),
        ("UserPolicySizeQuota", n(USER_INLINE_MAX)),
        ("GroupPolicySizeQuota", n(GROUP_INLINE_MAX)),
        ("RolePolicySizeQuota", n(ROLE_INLINE_MAX)),
        ("AssumeRolePolicySizeQuota", n(TRUST_POLICY_DEFAULT_MAX)),
        ("GroupsPerUserQuota", n(s.groups_per_user)),
        (
            "AttachedPoliciesPerUserQuota",
            n(s.attached_policies_per_principal),
        ),
        (
            "AttachedPoliciesPerGroupQuota",
            n(s.attached_policies_per_principal),
        ),
        (
            "AttachedPoliciesPerRoleQuota",
            n(s.attached_policies_per_principal),
        ),
        ("AccessKeysPerUserQuota", n(s.access_keys_per_user)),
        (
            "SigningCertificatesPerUserQuota",
            n(crate::handlers::signing_certificates::MAX_PER_USER),
        ),
        ("ServerCertificates", n(c.server_certificates)),
        (
            "ServerCertificatesQuota",
            n(crate::handlers::server_certificates::MAX_PER_ACCOUNT),
        ),
        ("InstanceProfiles", n(c.instance_profiles)),
        (
            "InstanceProfilesQuota",
            n(crate::handlers::instance_profiles::MAX_INSTANCE_PROFILES),
        ),
        ("Providers", n(c.providers)),
        ("MFADevices", n(mfa_devices)),
        ("MFADevicesInUse", n(mfa_in_use)),
        ("AccountMFAEnabled", 0),
        (
            "AccountAccessKeysPresent",
            i64::from(c.root_access_keys > 0),
        ),
        ("AccountPasswordPresent", 0),
        (
            "AccountSigningCertificatesPresent",
            i64::from(c.root_signing_certificates > 0),
        ),
        (
            "GlobalEndpointTokenVersion",
            crate::handlers::account_settings::sts_token_version(ctx)?,
        ),
    ];
    Ok(GetAccountSummaryOutput {
        summary_map: Some(Entries(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )),
    })
}
