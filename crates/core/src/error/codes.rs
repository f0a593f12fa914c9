//! Unit tests of [`IamError::code`] for the refusals that moved from the server's handlers to
//! core: each keeps the AWS error code and HTTP status the handler answered before (their words
//! are tested in `wording.rs`).

use super::*;

fn code_and_status(e: IamError) -> (String, u16) {
    (e.code().as_str().to_string(), e.code().status())
}

#[test]
fn moved_refusals_keep_their_codes_and_statuses() {
    let s = String::new;
    let cases = [
        (IamError::InvalidArn(s()), "InvalidInput", 400),
        (IamError::InvalidMarker, "InvalidInput", 400),
        (IamError::UnreadableMarker, "ValidationError", 400),
        (IamError::InvalidAccountAlias(s()), "ValidationError", 400),
        (IamError::NumericAccountAlias, "InvalidInput", 400),
        (
            IamError::InvalidEntityFilter {
                bad: s(),
                allowed: s(),
            },
            "ValidationError",
            400,
        ),
        (IamError::ReportInProgress, "ReportInProgress", 404),
        (IamError::ReportNotPresent, "ReportNotPresent", 410),
        (IamError::ReportExpired, "ReportExpired", 410),
        (IamError::NotPartnerAccount, "InvalidInput", 400),
        (IamError::SummaryNotAvailable, "InvalidInput", 400),
        (
            IamError::NoSuchInlinePolicy {
                name: s(),
                owner: s(),
            },
            "NoSuchEntity",
            404,
        ),
        (
            IamError::RoleNotInInstanceProfile {
                role: s(),
                profile: s(),
            },
            "NoSuchEntity",
            404,
        ),
        (IamError::AwsManagedPolicy(s()), "UnmodifiableEntity", 400),
        (IamError::InvalidMfaCodes, "InvalidAuthenticationCode", 403),
        (IamError::MfaDeviceNotAssigned(s()), "NoSuchEntity", 404),
        (IamError::MfaDeviceInUse, "EntityAlreadyExists", 409),
        (IamError::NotImplemented(s()), "NotImplemented", 501),
        (IamError::NoPropagationChange, "InvalidInput", 400),
        (
            IamError::NoOrganization,
            "OrganizationNotFoundException",
            400,
        ),
        (IamError::InvalidKeyStatus, "ValidationError", 400),
        (
            IamError::UnsupportedCredentialService(s()),
            "NoSuchEntity",
            404,
        ),
        (
            IamError::CredentialAgeNotSupported(s()),
            "InvalidInput",
            400,
        ),
        (
            IamError::Certificate(CertError::Mismatch),
            "KeyPairMismatch",
            400,
        ),
        (
            IamError::Certificate(CertError::Chain(1)),
            "MalformedCertificate",
            400,
        ),
        (
            IamError::Certificate(CertError::PrivateKey),
            "MalformedCertificate",
            400,
        ),
        (
            IamError::SshKey(SshKeyError::Unrecognized),
            "UnrecognizedPublicKeyEncoding",
            400,
        ),
        (
            IamError::SshKey(SshKeyError::Invalid("x")),
            "InvalidPublicKey",
            400,
        ),
        (
            IamError::Tag(TagError::Invalid(vec![s()])),
            "ValidationError",
            400,
        ),
        (IamError::Tag(TagError::Reserved), "InvalidInput", 400),
        (IamError::Tag(TagError::Duplicate), "InvalidInput", 400),
        (
            IamError::InvalidSimulationPolicy {
                id: s(),
                reason: s(),
            },
            "InvalidInput",
            400,
        ),
        (IamError::ContextKeyNameMissing, "InvalidInput", 400),
        (IamError::InvalidCallerArn(s()), "InvalidInput", 400),
        (IamError::CallerArnRequired, "InvalidInput", 400),
        (IamError::UserNameRequired, "ValidationError", 400),
    ];
    for (e, code, status) in cases {
        let what = format!("{e:?}");
        assert_eq!(code_and_status(e), (code.to_string(), status), "{what}");
    }
    for kind in [
        EntityKind::AccessKey,
        EntityKind::SigningCertificate,
        EntityKind::SshPublicKey,
        EntityKind::ServiceSpecificCredential,
        EntityKind::ReportJob,
        EntityKind::DelegationRequest,
        EntityKind::DelegationRequestArn,
        EntityKind::RoleTemplate,
        EntityKind::Entity,
        EntityKind::AttachablePolicy,
        EntityKind::PolicySource,
    ] {
        let e = IamError::no_such(kind, "x");
        assert_eq!(
            code_and_status(e),
            ("NoSuchEntity".to_string(), 404),
            "{kind:?}"
        );
    }
}

#[test]
fn tag_constraints_read_as_one_validation_error() {
    let one = IamError::Tag(TagError::Invalid(vec!["a".into()]));
    assert_eq!(one.to_string(), "1 validation error detected: a");
    let two = IamError::Tag(TagError::Invalid(vec!["a".into(), "b".into()]));
    assert_eq!(two.to_string(), "2 validation errors detected: a; b");
}
