//! Service-specific credentials: AWS's lifecycle (as recorded against real AWS), unsupported
//! services, the per-service quota, pagination, API keys and the DeleteUser precondition.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message};
use aws_sdk_iam::types::StatusType;

const CC: &str = "codecommit.amazonaws.com";
const KS: &str = "cassandra.amazonaws.com";

#[tokio::test]
async fn lifecycle_matches_aws() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("git").send().await.unwrap();
    for service in [CC, KS] {
        let created = iam
            .create_service_specific_credential()
            .user_name("git")
            .service_name(service)
            .send()
            .await
            .unwrap();
        let c = created.service_specific_credential().unwrap();
        assert_eq!(c.service_name(), service);
        assert_eq!(c.user_name(), "git");
        assert_eq!(c.status(), &StatusType::Active);
        assert_eq!(c.service_user_name(), format!("git-at-{DEV_ACCOUNT}"));
        let password = c.service_password().to_string();
        assert_eq!(password.len(), 44);
        let id = c.service_specific_credential_id().to_string();
        assert!(id.starts_with("ACCA") && id.len() == 21);
        assert!(
            !s.log.lock().unwrap().contains(&password),
            "password logged"
        );

        let listed = iam
            .list_service_specific_credentials()
            .user_name("git")
            .service_name(service)
            .send()
            .await
            .unwrap();
        let m = &listed.service_specific_credentials()[0];
        assert_eq!(listed.service_specific_credentials().len(), 1);
        assert_eq!(m.service_specific_credential_id(), id);
        assert_eq!(m.service_user_name(), format!("git-at-{DEV_ACCOUNT}"));
        assert_eq!(m.status(), &StatusType::Active);

        iam.update_service_specific_credential()
            .user_name("git")
            .service_specific_credential_id(&id)
            .status(StatusType::Inactive)
            .send()
            .await
            .unwrap();
        let reset = iam
            .reset_service_specific_credential()
            .user_name("git")
            .service_specific_credential_id(&id)
            .send()
            .await
            .unwrap();
        let r = reset.service_specific_credential().unwrap();
        assert_eq!(r.status(), &StatusType::Inactive);
        assert_eq!(r.service_specific_credential_id(), id);
        let new_password = r.service_password();
        assert_eq!(new_password.len(), 44);
        assert_ne!(new_password, password);

        iam.delete_service_specific_credential()
            .user_name("git")
            .service_specific_credential_id(&id)
            .send()
            .await
            .unwrap();
    }
    let left = iam
        .list_service_specific_credentials()
        .user_name("git")
        .send()
        .await
        .unwrap();
    assert!(left.service_specific_credentials().is_empty());
}

#[tokio::test]
async fn unsupported_services_and_missing_entities() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("git").send().await.unwrap();
    for service in ["nonexistentservice.amazonaws.com", "lambda.amazonaws.com"] {
        let r = iam
            .create_service_specific_credential()
            .user_name("git")
            .service_name(service)
            .send()
            .await;
        assert_eq!(
            err_message(r),
            format!("No such service {service} is supported for Service Specific Credentials")
        );
        let r = iam
            .list_service_specific_credentials()
            .user_name("git")
            .service_name(service)
            .send()
            .await;
        assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));
    }
    let r = iam
        .create_service_specific_credential()
        .user_name("non-existent-user")
        .service_name(CC)
        .send()
        .await;
    assert_eq!(
        err_message(r),
        "The user with name non-existent-user cannot be found."
    );
    // A credential id of nobody, and a real id under a wrong user name.
    let c = iam
        .create_service_specific_credential()
        .user_name("git")
        .service_name(CC)
        .send()
        .await
        .unwrap();
    let id = c
        .service_specific_credential()
        .unwrap()
        .service_specific_credential_id()
        .to_string();
    let r = iam
        .update_service_specific_credential()
        .user_name("git")
        .service_specific_credential_id("satisfiesregexbutstillinvalid")
        .status(StatusType::Active)
        .send()
        .await;
    assert_eq!(
        err_message(r),
        "No such credential satisfiesregexbutstillinvalid exists"
    );
    for r in [
        err_code(
            iam.reset_service_specific_credential()
                .user_name("git")
                .service_specific_credential_id("satisfiesregexbutstillinvalid")
                .send()
                .await,
        ),
        err_code(
            iam.delete_service_specific_credential()
                .user_name("wrong-user-name")
                .service_specific_credential_id(&id)
                .send()
                .await,
        ),
        // Root has no service-specific credentials of its own.
        err_code(
            iam.delete_service_specific_credential()
                .service_specific_credential_id(&id)
                .send()
                .await,
        ),
    ] {
        assert_eq!(r, ("NoSuchEntity".into(), 404));
    }
    let r = iam
        .update_service_specific_credential()
        .user_name("git")
        .service_specific_credential_id("totally-wrong-credential-id-with-hyphens")
        .status(StatusType::Active)
        .send()
        .await;
    assert_eq!(err_code(r), ("ValidationError".into(), 400));
    // A wrong user name is reported as such.
    let r = iam
        .reset_service_specific_credential()
        .user_name("wrong-user-name")
        .service_specific_credential_id(&id)
        .send()
        .await;
    assert_eq!(
        err_message(r),
        "The user with name wrong-user-name cannot be found."
    );
    // The user cannot be deleted while it holds the credential.
    let r = iam.delete_user().user_name("git").send().await;
    assert_eq!(err_code(r), ("DeleteConflict".into(), 409));
    assert_eq!(
        err_message(iam.delete_user().user_name("git").send().await),
        "Cannot delete entity, must remove referenced objects first."
    );
}

