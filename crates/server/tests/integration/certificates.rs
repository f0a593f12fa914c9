//! Signing certificates (users and root) and server certificates: parsing, key pairs, chains,
//! duplicates, quotas, pagination, tags, renames, the private key never returned, and the
//! DeleteUser precondition. Certificates are fixed PEM files made once with OpenSSL
//! (`tests/fixtures/README.md`).

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message};
use aws_sdk_iam::types::{StatusType, SummaryKeyType, Tag};

const CA: &str = include_str!("../fixtures/certs/ca.pem");
const RSA_CERT: &str = include_str!("../fixtures/certs/server-rsa.pem");
const RSA_KEY: &str = include_str!("../fixtures/certs/server-rsa.key");
const EC_CERT: &str = include_str!("../fixtures/certs/server-ec.pem");
const EC_KEY: &str = include_str!("../fixtures/certs/server-ec.key");
const P8_KEY: &str = include_str!("../fixtures/certs/other-pkcs8.key");
const EXPIRED: &str = include_str!("../fixtures/certs/expired.pem");
const EXPIRED_KEY: &str = include_str!("../fixtures/certs/expired.key");
const SIGNING: [&str; 3] = [
    include_str!("../fixtures/certs/signing1.pem"),
    include_str!("../fixtures/certs/signing2.pem"),
    include_str!("../fixtures/certs/signing3.pem"),
];

#[tokio::test]
async fn signing_certificates() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("signer").send().await.unwrap();
    let up = iam
        .upload_signing_certificate()
        .user_name("signer")
        .certificate_body(SIGNING[0])
        .send()
        .await
        .unwrap();
    let c = up.certificate().unwrap();
    assert_eq!(c.user_name(), "signer");
    assert_eq!(c.certificate_body(), SIGNING[0]);
    assert_eq!(c.status(), &StatusType::Active);
    assert!(c.certificate_id().len() >= 24);
    assert!(
        c.certificate_id()
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    );
    let id = c.certificate_id().to_string();

    // The same certificate again, for anyone in the account.
    let dup = iam
        .upload_signing_certificate()
        .certificate_body(SIGNING[0])
        .send()
        .await;
    assert_eq!(err_code(dup), ("DuplicateCertificate".into(), 409));
    for bad in ["not a certificate", EXPIRED] {
        let r = iam
            .upload_signing_certificate()
            .user_name("signer")
            .certificate_body(bad)
            .send()
            .await;
        assert_eq!(err_code(r), ("MalformedCertificate".into(), 400));
    }
    iam.upload_signing_certificate()
        .user_name("signer")
        .certificate_body(SIGNING[1])
        .send()
        .await
        .unwrap();
    let third = iam
        .upload_signing_certificate()
        .user_name("signer")
        .certificate_body(SIGNING[2])
        .send()
        .await;
    assert_eq!(err_code(third), ("LimitExceeded".into(), 409));
    let missing = iam
        .upload_signing_certificate()
        .user_name("nobody")
        .certificate_body(SIGNING[2])
        .send()
        .await;
    assert_eq!(err_code(missing), ("NoSuchEntity".into(), 404));

    // Root's own certificates (no UserName), apart from the user's.
    iam.upload_signing_certificate()
        .certificate_body(SIGNING[2])
        .send()
        .await
        .unwrap();
    let root_list = iam.list_signing_certificates().send().await.unwrap();
    assert_eq!(root_list.certificates().len(), 1);
    let raw = crate::raw::root_call(
        &s,
        &[
            ("Action", "ListSigningCertificates"),
            ("Version", "2010-05-08"),
        ],
    );
    assert!(raw.body.contains("<CertificateId>"), "{}", raw.body);
    assert!(!raw.body.contains("<UserName>"), "{}", raw.body);
    let summary = iam.get_account_summary().send().await.unwrap();
    assert_eq!(
        summary
            .summary_map()
            .unwrap()
            .get(&SummaryKeyType::AccountSigningCertificatesPresent),
        Some(&1)
    );

    let p1 = iam
        .list_signing_certificates()
        .user_name("signer")
        .max_items(1)
        .send()
        .await
        .unwrap();
    assert_eq!(p1.certificates().len(), 1);
    assert!(p1.is_truncated());
    let p2 = iam
        .list_signing_certificates()
        .user_name("signer")
        .marker(p1.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(p2.certificates().len(), 1);
    assert!(!p2.is_truncated());
    assert_ne!(
        p1.certificates()[0].certificate_id(),
        p2.certificates()[0].certificate_id()
    );

    iam.update_signing_certificate()
        .user_name("signer")
        .certificate_id(&id)
        .status(StatusType::Inactive)
        .send()
        .await
        .unwrap();
    let listed = iam
        .list_signing_certificates()
        .user_name("signer")
        .send()
        .await
        .unwrap();
    let m = listed
        .certificates()
        .iter()
        .find(|c| c.certificate_id() == id)
        .unwrap();
    assert_eq!(m.status(), &StatusType::Inactive);
    // Root's call without UserName does not reach the user's certificate.
    let r = iam
        .update_signing_certificate()
        .certificate_id(&id)
        .status(StatusType::Active)
        .send()
        .await;
    assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));

    let r = iam.delete_user().user_name("signer").send().await;
    assert_eq!(err_code(r), ("DeleteConflict".into(), 409));
    for c in listed.certificates() {
        iam.delete_signing_certificate()
            .user_name("signer")
            .certificate_id(c.certificate_id())
            .send()
            .await
            .unwrap();
    }
    let r = iam
        .delete_signing_certificate()
        .user_name("signer")
        .certificate_id(&id)
        .send()
        .await;
    assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));
    iam.delete_user().user_name("signer").send().await.unwrap();
}

