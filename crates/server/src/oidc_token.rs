//! Web identity tokens (OIDC ID tokens, JWTs): the issuer read before verification, then the
//! signature checked against the issuer's configured JWKS, and `iss`, `aud`, `exp`, `nbf` and
//! `sub` checked as STS checks them. Time comes from the caller (the server's clock).

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use portcullis_proto::AwsError;
use serde::Deserialize;
use serde_json::Value;

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

impl Claims {
    /// The audiences, whether `aud` is a string or a list.
    pub fn audiences(&self) -> Vec<String> {
        match &self.aud {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn amr(&self) -> Vec<String> {
        match &self.amr {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
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

pub fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::new("InvalidIdentityToken", 400, message)
}

/// The `iss` claim of a token, read without verifying it (to find the provider and keys).
pub fn unverified_issuer(token: &str) -> Result<String, AwsError> {
    let bad = || invalid("The web identity token is not a well-formed JWT.");
    let payload = token.split('.').nth(1).ok_or_else(bad)?;
    let bytes = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        payload.trim_end_matches('='),
    )
    .map_err(|_| bad())?;
    let v: Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    v["iss"].as_str().map(str::to_string).ok_or_else(bad)
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
) -> Result<Claims, AwsError> {
    let header = decode_header(token)
        .map_err(|_| invalid("The web identity token is not a well-formed JWT."))?;
    if !ALGORITHMS.contains(&header.alg) {
        return Err(invalid(format!(
            "The token's signing algorithm {:?} is not supported.",
            header.alg
        )));
    }
    let jwk = match &header.kid {
        Some(kid) => keys.find(kid),
        None if keys.keys.len() == 1 => keys.keys.first(),
        None => None,
    }
    .ok_or_else(|| invalid("No key of the identity provider matches the token's key id."))?;
    let key = DecodingKey::from_jwk(jwk)
        .map_err(|_| invalid("The identity provider's key cannot be used."))?;
    let mut validation = Validation::new(header.alg);
    // Time is checked below against the server's clock; the rest by hand for AWS's messages.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let claims = decode::<Claims>(token, &key, &validation)
        .map_err(|_| invalid("The web identity token's signature could not be verified."))?
        .claims;
    if claims.iss != issuer {
        return Err(invalid("Issuer of the token does not match the provider."));
    }
    if !claims.audiences().iter().any(|a| client_ids.contains(a)) {
        return Err(invalid("Incorrect token audience"));
    }
    if claims.exp <= now {
        return Err(AwsError::new(
            "ExpiredTokenException",
            400,
            "Token expired: current date/time must be before the expiration date/time.",
        ));
    }
    if claims.nbf.is_some_and(|nbf| nbf > now) {
        return Err(invalid(
            "The token is not valid yet (nbf is in the future).",
        ));
    }
    if claims.sub.as_deref().is_none_or(str::is_empty) {
        return Err(invalid("The token has no subject (sub)."));
    }
    Ok(claims)
}
