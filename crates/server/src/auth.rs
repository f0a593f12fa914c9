//! Authentication: SigV4 in either form, the access-key lookup (through the cache), the time
//! window, and the key's state. Every failure is an AWS error; nothing here grants access by
//! default. It reads the server through [`Env`] (the server's `App` implements it), so it
//! depends on no module that depends on it.

use crate::keycache::{CachedKey, KeyCache};
use crate::sealing::SealingKeys;
use chrono::{DateTime, Utc};
use portcullis_core::Store;
use portcullis_core::crypto::MasterKey;
use portcullis_core::session::{Session, SessionPrincipal};
use portcullis_core::{KeyStatus, Principal, RoleSession, StoreError};
use portcullis_proto::sigv4::{self, Authorization, SignedRequest};
use portcullis_proto::{AwsError, Params};
use std::sync::Arc;

/// What authentication reads of the server: the store, the access-key cache, the keys that
/// open stored secrets and session tokens, and the clock skew a signature may have.
pub trait Env {
    fn store(&self) -> &dyn Store;
    fn keys(&self) -> &KeyCache;
    fn master(&self) -> &MasterKey;
    fn sealing(&self) -> &SealingKeys;
    fn clock_skew(&self) -> chrono::TimeDelta;
}

/// A request's HTTP parts as SigV4 sees them.
#[derive(Debug)]
pub struct RequestParts<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

impl<'a> RequestParts<'a> {
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }
}

/// A verified caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub access_key_id: String,
    pub region: String,
    /// The session of temporary credentials; `None` for long-term access keys.
    pub session: Option<Arc<Session>>,
    /// When a one-time MFA code this request passed (GetSessionToken, AssumeRole) was
    /// verified, in Unix seconds; authorization checks it, once.
    pub mfa_verified_at: Option<i64>,
}

/// The signature parts, or `None` for an unsigned request.
pub fn parse_signature<'a>(
    parts: &RequestParts<'a>,
    query_params: &'a Params,
) -> Result<Option<Authorization<'a>>, AwsError> {
    let header = parts.header("authorization");
    let presigned = query_params.get("X-Amz-Algorithm").is_some()
        || query_params.get("X-Amz-Signature").is_some();
    match (header, presigned) {
        (Some(_), true) => Err(AwsError::invalid_parameter_value(
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified",
        )),
        (Some(h), false) => {
            sigv4::parse_authorization_header(h, parts.header("x-amz-date"), parts.header("date"))
                .map(Some)
        }
        (None, true) => sigv4::parse_presigned(|k| query_params.get(k)).map(Some),
        (None, false) => Ok(None),
    }
}

/// The cached key and its principal (read from the store after a write), or InvalidClientTokenId.
pub fn lookup_key(app: &dyn Env, id: &str) -> Result<Arc<CachedKey>, AwsError> {
    if let Some(k) = app.keys().get(id) {
        return Ok(k);
    }
    let generation = app.keys().generation();
    let key = app
        .store()
        .get_access_key(id)
        .map_err(store_error)?
        .ok_or_else(AwsError::invalid_client_token_id)?;
    let principal = match &key.user_id {
        None => Principal::Root {
            account: key.account.clone(),
        },
        Some(uid) => Principal::User(
            app.store()
                .get_user_by_id(&key.account, uid)
                .map_err(store_error)?
                .ok_or_else(AwsError::invalid_client_token_id)?,
        ),
    };
    let secret = app.master().open_secret(&key.sealed_secret, key.id.as_bytes()).map_err(|_| {
        tracing::error!(access_key_id = %key.id, "an access key secret cannot be decrypted with this master key");
        AwsError::internal()
    })?;
    let cached = Arc::new(CachedKey::new(principal, key.status, secret));
    app.keys().insert(id, cached.clone(), generation);
    Ok(cached)
}