#[tokio::test]
async fn server_certificate_lifecycle() {
    let s = Server::dev();
    let iam = s.root_iam();
    let up = iam
        .upload_server_certificate()
        .server_certificate_name("web")
        .path("/cloudfront/")
        .certificate_body(RSA_CERT)
        .private_key(RSA_KEY)
        .certificate_chain(CA)
        .tags(Tag::builder().key("env").value("prod").build().unwrap())
        .send()
        .await
        .unwrap();
    let m = up.server_certificate_metadata().unwrap();
    assert!(m.server_certificate_id().starts_with("ASCA"));
    assert_eq!(
        m.arn(),
        format!("arn:aws:iam::{DEV_ACCOUNT}:server-certificate/cloudfront/web")
    );
    assert_eq!(m.path(), "/cloudfront/");
    // notAfter of the fixture (`openssl x509 -enddate`): 2126-11-07.
    let exp = m.expiration().unwrap();
    assert_eq!(
        chrono::DateTime::from_timestamp(exp.secs(), 0)
            .unwrap()
            .format("%Y-%m-%d")
            .to_string(),
        "2126-11-07"
    );
    assert_eq!(up.tags().len(), 1);

    let got = iam
        .get_server_certificate()
        .server_certificate_name("WEB")
        .send()
        .await
        .unwrap();
    let sc = got.server_certificate().unwrap();
    assert_eq!(sc.certificate_body(), RSA_CERT);
    assert_eq!(sc.certificate_chain(), Some(CA));
    assert_eq!(sc.tags()[0].value(), "prod");
    assert_eq!(
        sc.server_certificate_metadata()
            .unwrap()
            .server_certificate_id(),
        m.server_certificate_id()
    );

    // Tags.
    iam.tag_server_certificate()
        .server_certificate_name("web")
        .tags(Tag::builder().key("team").value("edge").build().unwrap())
        .send()
        .await
        .unwrap();
    iam.untag_server_certificate()
        .server_certificate_name("web")
        .tag_keys("env")
        .send()
        .await
        .unwrap();
    let tags = iam
        .list_server_certificate_tags()
        .server_certificate_name("web")
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags.tags().iter().map(|t| t.key()).collect::<Vec<_>>(),
        ["team"]
    );

    // Rename and move.
    iam.upload_server_certificate()
        .server_certificate_name("ec")
        .certificate_body(EC_CERT)
        .private_key(EC_KEY)
        .send()
        .await
        .unwrap();
    let r = iam
        .update_server_certificate()
        .server_certificate_name("web")
        .new_server_certificate_name("EC")
        .send()
        .await;
    assert_eq!(err_code(r), ("EntityAlreadyExists".into(), 409));
    iam.update_server_certificate()
        .server_certificate_name("web")
        .new_server_certificate_name("www")
        .new_path("/")
        .send()
        .await
        .unwrap();
    let r = iam
        .get_server_certificate()
        .server_certificate_name("web")
        .send()
        .await;
    assert_eq!(err_code(r), ("NoSuchEntity".into(), 404));
    let www = iam
        .get_server_certificate()
        .server_certificate_name("www")
        .send()
        .await
        .unwrap();
    assert_eq!(
        www.server_certificate()
            .unwrap()
            .server_certificate_metadata()
            .unwrap()
            .arn(),
        format!("arn:aws:iam::{DEV_ACCOUNT}:server-certificate/www")
    );
    // Tags follow the certificate.
    assert_eq!(www.server_certificate().unwrap().tags().len(), 1);

    // The private key is sealed at rest and never returned or logged.
    let key_line = RSA_KEY.lines().nth(1).unwrap();
    assert!(!s.log.lock().unwrap().contains(key_line));
    let dup = iam
        .upload_server_certificate()
        .server_certificate_name("www")
        .certificate_body(RSA_CERT)
        .private_key(RSA_KEY)
        .send()
        .await;
    assert_eq!(err_code(dup), ("EntityAlreadyExists".into(), 409));

    iam.delete_server_certificate()
        .server_certificate_name("www")
        .send()
        .await
        .unwrap();
    for r in [
        err_code(
            iam.delete_server_certificate()
                .server_certificate_name("www")
                .send()
                .await,
        ),
        err_code(
            iam.update_server_certificate()
                .server_certificate_name("www")
                .new_path("/x/")
                .send()
                .await,
        ),
        err_code(
            iam.list_server_certificate_tags()
                .server_certificate_name("www")
                .send()
                .await,
        ),
    ] {
        assert_eq!(r, ("NoSuchEntity".into(), 404));
    }
}

