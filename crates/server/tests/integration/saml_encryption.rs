//! SAML providers' assertion encryption: the encryption mode, up to two private keys (checked as
//! PEM private keys, sealed with the master key, never returned or logged), and the rule that
//! Required needs a key.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message};
use crate::raw::root_call;
use crate::saml_providers::metadata;
use aws_sdk_iam::types::AssertionEncryptionModeType as Mode;

fn key_fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/certs/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A line of the key's base64 body: present wherever the key would be in clear.
fn key_line(pem: &str) -> String {
    pem.lines().nth(2).unwrap().to_string()
}

async fn key_ids(iam: &aws_sdk_iam::Client, arn: &str) -> (Option<Mode>, Vec<String>) {
    let got = iam
        .get_saml_provider()
        .saml_provider_arn(arn)
        .send()
        .await
        .unwrap();
    for k in got.private_key_list() {
        assert!(k.timestamp().is_some());
    }
    (
        got.assertion_encryption_mode().cloned(),
        got.private_key_list()
            .iter()
            .map(|k| k.key_id().unwrap().to_string())
            .collect(),
    )
}

#[tokio::test]
async fn encryption_mode_and_private_keys() {
    let s = Server::dev();
    let iam = s.root_iam();
    let (rsa, ec, p8) = (
        key_fixture("server-rsa.key"),
        key_fixture("server-ec.key"),
        key_fixture("other-pkcs8.key"),
    );
    let create = |name: &str| {
        iam.create_saml_provider()
            .name(name)
            .saml_metadata_document(metadata(None))
    };
    // Not a private key: refused, and the answer does not echo it.
    let cert = key_fixture("server-rsa.pem");
    let refused = create("bad").add_private_key(&cert).send().await;
    assert_eq!(err_code(refused), ("InvalidInput".into(), 400));
    let refused = create("bad")
        .add_private_key(rsa.replace(&key_line(&rsa), "AAAA"))
        .send()
        .await;
    let msg = err_message(refused);
    assert!(!msg.contains("PRIVATE KEY") && !msg.is_empty(), "{msg}");

    let arn = format!("arn:aws:iam::{DEV_ACCOUNT}:saml-provider/Enc");
    create("Enc")
        .assertion_encryption_mode(Mode::Required)
        .add_private_key(&rsa)
        .send()
        .await
        .unwrap();
    let (mode, ids) = key_ids(&iam, &arn).await;
    assert_eq!(mode, Some(Mode::Required));
    assert_eq!(ids.len(), 1);
    let first = ids[0].clone();
    assert!(
        (22..=64).contains(&first.len())
            && first
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
        "{first}"
    );
    // The key itself is never in an answer.
    let raw = root_call(
        &s,
        &[("Action", "GetSAMLProvider"), ("SAMLProviderArn", &arn)],
    );
    assert_eq!(raw.status, 200, "{}", raw.body);
    assert!(raw.body.contains(&format!(
        "<PrivateKeyList><member><KeyId>{first}</KeyId><Timestamp>"
    )));
    assert!(!raw.body.contains(&key_line(&rsa)) && !raw.body.contains("PRIVATE KEY"));
    // A provider without settings shows none.
    create("Plain").send().await.unwrap();
    let plain = format!("arn:aws:iam::{DEV_ACCOUNT}:saml-provider/Plain");
    assert_eq!(key_ids(&iam, &plain).await, (None, vec![]));

    let update = || iam.update_saml_provider().saml_provider_arn(&arn);
    update().add_private_key(&ec).send().await.unwrap();
    let (_, ids) = key_ids(&iam, &arn).await;
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], first, "oldest first");
    let second = ids[1].clone();
    assert_ne!(first, second);
    // AWS's quota: two keys per provider.
    let third = update().add_private_key(&p8).send().await;
    assert_eq!(err_code(third), ("LimitExceeded".into(), 409));
    // Rotation takes two requests.
    let both = update()
        .add_private_key(&p8)
        .remove_private_key(&first)
        .send()
        .await;
    assert_eq!(err_code(both), ("InvalidInput".into(), 400));
    let unknown = update().remove_private_key("A".repeat(26)).send().await;
    assert_eq!(err_code(unknown), ("NoSuchEntity".into(), 404));
    let malformed = update().remove_private_key("short").send().await;
    assert_eq!(err_code(malformed).1, 400);
    assert_eq!(key_ids(&iam, &arn).await.1, [first.clone(), second.clone()]);

    update().remove_private_key(&first).send().await.unwrap();
    assert_eq!(key_ids(&iam, &arn).await.1, std::slice::from_ref(&second));
    // Required needs a key left to decrypt with.
    let last = update().remove_private_key(&second).send().await;
    assert_eq!(err_code(last), ("InvalidInput".into(), 400));
    assert_eq!(key_ids(&iam, &arn).await.1, std::slice::from_ref(&second));
    update()
        .assertion_encryption_mode(Mode::Allowed)
        .remove_private_key(&second)
        .send()
        .await
        .unwrap();
    assert_eq!(key_ids(&iam, &arn).await, (Some(Mode::Allowed), vec![]));
    let required = update()
        .assertion_encryption_mode(Mode::Required)
        .send()
        .await;
    assert_eq!(err_code(required), ("InvalidInput".into(), 400));
    update()
        .assertion_encryption_mode(Mode::Required)
        .add_private_key(&p8)
        .send()
        .await
        .unwrap();
    assert_eq!(key_ids(&iam, &arn).await.0, Some(Mode::Required));
    // Another provider's key is unknown here.
    let (_, ids) = key_ids(&iam, &arn).await;
    let elsewhere = iam
        .update_saml_provider()
        .saml_provider_arn(&plain)
        .remove_private_key(&ids[0])
        .send()
        .await;
    assert_eq!(err_code(elsewhere), ("NoSuchEntity".into(), 404));
    // A provider created again under the same name starts without the old keys.
    iam.delete_saml_provider()
        .saml_provider_arn(&arn)
        .send()
        .await
        .unwrap();
    create("Enc").send().await.unwrap();
    assert_eq!(key_ids(&iam, &arn).await, (None, vec![]));
}

#[tokio::test]
async fn private_keys_are_sealed_at_rest_and_never_logged() {
    use crate::lifecycle::{files_contain, initialised_data_dir};
    let (_dir, data, key, secret) = initialised_data_dir();
    let s = Server::serve(&data);
    let iam = s.iam(&key, &secret);
    let rsa = key_fixture("server-rsa.key");
    let created = iam
        .create_saml_provider()
        .name("Sealed")
        .saml_metadata_document(metadata(None))
        .add_private_key(&rsa)
        .send()
        .await
        .unwrap();
    let arn = created.saml_provider_arn().unwrap().to_string();
    iam.update_saml_provider()
        .saml_provider_arn(&arn)
        .add_private_key(key_fixture("server-ec.key"))
        .send()
        .await
        .unwrap();
    assert_eq!(key_ids(&iam, &arn).await.1.len(), 2);
    for line in [key_line(&rsa), key_line(&key_fixture("server-ec.key"))] {
        assert!(
            files_contain(&data, &line).is_empty(),
            "{line} in clear at rest"
        );
        assert!(!s.log.lock().unwrap().contains(&line));
    }
    assert!(files_contain(&data, "PRIVATE KEY").is_empty());
    assert!(
        !files_contain(&data, "https://idp.example.com/sso").is_empty(),
        "the scan sees what is stored in clear (the metadata)"
    );
}
