//! Assigning a virtual MFA device from the console: the page shows a new seed as a QR code
//! (and as text), and the device is created and enabled together, in one transaction, once two
//! consecutive codes prove the authenticator holds it; until then the seed exists only sealed
//! in the form, so abandoned set-ups leave nothing behind. Deactivating removes the device.
//! Decided as CreateVirtualMFADevice with EnableMFADevice, and DeactivateMFADevice.

use super::Cx;
use super::credentials::{back_to, target_user};
use super::guard::{allowed, denied, render, with_session, write};
use super::view::{self, Out, with_status};
use super::who::Who;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use portcullis_core::mfa::{self, VirtualMfaDevice};
use portcullis_core::{User, arn, store};
use portcullis_proto::Operation;
use serde_json::json;

/// Steps either way the two codes may be from the server's clock (as EnableMFADevice).
const WINDOW: i64 = 4;

fn aad(serial: &str) -> Vec<u8> {
    format!("portcullis console mfa setup\0{serial}").into_bytes()
}

/// `/console/users/{name}/mfa`: the set-up page (GET) and the two codes (POST).
pub fn assign(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let name = cx.segment("name");
        let serial = arn::entity(&who.state.account, "mfa", "/", name);
        let checks = [
            (
                Operation::CreateVirtualMFADevice,
                vec![("VirtualMFADeviceName", name)],
            ),
            (
                Operation::EnableMFADevice,
                vec![("UserName", name), ("SerialNumber", serial.as_str())],
            ),
        ];
        for (op, names) in &checks {
            if let Err(why) = allowed(cx, who, *op, names) {
                return denied(cx, who, section(cx), &format!("iam:{}", op.name()), &why);
            }
        }
        let user = match target_user(cx, who, name) {
            Ok(u) => u,
            Err(out) => return out,
        };
        if !cx.post {
            let seed = mfa::new_seed();
            return setup_page(cx, who, &user, &serial, &seed, None);
        }
        let Some(seed) = URL_SAFE_NO_PAD
            .decode(cx.field("sealed"))
            .ok()
            .and_then(|s| cx.app.master.open(&s, &aad(&serial)).ok())
        else {
            return view::plain(400, "The set-up form is not valid; start again.");
        };
        let now_step = mfa::step_of(cx.now);
        let Some(mut sync) = mfa::verify_pair(
            &seed,
            cx.field("code1"),
            cx.field("code2"),
            now_step,
            now_step,
            WINDOW,
        ) else {
            return with_status(
                setup_page(
                    cx,
                    who,
                    &user,
                    &serial,
                    &seed,
                    Some("The codes are not right: enter two consecutive codes."),
                ),
                400,
            );
        };
        if sync.drift.abs() <= portcullis_core::iam::mfa_codes::TOKEN_SKEW {
            sync.drift = 0;
        }
        let device = VirtualMfaDevice {
            serial: serial.clone(),
            account: user.account.clone(),
            name: name.to_string(),
            path: "/".to_string(),
            sealed_seed: cx.app.master.seal(&seed, serial.as_bytes()),
            created: cx.now,
            user_id: None,
            enabled: None,
            drift: 0,
            last_step: None,
        };
        let quotas = cx.app.settings.quotas;
        let written = write(cx, |tx| {
            portcullis_core::iam::mfa::create(tx, &device, &[], &quotas)?;
            portcullis_core::iam::mfa::enable(tx, &user.account, &serial, &user.id, cx.now, sync)
        });
        match written {
            Ok(()) => back_to(cx, name, "mfa"),
            Err(msg) => with_status(setup_page(cx, who, &user, &serial, &seed, Some(&msg)), 409),
        }
    })
}

fn section(cx: &Cx) -> &'static str {
    if cx.field("back") == "me" {
        "me"
    } else {
        "users"
    }
}

fn setup_page(
    cx: &Cx,
    who: &Who,
    user: &User,
    serial: &str,
    seed: &[u8],
    error: Option<&str>,
) -> Out {
    let label = cx
        .app
        .store
        .account_aliases(&user.account)
        .ok()
        .and_then(|a| a.into_iter().next())
        .unwrap_or_else(|| user.account.clone());
    let secret = mfa::base32(seed);
    let uri = format!(
        "otpauth://totp/Portcullis:{}@{label}?secret={}&issuer=Portcullis",
        user.name,
        secret.as_str()
    );
    let Some(png) = mfa::qr::png(&uri) else {
        return view::plain(500, "The QR code could not be drawn.");
    };
    let sealed = URL_SAFE_NO_PAD.encode(cx.app.master.seal(seed, &aad(serial)));
    render(
        cx,
        who,
        section(cx),
        "mfa_setup.html",
        json!({
            "target": user.name,
            "serial": serial,
            "qr": format!("data:image/png;base64,{}", STANDARD.encode(png)),
            "secret": secret.as_str(),
            "sealed": sealed,
            "error": error,
            "back": cx.field("back"),
        }),
    )
}

/// `/console/users/{name}/mfa/deactivate` (POST): unassigns and removes the device.
pub fn deactivate(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let name = cx.segment("name");
        let serial = cx.field("serial");
        if let Err(why) = allowed(
            cx,
            who,
            Operation::DeactivateMFADevice,
            &[("UserName", name), ("SerialNumber", serial)],
        ) {
            return denied(cx, who, section(cx), "iam:DeactivateMFADevice", &why);
        }
        let user = match target_user(cx, who, name) {
            Ok(u) => u,
            Err(out) => return out,
        };
        let store = &cx.app.store;
        let unassigned = store::write(&**store, |tx| {
            portcullis_core::iam::mfa::deactivate(tx, &user.account, serial, Some(&user.id))
        });
        if unassigned.is_err() {
            return view::plain(404, "That MFA device is not assigned to the user.");
        }
        let account = user.account.clone();
        // The device was the console's own; a refusal to delete it leaves it unassigned.
        let _ = store::write(&**store, |tx| {
            portcullis_core::iam::mfa::delete(tx, &account, serial)
        });
        cx.app.invalidate_caches();
        back_to(cx, name, "mfa-removed")
    })
}
