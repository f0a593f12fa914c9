//! The checks of what a caller gives for an identity provider, with AWS's refusals: an OpenID
//! Connect issuer URL (`https://`, a host with no port or user info, a path with no query or
//! fragment), its thumbprints (at most five 40-character hex SHA-1 fingerprints) and its client
//! ids (1-255 characters each, duplicates dropped, at most `ClientIdsPerOpenIdConnectProvider`);
//! a SAML provider's metadata document, its assertion-decrypting private keys (PEM RSA or EC,
//! at most `PrivateKeysPerSamlProvider`, added or removed one per request) and its encryption
//! mode (`Required` only while a key is there); and the provider ARN every other operation
//! names ([`check_arn`]). The services that store providers are in [`super::providers`].

use chrono::{DateTime, Utc};

use crate::error::{EntityKind, IamError, IamResult};
use crate::iam::credentials::x509;
use crate::model::{SamlPrivateKey, SamlSettings};
use crate::quotas::{MAX_CLIENT_IDS, MAX_SAML_PRIVATE_KEYS, MAX_THUMBPRINTS, Quota};
use crate::saml_metadata::{self, MetadataError, default_valid_until};

/// The issuer URL without `https://`.
pub fn oidc_url(url: &str) -> IamResult<String> {
    let Some(rest) = url.strip_prefix("https://") else {
        if url.contains("://") {
            return Err(IamError::InvalidInput(
                "Invalid Open ID Connect Provider URL. The URL must begin with https://."
                    .to_string(),
            ));
        }
        return Err(IamError::Validation(
            "Invalid Open ID Connect Provider URL".to_string(),
        ));
    };
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let path_ok = path
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'?' && b != b'#');
    if host_ok && path_ok {
        Ok(rest.to_string())
    } else {
        Err(IamError::InvalidInput(
            "Invalid Open ID Connect Provider URL.".to_string(),
        ))
    }
}

/// `ThumbprintList` (absent means none), kept lowercase.
pub fn thumbprints(list: &[String]) -> IamResult<Vec<String>> {
    if list.len() > MAX_THUMBPRINTS {
        return Err(IamError::InvalidInput(
            "Thumbprint list must contain fewer than 5 entries.".to_string(),
        ));
    }
    list.iter()
        .map(|t| {
            if t.len() != 40 {
                Err(IamError::InvalidInput(
                    "Thumbprint must be exactly 40 characters.".to_string(),
                ))
            } else if !t.bytes().all(|b| b.is_ascii_hexdigit()) {
                Err(IamError::InvalidInput(format!(
                    "Thumbprint {t} is not a hexadecimal SHA-1 fingerprint."
                )))
            } else {
                Ok(t.to_ascii_lowercase())
            }
        })
        .collect()
}

/// `ClientIDList` (absent means none), duplicates dropped; lengths count UTF-16 units, as
/// AWS's model does.
pub fn client_ids(list: &[String]) -> IamResult<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for (i, id) in list.iter().enumerate() {
        let len = id.encode_utf16().count();
        if !(1..=255).contains(&len) {
            let bound = if len == 0 {
                "greater than or equal to 1"
            } else {
                "less than or equal to 255"
            };
            return Err(IamError::Validation(format!(
                "1 validation error detected: Value '{id}' at 'clientIDList.{}.member' failed to satisfy constraint: Member must have length {bound}",
                i + 1
            )));
        }
        if !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    if out.len() > MAX_CLIENT_IDS {
        return Err(IamError::LimitExceeded {
            quota: Quota::ClientIdsPerOpenIdConnectProvider,
            max: MAX_CLIENT_IDS,
        });
    }
    Ok(out)
}

impl From<MetadataError> for IamError {
    fn from(_: MetadataError) -> Self {
        IamError::InvalidInput("Could not parse metadata".to_string())
    }
}

/// How long a SAML metadata document is valid: its `validUntil`, or AWS's default from
/// `created`. A document that is not SAML metadata is refused ([`MetadataError`] becomes
/// InvalidInput; the caller may log why first).
pub fn saml_valid_until(doc: &str, created: DateTime<Utc>) -> Result<DateTime<Utc>, MetadataError> {
    let m = saml_metadata::parse(doc)?;
    Ok(m.valid_until
        .unwrap_or_else(|| default_valid_until(created)))
}

/// An `AddPrivateKey` PEM: an RSA or EC private key.
pub fn saml_private_key(pem: &str) -> IamResult<()> {
    x509::check_private_key(pem).map_err(|_| {
        IamError::InvalidInput(
            "The private key is not a valid PEM-encoded RSA or EC private key.".to_string(),
        )
    })
}

