//! Web identity tokens (OIDC ID tokens, JWTs) of AssumeRoleWithWebIdentity: the issuer read
//! before verification, then the signature checked against the issuer's configured JWKS, and
//! `iss`, `aud`, `exp`, `nbf` and `sub` checked as STS checks them. Time comes from the caller
//! (the server's clock).

pub use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;
use serde_json::Value;

/// Why a token was refused, worded as STS words it. As [`StsError::Token`](super::StsError) it
/// is `ExpiredTokenException` when [`Self::Expired`] and `InvalidIdentityToken` otherwise.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebIdentityError {
    #[error("The web identity token is not a well-formed JWT.")]
    Malformed,
    #[error("The token's signing algorithm {0:?} is not supported.")]
    UnsupportedAlgorithm(Algorithm),
    #[error("No key of the identity provider matches the token's key id.")]
    NoMatchingKey,
    #[error("The identity provider's key cannot be used.")]
    UnusableKey,
    #[error("The web identity token's signature could not be verified.")]
    BadSignature,
    #[error("Issuer of the token does not match the provider.")]
    WrongIssuer,
    #[error("Incorrect token audience")]
    WrongAudience,
    #[error("Token expired: current date/time must be before the expiration date/time.")]
    Expired,
    #[error("The token is not valid yet (nbf is in the future).")]
    NotYetValid,
    #[error("The token has no subject (sub).")]
    NoSubject,
}

/// The claims Portcullis reads.
#[derive(Debug, Deserialize)]
pub struct Claims {
    pub iss: String,
    #[serde(default)]
    pub sub: Option<String>,
    #[serde(default)]
    pub aud: Option<Value>,
    pub exp: i64,
    #[serde(default)]
    pub nbf: Option<i64>,
    #[serde(default)]
    pub amr: Option<Value>,
    /// Session tags: `{"principal_tags": {"K": ["v"]}, "transitive_tag_keys": ["K"]}`.
    #[serde(default, rename = "https://aws.amazon.com/tags")]
    pub tags: Option<Value>,
    #[serde(default, rename = "https://aws.amazon.com/source_identity")]
    pub source_identity: Option<String>,
}

