//! Virtual MFA devices: CreateVirtualMFADevice, DeleteVirtualMFADevice, ListVirtualMFADevices,
//! EnableMFADevice, DeactivateMFADevice, ResyncMFADevice, ListMFADevices, GetMFADevice and
//! device tags. (The check of the one-time code STS requests pass is `authz::mfa`.)
//!
//! Seeds are sealed under the master key (bound to the serial number) and shown only once, in
//! CreateVirtualMFADevice's answer. Codes are checked against the server's clock.

use crate::handlers::lookup::find_user;
use crate::handlers::owner::owner;
use crate::handlers::pager::{PageArgs, page_of, truncation};
use crate::handlers::shapes::{self, UserShape};
use crate::handlers::tagging::parse_tags;
use crate::handlers::{Ctx, iam_error, store_failure, write};
use portcullis_core::IamError;
use portcullis_core::Secret;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::mfa as devices;
use portcullis_core::iam::mfa_codes::{TOKEN_SKEW, open_seed};
use portcullis_core::mfa::{self, VirtualMfaDevice};
use portcullis_core::{User, arn};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    CreateVirtualMFADeviceInput, DeactivateMFADeviceInput, DeleteVirtualMFADeviceInput,
    EnableMFADeviceInput, GetMFADeviceInput, ListMFADevicesInput, ListVirtualMFADevicesInput,
    ResyncMFADeviceInput,
};
use portcullis_proto::output::{
    Blob, CreateVirtualMFADeviceOutput, GetMFADeviceOutput, ListMFADevicesOutput,
    ListVirtualMFADevicesOutput, MFADevice, VirtualMFADevice,
};
use zeroize::Zeroizing;

/// How far (in steps, either way) EnableMFADevice looks for the pair of codes.
const ENABLE_WINDOW: i64 = 4;
/// ResyncMFADevice's wider search, in steps either way (30 minutes).
const RESYNC_WINDOW: i64 = 60;

fn no_such_device(serial: &str) -> AwsError {
    iam_error(IamError::no_such(EntityKind::MfaDevice, serial))
}

/// The device `serial` names in the caller's account.
fn find_device(ctx: &Ctx, serial: &str) -> Result<VirtualMfaDevice, AwsError> {
    ctx.app
        .store
        .get_mfa_device(ctx.account()?, serial)
        .map_err(store_failure)?
        .ok_or_else(|| no_such_device(serial))
}

/// The name an authenticator app shows for the account: its alias if it has one, else its id.
fn account_label(ctx: &Ctx, account: &str) -> Result<String, AwsError> {
    Ok(ctx
        .app
        .store
        .account_aliases(account)
        .map_err(store_failure)?
        .into_iter()
        .next()
        .unwrap_or_else(|| account.to_string()))
}

pub fn create_virtual_mfa_device(ctx: &Ctx) -> Result<CreateVirtualMFADeviceOutput, AwsError> {
    let account = ctx.account()?;
    let i: &CreateVirtualMFADeviceInput = ctx.input()?;
    let name = i.virtual_mfa_device_name.as_str();
    let path = i.path.as_deref().unwrap_or("/");
    let tags = parse_tags(i.tags.as_deref(), "Tags")?;
    let serial = arn::entity(account, "mfa", path, name);
    let seed = mfa::new_seed();
    let secret = mfa::base32(&seed);
    let uri = Zeroizing::new(format!(
        "otpauth://totp/{name}@{}?secret={}",
        account_label(ctx, account)?,
        secret.as_str()
    ));
    let png = mfa::qr::png(&uri).ok_or_else(AwsError::internal)?;
    let device = VirtualMfaDevice {
        serial: serial.clone(),
        account: account.to_string(),
        name: name.to_string(),
        path: path.to_string(),
        sealed_seed: ctx.app.master.seal(&seed, serial.as_bytes()),
        created: ctx.now,
        user_id: None,
        enabled: None,
        drift: 0,
        last_step: None,
    };
    let quotas = ctx.app.settings.quotas;
    write(ctx, |tx| devices::create(tx, &device, &tags, &quotas))?;
    Ok(CreateVirtualMFADeviceOutput {
        virtual_mfa_device: VirtualMFADevice {
            serial_number: serial,
            // The base32 seed as text, which the answer carries in base64.
            base32_string_seed: Some(Blob(secret.as_bytes().to_vec())),
            qr_code_png: Some(Blob(png)),
            tags: shapes::tags_if_any(&tags),
            ..Default::default()
        },
    })
}

pub fn delete_virtual_mfa_device(ctx: &Ctx) -> Result<(), AwsError> {
    let serial = ctx
        .input::<DeleteVirtualMFADeviceInput>()?
        .serial_number
        .as_str();
    let account = ctx.account()?;
    write(ctx, |tx| devices::delete(tx, account, serial))
}