#[tokio::test]
async fn server_certificate_validation() {
    let s = Server::dev();
    let iam = s.root_iam();
    let up = |body: &'static str, key: &'static str, chain: Option<&'static str>| {
        iam.upload_server_certificate()
            .server_certificate_name("c")
            .certificate_body(body)
            .private_key(key)
            .set_certificate_chain(chain.map(str::to_string))
            .send()
    };
    // A key that is not the certificate's, RSA or EC.
    assert_eq!(
        err_code(up(RSA_CERT, P8_KEY, None).await),
        ("KeyPairMismatch".into(), 400)
    );
    assert_eq!(
        err_code(up(RSA_CERT, EC_KEY, None).await),
        ("KeyPairMismatch".into(), 400)
    );
    assert_eq!(
        err_code(up(EC_CERT, RSA_KEY, None).await),
        ("KeyPairMismatch".into(), 400)
    );
    // Not a certificate, not a key, expired, a chain that does not lead to the issuer.
    let bad = [
        up(
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            RSA_KEY,
            None,
        )
        .await,
        up(RSA_CERT, RSA_CERT, None).await,
        up(EXPIRED, EXPIRED_KEY, None).await,
        up(RSA_CERT, RSA_KEY, Some(EC_CERT)).await,
    ];
    for r in bad {
        assert_eq!(err_code(r), ("MalformedCertificate".into(), 400));
    }
    assert!(
        err_message(up(RSA_CERT, RSA_KEY, Some(EC_CERT)).await)
            .contains("The index within the chain of the invalid certificate is: -1")
    );
    // PKCS#1, SEC1 and PKCS#8 keys that match are accepted.
    iam.upload_server_certificate()
        .server_certificate_name("p8")
        .certificate_body(include_str!("../fixtures/certs/other-pkcs8.pem"))
        .private_key(P8_KEY)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn server_certificate_quota_and_pagination() {
    let s = Server::dev();
    let iam = s.root_iam();
    for i in 0..20 {
        iam.upload_server_certificate()
            .server_certificate_name(format!("cert{i:02}"))
            .path(if i % 2 == 0 { "/even/" } else { "/odd/" })
            .certificate_body(EC_CERT)
            .private_key(EC_KEY)
            .send()
            .await
            .unwrap();
    }
    let r = iam
        .upload_server_certificate()
        .server_certificate_name("one-too-many")
        .certificate_body(EC_CERT)
        .private_key(EC_KEY)
        .send()
        .await;
    assert_eq!(err_code(r), ("LimitExceeded".into(), 409));
    let summary = iam.get_account_summary().send().await.unwrap();
    assert_eq!(
        summary
            .summary_map()
            .unwrap()
            .get(&SummaryKeyType::ServerCertificates),
        Some(&20)
    );

    let mut names = Vec::new();
    let mut marker = None;
    loop {
        let page = iam
            .list_server_certificates()
            .max_items(7)
            .set_marker(marker)
            .send()
            .await
            .unwrap();
        assert!(page.server_certificate_metadata_list().len() <= 7);
        names.extend(
            page.server_certificate_metadata_list()
                .iter()
                .map(|m| m.server_certificate_name().to_string()),
        );
        if !page.is_truncated() {
            assert_eq!(page.marker(), None);
            break;
        }
        marker = page.marker().map(str::to_string);
    }
    let expected: Vec<_> = (0..20).map(|i| format!("cert{i:02}")).collect();
    assert_eq!(names, expected);
    let odd = iam
        .list_server_certificates()
        .path_prefix("/odd/")
        .send()
        .await
        .unwrap();
    assert_eq!(odd.server_certificate_metadata_list().len(), 10);
    assert!(
        odd.server_certificate_metadata_list()
            .iter()
            .all(|m| m.path() == "/odd/")
    );
}