/// A claim that is a string or a list of strings, as a list (anything else is empty).
fn strings(claim: Option<&Value>) -> Vec<String> {
    match claim {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

impl Claims {
    /// The audiences, whether `aud` is a string or a list.
    pub fn audiences(&self) -> Vec<String> {
        strings(self.aud.as_ref())
    }

    /// The authentication methods, whether `amr` is a string or a list.
    pub fn amr(&self) -> Vec<String> {
        strings(self.amr.as_ref())
    }

    /// Session tags and transitive tag keys from the AWS tags claim.
    pub fn session_tags(&self) -> (Vec<(String, String)>, Vec<String>) {
        let Some(t) = &self.tags else {
            return (Vec::new(), Vec::new());
        };
        let tags = t["principal_tags"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| {
                        let value = match v {
                            Value::Array(a) => a.first()?.as_str()?.to_string(),
                            Value::String(s) => s.clone(),
                            _ => return None,
                        };
                        Some((k.clone(), value))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let transitive = t["transitive_tag_keys"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        (tags, transitive)
    }
}

/// The `iss` claim of a token, read without verifying it (to find the provider and keys).
pub fn unverified_issuer(token: &str) -> Result<String, WebIdentityError> {
    use WebIdentityError::Malformed;
    let payload = token.split('.').nth(1).ok_or(Malformed)?;
    let bytes = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        payload.trim_end_matches('='),
    )
    .map_err(|_| Malformed)?;
    let v: Value = serde_json::from_slice(&bytes).map_err(|_| Malformed)?;
    v["iss"].as_str().map(str::to_string).ok_or(Malformed)
}

/// The `kid` of a token's header, read without verifying anything (to pick or fetch keys).
pub fn key_id(token: &str) -> Option<String> {
    decode_header(token).ok().and_then(|h| h.kid)
}

const ALGORITHMS: [Algorithm; 6] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::PS256,
];

/// Verifies the signature with the key the header's `kid` names (or the only key), then the
/// claims: issuer, an audience among `client_ids`, not expired, not before `nbf`, a subject.
pub fn verify(
    token: &str,
    keys: &JwkSet,
    issuer: &str,
    client_ids: &[String],
    now: i64,
) -> Result<Claims, WebIdentityError> {
    let header = decode_header(token).map_err(|_| WebIdentityError::Malformed)?;
    if !ALGORITHMS.contains(&header.alg) {
        return Err(WebIdentityError::UnsupportedAlgorithm(header.alg));
    }
    let jwk = match &header.kid {
        Some(kid) => keys.find(kid),
        None if keys.keys.len() == 1 => keys.keys.first(),
        None => None,
    }
    .ok_or(WebIdentityError::NoMatchingKey)?;
    let key = DecodingKey::from_jwk(jwk).map_err(|_| WebIdentityError::UnusableKey)?;
    let mut validation = Validation::new(header.alg);
    // Time is checked below against the server's clock; the rest by hand for AWS's messages.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let claims = decode::<Claims>(token, &key, &validation)
        .map_err(|_| WebIdentityError::BadSignature)?
        .claims;
    if claims.iss != issuer {
        return Err(WebIdentityError::WrongIssuer);
    }
    if !claims.audiences().iter().any(|a| client_ids.contains(a)) {
        return Err(WebIdentityError::WrongAudience);
    }
    if claims.exp <= now {
        return Err(WebIdentityError::Expired);
    }
    if claims.nbf.is_some_and(|nbf| nbf > now) {
        return Err(WebIdentityError::NotYetValid);
    }
    if claims.sub.as_deref().is_none_or(str::is_empty) {
        return Err(WebIdentityError::NoSubject);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header, encode};
    use serde_json::json;

    const ISSUER: &str = "https://issuer.portcullis.test";
    const NOW: i64 = 1_800_000_000;

    fn fixture(name: &str) -> Vec<u8> {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../server/tests/fixtures/oidc/"
        );
        std::fs::read(format!("{dir}{name}")).unwrap()
    }

    fn keys() -> JwkSet {
        serde_json::from_slice(&fixture("issuer-jwks.json")).unwrap()
    }

    fn token(key_file: &str, claims: Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some("test-key-1".into());
        let key = EncodingKey::from_rsa_der(&fixture(key_file));
        encode(&header, &claims, &key).unwrap()
    }

    fn check(claims: Value) -> Result<Claims, WebIdentityError> {
        let t = token("issuer-rsa.der", claims);
        verify(&t, &keys(), ISSUER, &["app".to_string()], NOW)
    }

    #[test]
    fn a_well_signed_token_passes_and_yields_its_claims() {
        let t = token(
            "issuer-rsa.der",
            json!({"iss": ISSUER, "sub": "s", "aud": ["x", "app"], "exp": NOW + 60, "amr": "mfa"}),
        );
        assert_eq!(unverified_issuer(&t), Ok(ISSUER.to_string()));
        let claims = verify(&t, &keys(), ISSUER, &["app".to_string()], NOW).unwrap();
        assert_eq!(claims.audiences(), ["x", "app"]);
        assert_eq!(claims.amr(), ["mfa"]);
        assert_eq!(claims.sub.as_deref(), Some("s"));
    }

    #[test]
    fn each_refusal_has_its_reason() {
        let ok = json!({"iss": ISSUER, "sub": "s", "aud": "app", "exp": NOW + 60});
        let with = |k: &str, v: Value| {
            let mut c = ok.clone();
            c[k] = v;
            check(c).unwrap_err()
        };
        assert_eq!(
            unverified_issuer("not-a-jwt"),
            Err(WebIdentityError::Malformed)
        );
        assert_eq!(
            verify("a.b.c", &keys(), ISSUER, &[], NOW).unwrap_err(),
            WebIdentityError::Malformed
        );
        let forged = token("other-rsa.der", ok.clone());
        assert_eq!(
            verify(&forged, &keys(), ISSUER, &["app".to_string()], NOW).unwrap_err(),
            WebIdentityError::BadSignature
        );
        assert_eq!(
            with("iss", json!("https://other")),
            WebIdentityError::WrongIssuer
        );
        assert_eq!(with("aud", json!("other")), WebIdentityError::WrongAudience);
        assert_eq!(with("exp", json!(NOW)), WebIdentityError::Expired);
        assert_eq!(with("nbf", json!(NOW + 1)), WebIdentityError::NotYetValid);
        assert_eq!(with("sub", json!("")), WebIdentityError::NoSubject);
        assert_eq!(
            WebIdentityError::Expired.to_string(),
            "Token expired: current date/time must be before the expiration date/time."
        );
    }
}