pub fn list_virtual_mfa_devices(ctx: &Ctx) -> Result<ListVirtualMFADevicesOutput, AwsError> {
    let account = ctx.account()?;
    let status = ctx
        .input::<ListVirtualMFADevicesInput>()?
        .assignment_status
        .as_deref();
    let assigned = match status {
        Some("Assigned") => Some(true),
        Some("Unassigned") => Some(false),
        _ => None,
    };
    let args = PageArgs::from(ctx)?;
    let page = ctx
        .app
        .store
        .list_mfa_devices(account, assigned, args.marker.as_deref(), args.max_items)
        .map_err(store_failure)?;
    let mut devices = Vec::with_capacity(page.items.len());
    for d in &page.items {
        let user: Option<User> = match &d.user_id {
            Some(id) => ctx
                .app
                .store
                .get_user_by_id(account, id)
                .map_err(store_failure)?,
            None => None,
        };
        devices.push(VirtualMFADevice {
            serial_number: d.serial.clone(),
            enable_date: d.enabled.filter(|_| user.is_some()),
            user: user.map(|u| shapes::user(&u, UserShape::Listed)),
            ..Default::default()
        });
    }
    let (is_truncated, marker) = truncation(page.next_marker.as_deref());
    Ok(ListVirtualMFADevicesOutput {
        virtual_mfa_devices: devices,
        is_truncated,
        marker,
    })
}

/// The two consecutive codes (`AuthenticationCode1` and `AuthenticationCode2`) of `d`, found
/// within `window` steps of the server's clock.
fn verify_codes(
    ctx: &Ctx,
    d: &VirtualMfaDevice,
    (code1, code2): (&Secret, &Secret),
    window: i64,
) -> Result<mfa::MfaSync, AwsError> {
    let seed = open_seed(&ctx.app.master, d).map_err(iam_error)?;
    let codes = (code1.expose(), code2.expose());
    devices::check_codes(&seed, codes, mfa::step_of(ctx.now), window).map_err(iam_error)
}

pub fn enable_mfa_device(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &EnableMFADeviceInput = ctx.input()?;
    let user = find_user(ctx, &i.user_name)?;
    let device = find_device(ctx, &i.serial_number)?;
    if device.user_id.is_some() {
        return Err(iam_error(IamError::MfaDeviceInUse));
    }
    let codes = (&i.authentication_code1, &i.authentication_code2);
    let mut sync = verify_codes(ctx, &device, codes, ENABLE_WINDOW)?;
    // Codes typed a step late are the usual case, not a slow clock: a drift within the skew
    // STS allows anyway is not recorded (ResyncMFADevice records any).
    if sync.drift.abs() <= TOKEN_SKEW {
        sync.drift = 0;
    }
    write(ctx, |tx| {
        devices::enable(tx, &user.account, &device.serial, &user.id, ctx.now, sync)
    })
}

/// The device `serial` as enabled for `user_id`; NoSuchEntity when it is not.
fn assigned_device(
    ctx: &Ctx,
    serial: &str,
    user_id: Option<&str>,
) -> Result<VirtualMfaDevice, AwsError> {
    devices::assigned(find_device(ctx, serial).ok(), serial, user_id).map_err(iam_error)
}

pub fn deactivate_mfa_device(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &DeactivateMFADeviceInput = ctx.input()?;
    let o = owner(ctx, i.user_name.as_deref())?;
    let account = ctx.account()?;
    write(ctx, |tx| {
        devices::deactivate(tx, account, &i.serial_number, o.user_id.as_deref())
    })
}

pub fn resync_mfa_device(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &ResyncMFADeviceInput = ctx.input()?;
    let user = find_user(ctx, &i.user_name)?;
    let device = assigned_device(ctx, &i.serial_number, Some(&user.id))?;
    let codes = (&i.authentication_code1, &i.authentication_code2);
    let sync = verify_codes(ctx, &device, codes, RESYNC_WINDOW)?;
    write(ctx, |tx| {
        devices::resync(tx, &device.account, &device.serial, &user.id, sync)
    })
}

pub fn list_mfa_devices(ctx: &Ctx) -> Result<ListMFADevicesOutput, AwsError> {
    let o = owner(
        ctx,
        ctx.input::<ListMFADevicesInput>()?.user_name.as_deref(),
    )?;
    // The root user's devices are not supported: it has none.
    let devices = match &o.user_id {
        Some(uid) => ctx
            .app
            .store
            .mfa_devices_for_user(ctx.account()?, uid)
            .map_err(store_failure)?,
        None => Vec::new(),
    };
    let (page, next) = page_of(devices, &PageArgs::from(ctx)?)?;
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok(ListMFADevicesOutput {
        // Only a user's devices are listed, each enabled (hence its enable date).
        mfa_devices: page
            .iter()
            .map(|d| MFADevice {
                user_name: o.user_name.clone().unwrap_or_default(),
                serial_number: d.serial.clone(),
                enable_date: d.enabled.unwrap_or(d.created),
            })
            .collect(),
        is_truncated,
        marker,
    })
}

pub fn get_mfa_device(ctx: &Ctx) -> Result<GetMFADeviceOutput, AwsError> {
    let i: &GetMFADeviceInput = ctx.input()?;
    let o = owner(ctx, i.user_name.as_deref())?;
    let device = assigned_device(ctx, &i.serial_number, o.user_id.as_deref())?;
    Ok(GetMFADeviceOutput {
        user_name: o.user_name,
        serial_number: device.serial,
        enable_date: device.enabled,
        ..Default::default()
    })
}

crate::handlers::tagging::tag_handlers!(
    tag_mfa_device(TagMFADeviceInput), untag_mfa_device(UntagMFADeviceInput), list_mfa_device_tags(ListMFADeviceTagsInput) -> ListMFADeviceTagsOutput,
    serial_number, |ctx, name| find_device(ctx, name)?.serial, fold_case: false
);