/// UpdateSAMLProvider adds or removes a private key, not both (a rotation is two requests).
pub fn one_key_change(adding: bool, removing: Option<&str>) -> IamResult<()> {
    if adding && removing.is_some() {
        return Err(IamError::InvalidInput(
            "Specify either AddPrivateKey or RemovePrivateKey, not both: to rotate keys, add the new key and then remove the old one in a separate request."
                .to_string(),
        ));
    }
    Ok(())
}

/// Adds `key` to the provider's keys, within `PrivateKeysPerSamlProvider`.
pub fn add_saml_key(s: &mut SamlSettings, key: SamlPrivateKey) -> IamResult<()> {
    if s.private_keys.len() >= MAX_SAML_PRIVATE_KEYS {
        return Err(IamError::LimitExceeded {
            quota: Quota::PrivateKeysPerSamlProvider,
            max: MAX_SAML_PRIVATE_KEYS,
        });
    }
    s.private_keys.push(key);
    Ok(())
}

/// Removes the key `id` from the provider's keys, or NoSuchEntity.
pub fn remove_saml_key(s: &mut SamlSettings, id: &str) -> IamResult<()> {
    let before = s.private_keys.len();
    s.private_keys.retain(|k| k.id != id);
    if s.private_keys.len() == before {
        return Err(IamError::no_such(EntityKind::SamlPrivateKey, id));
    }
    Ok(())
}

/// Encrypted assertions can be required only while the provider has a key to decrypt them.
pub fn saml_encryption_mode(s: &SamlSettings) -> IamResult<()> {
    if s.encryption_mode.as_deref() == Some("Required") && s.private_keys.is_empty() {
        Err(IamError::InvalidInput(
            "AssertionEncryptionMode Required needs a private key: add one with AddPrivateKey."
                .to_string(),
        ))
    } else {
        Ok(())
    }
}

