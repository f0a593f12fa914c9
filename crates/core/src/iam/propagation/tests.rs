//! Unit tests of the trusted identity propagation rules: key syntax, the subject type, the key
//! list's size, the instance ARN, and what an update may change, with AWS's wording.

use super::*;

fn subject(key: &str) -> ContextRequest<'_> {
    ContextRequest {
        subject_source_key: Some(key),
        ..ContextRequest::default()
    }
}

fn input(e: IamError) -> String {
    match e {
        IamError::InvalidInput(m) => m,
        other => panic!("not InvalidInput: {other:?}"),
    }
}

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-1234";

#[test]
fn keys_follow_the_syntax() {
    let cp = parse_context_provider(&subject("sub:id @x")).unwrap();
    assert_eq!(cp.subject_source_key, "sub:id @x");
    for bad in [
        "",
        " lead",
        "trail ",
        "two  spaces",
        "semi;colon",
        &"k".repeat(129),
    ] {
        let e = parse_context_provider(&subject(bad)).unwrap_err();
        assert_eq!(
            input(e),
            format!(
                "SubjectSourceKey {bad} is not valid: keys contain 1 to 128 ASCII letters, digits, single spaces and _ . : / = + - @ #, and do not start or end with a space."
            )
        );
    }
    assert!(parse_context_provider(&subject(&"k".repeat(128))).is_ok());
}

#[test]
fn a_subject_source_key_is_required() {
    let e = parse_context_provider(&ContextRequest::default()).unwrap_err();
    assert_eq!(
        e,
        IamError::Validation(
            "1 validation error detected: Value null at 'contextProvider.subjectSourceKey' failed to satisfy constraint: Member must not be null"
                .to_string()
        )
    );
}

#[test]
fn subject_type_is_a_value_or_a_key() {
    let both = ContextRequest {
        subject_type_value: Some("email"),
        subject_type_source_key: Some("type"),
        ..subject("sub")
    };
    assert_eq!(
        input(parse_context_provider(&both).unwrap_err()),
        "Specify either SubjectTypeValue or SubjectTypeSourceKey, not both."
    );
    let long = "v".repeat(129);
    let too_long = ContextRequest {
        subject_type_value: Some(&long),
        ..subject("sub")
    };
    assert_eq!(
        input(parse_context_provider(&too_long).unwrap_err()),
        "SubjectTypeValue must be at most 128 characters."
    );
}

#[test]
fn key_definitions_are_bounded_and_checked() {
    let key = KeyRequest {
        source_key: Some("groups"),
        target_key: Some("teams"),
    };
    let full = ContextRequest {
        keys: vec![key; MAX_KEY_DEFINITIONS],
        ..subject("sub")
    };
    let cp = parse_context_provider(&full).unwrap();
    assert_eq!(cp.keys.len(), MAX_KEY_DEFINITIONS);
    assert_eq!(cp.keys[0].target.as_deref(), Some("teams"));
    let over = ContextRequest {
        keys: vec![key; MAX_KEY_DEFINITIONS + 1],
        ..subject("sub")
    };
    assert_eq!(
        input(parse_context_provider(&over).unwrap_err()),
        format!("KeyDefinitionList must have at most {MAX_KEY_DEFINITIONS} entries.")
    );
    let bad_target = ContextRequest {
        keys: vec![KeyRequest {
            source_key: Some("groups"),
            target_key: Some(""),
        }],
        ..subject("sub")
    };
    assert!(
        input(parse_context_provider(&bad_target).unwrap_err())
            .starts_with("TargetKey  is not valid")
    );
}

#[test]
fn create_needs_a_context_for_an_instance() {
    assert_eq!(
        input(for_create(None, Some(INSTANCE)).unwrap_err()),
        "Set a context provider before associating an IAM Identity Center instance."
    );
    assert_eq!(
        input(for_create(Some(&subject("sub")), Some("arn:aws:iam::1:x")).unwrap_err()),
        "IdentityCenterInstanceArn arn:aws:iam::1:x is not a valid IAM Identity Center instance ARN."
    );
    let p = for_create(Some(&subject("sub")), Some(INSTANCE)).unwrap();
    assert_eq!(p.identity_center_instance.as_deref(), Some(INSTANCE));
    assert_eq!(context_provider(&p).unwrap().subject_source_key, "sub");
    assert_eq!(
        for_create(None, None).unwrap(),
        IdentityPropagation::default()
    );
}

#[test]
fn an_update_changes_one_thing() {
    let mut current = IdentityPropagation::default();
    assert!(!update(&Change::default(), &mut current).unwrap());
    assert_eq!(
        update_required(&Change::default(), &mut current)
            .unwrap_err()
            .to_string(),
        "Specify a context provider or an IAM Identity Center instance to set or remove."
    );
    let set = Change {
        context_provider: Some(subject("sub")),
        ..Change::default()
    };
    assert_eq!(update_required(&set, &mut current), Ok(()));
    let mut current = IdentityPropagation::default();
    let both = Change {
        context_provider: Some(subject("sub")),
        identity_center_instance_arn: Some(INSTANCE),
        ..Change::default()
    };
    assert_eq!(
        input(update(&both, &mut current).unwrap_err()),
        "A request can change either the context provider or the IAM Identity Center association, not both."
    );
    let set_and_remove = Change {
        context_provider: Some(subject("sub")),
        remove_context_provider: Some(true),
        ..Change::default()
    };
    assert_eq!(
        input(update(&set_and_remove, &mut current).unwrap_err()),
        "Specify either ContextProvider or RemoveContextProvider, not both."
    );
    let instance_both = Change {
        identity_center_instance_arn: Some(INSTANCE),
        remove_identity_center_instance: Some(true),
        ..Change::default()
    };
    assert_eq!(
        input(update(&instance_both, &mut current).unwrap_err()),
        "Specify either IdentityCenterInstanceArn or RemoveIdentityCenterInstance, not both."
    );
}

#[test]
fn the_association_follows_the_context_provider() {
    let mut current = IdentityPropagation::default();
    let associate = Change {
        identity_center_instance_arn: Some(INSTANCE),
        ..Change::default()
    };
    assert_eq!(
        input(update(&associate, &mut current).unwrap_err()),
        "Set a context provider before associating an IAM Identity Center instance."
    );
    let set = Change {
        context_provider: Some(subject("sub")),
        ..Change::default()
    };
    assert!(update(&set, &mut current).unwrap());
    assert!(update(&associate, &mut current).unwrap());
    let remove_context = Change {
        remove_context_provider: Some(true),
        ..Change::default()
    };
    assert_eq!(
        input(update(&remove_context, &mut current).unwrap_err()),
        "Remove the IAM Identity Center association before removing the context provider."
    );
    let remove_instance = Change {
        remove_identity_center_instance: Some(true),
        ..Change::default()
    };
    assert!(update(&remove_instance, &mut current).unwrap());
    assert!(update(&remove_context, &mut current).unwrap());
    assert_eq!(current, IdentityPropagation::default());
}