fn store_error(e: StoreError) -> AwsError {
    tracing::error!(error = %e, "store failure during authentication");
    AwsError::internal()
}

fn check_signature(
    auth: &Authorization,
    parts: &RequestParts<'_>,
    signing_key: &[u8; 32],
) -> Result<(), AwsError> {
    let hash = sigv4::payload_hash(parts.body);
    let req = SignedRequest {
        method: parts.method,
        path: parts.path,
        query: parts.query,
        headers: parts.headers,
        payload_hash: &hash,
    };
    if sigv4::verify(&req, auth, signing_key) {
        Ok(())
    } else {
        Err(AwsError::signature_mismatch())
    }
}

/// The principal a session acts as. A session of a user that no longer exists is invalid.
fn session_principal(app: &dyn Env, session: &Session) -> Result<Principal, AwsError> {
    let account = session.account.clone();
    Ok(match &session.principal {
        SessionPrincipal::Root => Principal::Root { account },
        SessionPrincipal::User { id } => Principal::User(
            app.store()
                .get_user_by_id(&account, id)
                .map_err(store_error)?
                .ok_or_else(AwsError::invalid_client_token_id)?,
        ),
        SessionPrincipal::Role {
            id,
            name,
            path,
            session,
        } => Principal::RoleSession(RoleSession {
            account,
            role_id: id.clone(),
            role_name: name.clone(),
            role_path: path.clone(),
            session_name: session.clone(),
        }),
        SessionPrincipal::Federated { name, .. } => Principal::FederatedUser {
            account,
            name: name.clone(),
        },
    })
}

/// Temporary credentials: the token is opened with the sealing keys (no database), the secret
/// is derived from it, and the session must not have expired.
fn authenticate_session(
    app: &dyn Env,
    auth: &Authorization,
    parts: &RequestParts<'_>,
    token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Caller, AwsError> {
    let id = auth.credential.access_key_id;
    let token = token.ok_or_else(AwsError::invalid_client_token_id)?;
    let (session, secret) = app
        .sealing()
        .ring()
        .open(token)
        .map_err(|_| AwsError::invalid_client_token_id())?;
    if session.access_key_id != id {
        return Err(AwsError::invalid_client_token_id());
    }
    let c = &auth.credential;
    let key = sigv4::signing_key(secret.expose().as_bytes(), c.date, c.region, c.service);
    check_signature(auth, parts, &key)?;
    if now.timestamp() >= session.expires {
        return Err(AwsError::expired_token());
    }
    Ok(Caller {
        principal: session_principal(app, &session)?,
        access_key_id: id.to_string(),
        region: c.region.to_string(),
        session: Some(Arc::new(session)),
        mfa_verified_at: None,
    })
}

/// Verifies a signed request and returns its caller.
pub fn authenticate(
    app: &dyn Env,
    auth: &Authorization,
    parts: &RequestParts<'_>,
    security_token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Caller, AwsError> {
    // The signing window is checked against the real time, never the dev clock's shift: a
    // shift moves expiry and policy time, and clients keep signing with their own clocks.
    sigv4::check_time(auth, chrono::Utc::now(), app.clock_skew())?;
    let id = auth.credential.access_key_id;
    if id.starts_with("ASIA") {
        return authenticate_session(app, auth, parts, security_token, now);
    }
    // A session token never belongs to a long-term key.
    if security_token.is_some() {
        return Err(AwsError::invalid_client_token_id());
    }
    let key = lookup_key(app, id)?;
    let c = &auth.credential;
    check_signature(auth, parts, &key.signing_key(c.date, c.region, c.service))?;
    // Checked after the signature, so an inactive key reveals nothing to someone without its secret.
    if key.status != KeyStatus::Active {
        return Err(AwsError::invalid_client_token_id());
    }
    Ok(Caller {
        principal: key.principal.clone(),
        access_key_id: id.to_string(),
        region: c.region.to_string(),
        session: None,
        mfa_verified_at: None,
    })
}
