//! Unit tests of the wording of the entities found by id or ARN and of the refusals the server's
//! handlers worded until they moved to core: each must read exactly as AWS's message.

use super::*;

#[test]
fn entities_found_by_id_and_arn() {
    let cases = [
        (
            EntityKind::AccessKey,
            "AKIA1",
            "The Access Key with id AKIA1 cannot be found.",
        ),
        (
            EntityKind::SigningCertificate,
            "C1",
            "The Certificate with id C1 cannot be found.",
        ),
        (
            EntityKind::SshPublicKey,
            "APKA1",
            "The Public Key with id APKA1 cannot be found.",
        ),
        (
            EntityKind::ServiceSpecificCredential,
            "ACCA1",
            "No such credential ACCA1 exists",
        ),
        (EntityKind::ReportJob, "j-1", "No job found with ID j-1."),
        (
            EntityKind::Entity,
            "arn:x",
            "The entity arn:x cannot be found.",
        ),
        (
            EntityKind::AttachablePolicy,
            "arn:p",
            "Policy arn:p does not exist or is not attachable.",
        ),
        (EntityKind::Policy, "arn:p", "Policy arn:p was not found."),
    ];
    for (kind, name, message) in cases {
        assert_eq!(
            IamError::no_such(kind, name).to_string(),
            message,
            "{kind:?}"
        );
    }
}

#[test]
fn moved_refusals_keep_aws_words() {
    let cases = [
        (
            IamError::NoSuchInlinePolicy {
                name: "p".into(),
                owner: "bob".into(),
            },
            "The policy with name p cannot be found for bob.",
        ),
        (
            IamError::RoleNotInInstanceProfile {
                role: "r".into(),
                profile: "ip".into(),
            },
            "The role with name r cannot be found in instance profile ip.",
        ),
        (
            IamError::AwsManagedPolicy("arn:aws:iam::aws:policy/X".into()),
            "Policy arn:aws:iam::aws:policy/X is an AWS managed policy and cannot be changed.",
        ),
        (
            IamError::InvalidMfaCodes,
            "Authentication code for device is not valid.",
        ),
        (
            IamError::MfaDeviceNotAssigned("arn:mfa".into()),
            "MFA Device with serial number arn:mfa is not assigned to the user.",
        ),
        (
            IamError::NotImplemented("GetTrustBundles".into()),
            "The operation GetTrustBundles is not implemented by Portcullis yet.",
        ),
        (
            IamError::NoOrganization,
            "The request was rejected because no organization is associated with your account.",
        ),
        (
            IamError::Tag(TagError::Reserved),
            "Tag keys starting with 'aws:' are reserved for internal use and cannot be used.",
        ),
        (
            IamError::Certificate(CertError::Expired),
            "The certificate has expired.",
        ),
        (
            IamError::SshKey(SshKeyError::Unrecognized),
            "The public key encoding format is unsupported or unrecognized.",
        ),
        (
            IamError::UserNameRequired,
            "Must specify userName when calling with non-User credentials",
        ),
    ];
    for (e, message) in cases {
        assert_eq!(e.to_string(), message, "{e:?}");
    }
}