#[tokio::test]
async fn quota_pagination_all_users_and_api_keys() {
    let s = Server::dev();
    let iam = s.root_iam();
    for u in ["a", "b"] {
        iam.create_user().user_name(u).send().await.unwrap();
    }
    for _ in 0..2 {
        iam.create_service_specific_credential()
            .user_name("a")
            .service_name(CC)
            .send()
            .await
            .unwrap();
    }
    let third = iam
        .create_service_specific_credential()
        .user_name("a")
        .service_name(CC)
        .send()
        .await;
    assert_eq!(err_code(third), ("LimitExceeded".into(), 409));
    // The quota is per service.
    iam.create_service_specific_credential()
        .user_name("a")
        .service_name(KS)
        .send()
        .await
        .unwrap();
    iam.create_service_specific_credential()
        .user_name("b")
        .service_name(CC)
        .send()
        .await
        .unwrap();

    let p1 = iam
        .list_service_specific_credentials()
        .user_name("a")
        .max_items(2)
        .send()
        .await
        .unwrap();
    assert_eq!(p1.service_specific_credentials().len(), 2);
    assert!(p1.is_truncated());
    let p2 = iam
        .list_service_specific_credentials()
        .user_name("a")
        .marker(p1.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(p2.service_specific_credentials().len(), 1);
    assert!(!p2.is_truncated());
    assert_eq!(
        iam.list_service_specific_credentials()
            .user_name("a")
            .service_name(KS)
            .send()
            .await
            .unwrap()
            .service_specific_credentials()
            .len(),
        1
    );
    let all = iam
        .list_service_specific_credentials()
        .all_users(true)
        .service_name(CC)
        .send()
        .await
        .unwrap();
    let mut users: Vec<_> = all
        .service_specific_credentials()
        .iter()
        .map(|c| c.user_name().to_string())
        .collect();
    users.sort();
    assert_eq!(users, ["a", "a", "b"]);
    // Root's own listing is empty.
    assert!(
        iam.list_service_specific_credentials()
            .send()
            .await
            .unwrap()
            .service_specific_credentials()
            .is_empty()
    );

    // Bedrock API keys: alias and secret, expiring after CredentialAgeDays.
    let key = iam
        .create_service_specific_credential()
        .user_name("b")
        .service_name("bedrock.amazonaws.com")
        .credential_age_days(30)
        .send()
        .await
        .unwrap();
    let k = key.service_specific_credential().unwrap();
    assert!(k.service_credential_alias().unwrap().starts_with("b+"));
    assert_eq!(k.service_credential_secret().map(str::len), Some(44));
    // The SDK models ServicePassword as required and fills in "" when absent.
    assert_eq!(k.service_password(), "");
    let (created, expires) = (k.create_date(), k.expiration_date().unwrap());
    assert_eq!(expires.secs() - created.secs(), 30 * 86_400);
    let r = iam
        .create_service_specific_credential()
        .user_name("b")
        .service_name(CC)
        .credential_age_days(30)
        .send()
        .await;
    assert_eq!(err_code(r), ("InvalidInput".into(), 400));
}
