//! The rules of PutAccountProperties and outbound web identity federation, with AWS's words:
//! each property key is `Namespace/PropertyName` (1–50 characters of the key pattern), each
//! value 1–1,024 characters, at least one property and one namespace per request; outbound
//! federation can be enabled only when disabled and read or disabled only when enabled (checked
//! and changed in one transaction by [`enable_outbound`] and [`disable_outbound`]). The other
//! settings these operations (and SetSecurityTokenServicePreferences) change are written by
//! [`put_settings`], inside the request's transaction.

use crate::error::{IamError, IamResult};
use crate::store::Tx;
use regex::Regex;
use std::sync::LazyLock;

/// The pattern a property key must match (AWS quotes it in its refusal).
pub const KEY_PATTERN: &str = "^[A-Za-z][A-Za-z0-9/_-]*$";
static KEY: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(KEY_PATTERN).ok());

fn property_error(i: usize, field: &str, what: &str, value: &str) -> IamError {
    IamError::Validation(format!(
        "1 validation error detected: Value '{value}' at 'properties.{i}.member.{field}' failed to satisfy constraint: {what}"
    ))
}

/// AWS's wording for a length outside 1..=max.
fn length_violation(len: usize, max: usize) -> Option<String> {
    if len == 0 {
        Some("Member must have length greater than or equal to 1".to_string())
    } else if len > max {
        Some(format!(
            "Member must have length less than or equal to {max}"
        ))
    } else {
        None
    }
}

/// Checks the `i`th (from 1) key and its value; answers the key's namespace.
fn check_property<'a>(i: usize, key: &'a str, value: &str) -> IamResult<&'a str> {
    if let Some(what) = length_violation(key.encode_utf16().count(), 50) {
        return Err(property_error(i, "key", &what, key));
    }
    if !KEY.as_ref().is_some_and(|re| re.is_match(key)) {
        return Err(property_error(
            i,
            "key",
            &format!("Member must satisfy regular expression pattern: {KEY_PATTERN}"),
            key,
        ));
    }
    if let Some(what) = length_violation(value.encode_utf16().count(), 1024) {
        return Err(property_error(i, "value", &what, value));
    }
    match key.split_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => Ok(ns),
        _ => Err(IamError::InvalidInput(format!(
            "Property key {key} must be in the format Namespace/PropertyName."
        ))),
    }
}

/// Checks a PutAccountProperties request's `(key, value)` pairs, in the request's order.
pub fn check_properties(entries: &[(&str, &str)]) -> IamResult<()> {
    if entries.is_empty() {
        return Err(IamError::InvalidInput(
            "At least one property must be specified.".into(),
        ));
    }
    let mut namespace: Option<&str> = None;
    for (i, (key, value)) in entries.iter().enumerate() {
        let ns = check_property(i + 1, key, value)?;
        match namespace {
            Some(first) if first != ns => {
                return Err(IamError::InvalidInput(
                    "All properties in a request must belong to the same namespace.".into(),
                ));
            }
            _ => namespace = Some(ns),
        }
    }
    Ok(())
}

/// EnableOutboundWebIdentityFederation: refused when already enabled.
pub fn check_can_enable_outbound(enabled: bool) -> IamResult<()> {
    if enabled {
        return Err(IamError::OutboundFederationEnabled);
    }
    Ok(())
}

/// Disable/GetOutboundWebIdentityFederation(Info): refused when disabled.
pub fn check_outbound_enabled(enabled: bool) -> IamResult<()> {
    if !enabled {
        return Err(IamError::OutboundFederationDisabled);
    }
    Ok(())
}

/// The account setting naming the outbound federation issuer (kept while disabled).
pub const OUTBOUND_ISSUER: &str = "outbound-federation.issuer";
/// The account setting present while outbound federation is enabled.
pub const OUTBOUND_ENABLED: &str = "outbound-federation.enabled";

/// EnableOutboundWebIdentityFederation: enables it unless enabled; the issuer is the one it had
/// before, else `new_issuer`. Returns the issuer.
pub fn enable_outbound(tx: &dyn Tx, account: &str, new_issuer: &str) -> IamResult<String> {
    check_can_enable_outbound(tx.account_setting(account, OUTBOUND_ENABLED)?.is_some())?;
    let issuer = tx
        .account_setting(account, OUTBOUND_ISSUER)?
        .unwrap_or_else(|| new_issuer.to_string());
    let settings = [
        (OUTBOUND_ISSUER.to_string(), Some(issuer.clone())),
        (OUTBOUND_ENABLED.to_string(), Some("true".to_string())),
    ];
    tx.put_account_settings(account, &settings)?;
    Ok(issuer)
}

/// DisableOutboundWebIdentityFederation: disables it if enabled.
pub fn disable_outbound(tx: &dyn Tx, account: &str) -> IamResult<()> {
    check_outbound_enabled(tx.account_setting(account, OUTBOUND_ENABLED)?.is_some())?;
    Ok(tx.put_account_settings(account, &[(OUTBOUND_ENABLED.to_string(), None)])?)
}

/// Sets (`Some`) or removes (`None`) each of the account's settings.
pub fn put_settings(
    tx: &dyn Tx,
    account: &str,
    settings: &[(String, Option<String>)],
) -> IamResult<()> {
    Ok(tx.put_account_settings(account, settings)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: IamResult<()>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn properties_follow_awss_rules_and_words() {
        assert!(check_properties(&[("Team/Owner", "alice"), ("Team/Cost", "42")]).is_ok());
        assert_eq!(
            message(check_properties(&[])),
            "At least one property must be specified."
        );
        assert_eq!(
            message(check_properties(&[("Team/Owner", "a"), ("Ops/Owner", "b")])),
            "All properties in a request must belong to the same namespace."
        );
        assert_eq!(
            message(check_properties(&[("Team", "a")])),
            "Property key Team must be in the format Namespace/PropertyName."
        );
        assert_eq!(
            message(check_properties(&[("Team/a/b", "a")])),
            "Property key Team/a/b must be in the format Namespace/PropertyName."
        );
        assert_eq!(
            message(check_properties(&[("Team/Owner", "a"), ("9x/y", "b")])),
            "1 validation error detected: Value '9x/y' at 'properties.2.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z][A-Za-z0-9/_-]*$"
        );
        assert_eq!(
            message(check_properties(&[("Team/Owner", "")])),
            "1 validation error detected: Value '' at 'properties.1.member.value' failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
        let long = "k".repeat(51);
        assert!(message(check_properties(&[(&long, "v")])).contains("less than or equal to 50"));
        assert!(matches!(
            check_properties(&[("Team/Owner", "")]),
            Err(IamError::Validation(_))
        ));
    }

    #[test]
    fn outbound_federation_state_checks() {
        assert!(check_can_enable_outbound(false).is_ok());
        assert!(matches!(
            check_can_enable_outbound(true),
            Err(IamError::OutboundFederationEnabled)
        ));
        assert!(check_outbound_enabled(true).is_ok());
        assert_eq!(
            message(check_outbound_enabled(false)),
            "Outbound identity federation is disabled for your AWS account."
        );
    }
}
