//! The credentials tab of a user's page (and of "My security credentials"): the console
//! password, the MFA devices and the access keys, each part shown only when the policy engine
//! allows its read, and the fixed notices a redirect back to it may name.

use super::Cx;
use super::guard::allowed;
use super::signin::locked_key;
use super::view::{ago, days};
use super::who::Who;
use portcullis_core::User;
use portcullis_proto::Operation;
use serde_json::{Value, json};

/// Fixed notices a redirect may name (`?done=`), so no text comes from the URL.
pub fn notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "password" => "The console password was saved.",
        "password-changed" => "Your password was changed.",
        "password-removed" => "Console access was removed.",
        "reset-required" => "The user must choose a new password at the next sign-in.",
        "unlocked" => "The user may sign in again.",
        "mfa" => "The MFA device is assigned; it is asked for at every sign-in.",
        "mfa-removed" => "The MFA device was deactivated.",
        "key" => "The access key was updated.",
        "key-deleted" => "The access key was deleted.",
        _ => return None,
    })
}

/// The credentials tab of `user`, each part read only when the engine allows the signed-in
/// principal the read (GetLoginProfile, ListMFADevices, ListAccessKeys); a refused part says
/// why instead.
pub fn credentials_data(cx: &Cx, who: &Who, user: &User) -> Value {
    let mut data = credentials_of(cx, user);
    let name = [("UserName", user.name.as_str())];
    for (op, part) in [
        (Operation::GetLoginProfile, "password"),
        (Operation::ListMFADevices, "devices"),
        (Operation::ListAccessKeys, "keys"),
    ] {
        if let Err(why) = allowed(cx, who, op, &name) {
            data[part] = Value::Null;
            data[format!("{part}_denied")] = json!(why);
        }
    }
    data
}

fn credentials_of(cx: &Cx, user: &User) -> Value {
    let store = &cx.app.store;
    let profile = store.login_profile(&user.account, &user.id).ok().flatten();
    let locked = store
        .account_setting(&user.account, &locked_key(&user.id))
        .ok()
        .flatten()
        .is_some();
    let devices: Vec<Value> = store
        .mfa_devices_for_user(&user.account, &user.id)
        .unwrap_or_default()
        .iter()
        .filter(|d| d.enabled.is_some())
        .map(|d| {
            json!({
                "serial": d.serial,
                "enabled": d.enabled.map(|t| t.format("%Y-%m-%d").to_string()),
            })
        })
        .collect();
    let keys: Vec<Value> = store
        .list_access_keys(&user.account, Some(&user.id))
        .unwrap_or_default()
        .iter()
        .map(|k| {
            json!({
                "id": k.id,
                "active": k.status == portcullis_core::KeyStatus::Active,
                "age": days(cx, k.created),
                "created": k.created.format("%Y-%m-%d").to_string(),
                "last_used": ago(cx, k.last_used.as_ref().map(|l| l.at)),
                "service": k.last_used.as_ref().map(|l| l.service.clone()),
            })
        })
        .collect();
    json!({
        "target": user.name,
        "password": profile.as_ref().map(|p| json!({
            "age": days(cx, p.password_changed),
            "reset_required": p.reset_required,
        })),
        "locked": locked,
        "devices": devices,
        "keys": keys,
        "back": "",
    })
}