/// `arn:aws:iam::ACCOUNT:{resource}/NAME` (`resource` is `oidc-provider` or `saml-provider`),
/// or InvalidInput.
pub fn check_arn(arn: &str, resource: &str) -> IamResult<()> {
    let well_formed = crate::arn::Arn::parse(arn).is_some_and(|a| {
        (a.partition, a.service, a.region) == ("aws", "iam", "")
            && crate::ids::is_account_id(a.account)
            && a.resource
                .strip_prefix(resource)
                .and_then(|r| r.strip_prefix('/'))
                .is_some_and(|name| !name.is_empty())
    });
    if well_formed {
        Ok(())
    } else {
        Err(IamError::InvalidArn(arn.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_arns() {
        assert_eq!(
            check_arn(
                "arn:aws:iam::123456789012:saml-provider/Okta",
                "saml-provider"
            ),
            Ok(())
        );
        assert_eq!(
            check_arn(
                "arn:aws:iam::123456789012:oidc-provider/example.com/x",
                "oidc-provider"
            ),
            Ok(())
        );
        for bad in [
            "arn:aws:iam::123456789012:saml-provider/",
            "arn:aws:iam::123456789012:oidc-provider/Okta",
            "arn:aws:iam::12345:saml-provider/Okta",
            "arn:aws:s3:::bucket/saml-provider/x",
        ] {
            assert_eq!(
                check_arn(bad, "saml-provider").unwrap_err().to_string(),
                format!("ARN {bad} is not valid.")
            );
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn issuer_urls() {
        assert_eq!(
            oidc_url("https://token.actions.githubusercontent.com").unwrap(),
            "token.actions.githubusercontent.com"
        );
        assert_eq!(
            oidc_url("https://login.example.com/tenant/v2.0").unwrap(),
            "login.example.com/tenant/v2.0"
        );
        assert_eq!(
            oidc_url("http://example.com"),
            Err(IamError::InvalidInput(
                "Invalid Open ID Connect Provider URL. The URL must begin with https://."
                    .to_string()
            ))
        );
        assert_eq!(
            oidc_url("example.com"),
            Err(IamError::Validation(
                "Invalid Open ID Connect Provider URL".to_string()
            ))
        );
        for bad in [
            "https://",
            "https://example.com:8443",
            "https://example.com/x?y=1",
            "https://example.com/#f",
            "https://user@example.com",
            "https://exa mple.com",
        ] {
            assert_eq!(
                oidc_url(bad),
                Err(IamError::InvalidInput(
                    "Invalid Open ID Connect Provider URL.".to_string()
                )),
                "{bad}"
            );
        }
    }

    #[test]
    fn thumbprints_are_hex_sha1_and_few() {
        let good = "9E99A48A9960B14926BB7F3B02E22DA2B0AB7280";
        assert_eq!(
            thumbprints(&strings(&[good])).unwrap(),
            vec![good.to_ascii_lowercase()]
        );
        assert_eq!(
            thumbprints(&strings(&[good; 6])).unwrap_err().to_string(),
            "Thumbprint list must contain fewer than 5 entries."
        );
        assert!(thumbprints(&strings(&[good; 5])).is_ok());
        assert_eq!(
            thumbprints(&strings(&["abc"])).unwrap_err().to_string(),
            "Thumbprint must be exactly 40 characters."
        );
        let not_hex = "z".repeat(40);
        assert_eq!(
            thumbprints(std::slice::from_ref(&not_hex))
                .unwrap_err()
                .to_string(),
            format!("Thumbprint {not_hex} is not a hexadecimal SHA-1 fingerprint.")
        );
    }

    #[test]
    fn client_ids_are_bounded_and_deduplicated() {
        assert_eq!(
            client_ids(&strings(&["a", "b", "a"])).unwrap(),
            strings(&["a", "b"])
        );
        assert_eq!(
            client_ids(&strings(&["a", ""])),
            Err(IamError::Validation(
                "1 validation error detected: Value '' at 'clientIDList.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1"
                    .to_string()
            ))
        );
        let long = "x".repeat(256);
        assert!(
            client_ids(&[long])
                .unwrap_err()
                .to_string()
                .ends_with("Member must have length less than or equal to 255")
        );
        let many: Vec<String> = (0..=MAX_CLIENT_IDS).map(|i| i.to_string()).collect();
        assert_eq!(
            client_ids(&many),
            Err(IamError::LimitExceeded {
                quota: Quota::ClientIdsPerOpenIdConnectProvider,
                max: MAX_CLIENT_IDS
            })
        );
        assert_eq!(
            client_ids(&many[..MAX_CLIENT_IDS]).unwrap().len(),
            MAX_CLIENT_IDS
        );
    }

    #[test]
    fn a_deleted_provider_not_found_follows_aws() {
        assert_eq!(
            IamError::NoSuchOidcProviderToDelete("arn:x".to_string()).to_string(),
            "OpenId connect Provider arn:x cannot be found."
        );
    }

    fn key(id: &str) -> SamlPrivateKey {
        SamlPrivateKey {
            id: id.to_string(),
            uploaded: DateTime::<Utc>::UNIX_EPOCH,
            sealed: Vec::new(),
        }
    }

    #[test]
    fn saml_metadata_validity() {
        let created = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(
            IamError::from(saml_valid_until("not xml", created).unwrap_err()),
            IamError::InvalidInput("Could not parse metadata".to_string())
        );
        let doc =
            r#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>"#;
        assert_eq!(
            saml_valid_until(doc, created),
            Ok(default_valid_until(created))
        );
    }

    #[test]
    fn saml_private_keys_are_pem_keys() {
        assert_eq!(
            saml_private_key("not a key"),
            Err(IamError::InvalidInput(
                "The private key is not a valid PEM-encoded RSA or EC private key.".to_string()
            ))
        );
    }

    #[test]
    fn saml_keys_change_one_at_a_time_within_the_quota() {
        assert!(one_key_change(true, None).is_ok());
        assert!(one_key_change(false, Some("K")).is_ok());
        assert!(
            one_key_change(true, Some("K"))
                .unwrap_err()
                .to_string()
                .starts_with("Specify either AddPrivateKey or RemovePrivateKey, not both")
        );
        let mut s = SamlSettings::default();
        for i in 0..MAX_SAML_PRIVATE_KEYS {
            add_saml_key(&mut s, key(&format!("K{i}"))).unwrap();
        }
        assert_eq!(
            add_saml_key(&mut s, key("KX")),
            Err(IamError::LimitExceeded {
                quota: Quota::PrivateKeysPerSamlProvider,
                max: MAX_SAML_PRIVATE_KEYS
            })
        );
        assert_eq!(
            remove_saml_key(&mut s, "NOPE").unwrap_err().to_string(),
            "The private key NOPE does not exist on this SAML provider."
        );
        remove_saml_key(&mut s, "K0").unwrap();
        assert_eq!(s.private_keys.len(), MAX_SAML_PRIVATE_KEYS - 1);
    }

    #[test]
    fn required_encryption_needs_a_key() {
        let mut s = SamlSettings {
            encryption_mode: Some("Required".to_string()),
            ..SamlSettings::default()
        };
        assert_eq!(
            saml_encryption_mode(&s).unwrap_err().to_string(),
            "AssertionEncryptionMode Required needs a private key: add one with AddPrivateKey."
        );
        s.private_keys.push(key("K"));
        assert!(saml_encryption_mode(&s).is_ok());
        s.private_keys.clear();
        s.encryption_mode = Some("Allowed".to_string());
        assert!(saml_encryption_mode(&s).is_ok());
    }
}
