//! Virtual MFA devices, addressed by serial number: `MfaStore` over the engine interface. Their tags are kept
//! under the serial number and go with them by a trigger.

use crate::engine::{
    Conn, Engine, EngineTx, Row, SqlStore, all_rows, any, change, count, exec, optional_row, params,
};
use crate::page::page_by_name;
use crate::rows::{opt_ts, parse_ts, ts};
use chrono::{DateTime, Utc};
use portcullis_core::mfa::{MfaSync, VirtualMfaDevice};
use portcullis_core::store::MfaTx;
use portcullis_core::store::prelude::*;
use portcullis_core::{Page, StoreResult, Tag};

/// The device columns in the order [`device_row`] reads them.
macro_rules! device_columns {
    () => {
        "serial, account, name, path, seed, created, user_id, enabled, drift, last_step"
    };
}

fn device_row(r: &Row) -> StoreResult<VirtualMfaDevice> {
    Ok(VirtualMfaDevice {
        serial: r.get(0)?,
        account: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        sealed_seed: r.get(4)?,
        created: parse_ts(&r.get::<String>(5)?)?,
        user_id: r.get(6)?,
        enabled: opt_ts(r.get(7)?)?,
        drift: r.get(8)?,
        last_step: r.get(9)?,
    })
}

fn find_device(c: &dyn Conn, account: &str, serial: &str) -> StoreResult<Option<VirtualMfaDevice>> {
    optional_row(
        c,
        concat!(
            "SELECT ",
            device_columns!(),
            " FROM mfa_devices WHERE account = ?1 AND serial = ?2"
        ),
        params![account, serial],
        device_row,
    )
}

impl<E: Engine> MfaStore for SqlStore<E> {
    fn get_mfa_device(&self, account: &str, serial: &str) -> StoreResult<Option<VirtualMfaDevice>> {
        self.read(|c| find_device(c, account, serial))
    }

    fn list_mfa_devices(
        &self,
        account: &str,
        assigned: Option<bool>,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<VirtualMfaDevice>> {
        // ?2: 0 any, 1 assigned only, 2 unassigned only.
        let filter: i64 = match assigned {
            None => 0,
            Some(true) => 1,
            Some(false) => 2,
        };
        let sql = concat!(
            "SELECT ",
            device_columns!(),
            ", name_lc FROM mfa_devices WHERE account = ?1
             AND (?2 = 0 OR (?2 = 1) = (user_id IS NOT NULL))
             AND name_lc >= ?3 ORDER BY name_lc LIMIT ?4"
        );
        self.read(|c| {
            page_by_name(
                c,
                sql,
                params![account, filter],
                marker,
                max_items,
                device_row,
            )
        })
    }

    fn accept_mfa_step(&self, account: &str, serial: &str, step: i64) -> StoreResult<bool> {
        self.record(|tx| {
            let n = tx.execute(
                "UPDATE mfa_devices SET last_step = ?3
                     WHERE account = ?1 AND serial = ?2 AND (last_step IS NULL OR last_step < ?3)",
                params![account, serial, step],
            )?;
            Ok(n > 0)
        })
    }

    fn mfa_devices_for_user(
        &self,
        account: &str,
        user_id: &str,
    ) -> StoreResult<Vec<VirtualMfaDevice>> {
        self.read(|c| all_rows(
            c,
            concat!(
                "SELECT ",
                device_columns!(),
                " FROM mfa_devices WHERE account = ?1 AND user_id = ?2 ORDER BY enabled, name_lc"
            ),
            params![account, user_id],
            device_row,
        ))
    }

    fn mfa_device_counts(&self, account: &str) -> StoreResult<(usize, usize)> {
        self.read(|c| {
            Ok((
                count(
                    c,
                    "SELECT COUNT(*) FROM mfa_devices WHERE account = ?1",
                    params![account],
                )?,
                count(
                    c,
                    "SELECT COUNT(*) FROM mfa_devices WHERE account = ?1 AND user_id IS NOT NULL",
                    params![account],
                )?,
            ))
        })
    }
}

impl MfaTx for EngineTx<'_> {
    fn mfa_device(&self, account: &str, serial: &str) -> StoreResult<Option<VirtualMfaDevice>> {
        find_device(self.0, account, serial)
    }

    fn mfa_device_taken(&self, account: &str, name: &str, serial: &str) -> StoreResult<bool> {
        any(
            self.0,
            "SELECT COUNT(*) FROM mfa_devices WHERE (account = ?1 AND name_lc = ?2) OR serial = ?3",
            params![account, name.to_ascii_lowercase(), serial],
        )
    }

    fn count_mfa_devices(&self, account: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM mfa_devices WHERE account = ?1",
            params![account],
        )
    }

    fn insert_mfa_device(&self, d: &VirtualMfaDevice, tags: &[Tag]) -> StoreResult<()> {
        exec(
            self.0,
            "INSERT INTO mfa_devices (serial, account, name, name_lc, path, seed, created, user_id, enabled, drift, last_step)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                d.serial,
                d.account,
                d.name,
                d.name.to_ascii_lowercase(),
                d.path,
                d.sealed_seed,
                ts(d.created),
                d.user_id,
                d.enabled.map(ts),
                d.drift,
                d.last_step
            ],
        )?;
        super::tags::put_tags(self.0, &d.serial, tags, false)
    }

    fn count_user_mfa_devices(&self, user_id: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM mfa_devices WHERE user_id = ?1",
            params![user_id],
        )
    }

    fn assign_mfa_device(
        &self,
        serial: &str,
        user_id: &str,
        at: DateTime<Utc>,
        sync: MfaSync,
    ) -> StoreResult<()> {
        change(
            self.0,
            "UPDATE mfa_devices SET user_id = ?2, enabled = ?3, drift = ?4, last_step = ?5 WHERE serial = ?1",
            params![serial, user_id, ts(at), sync.drift, sync.last_step],
        )
    }

    fn remove_mfa_device(&self, serial: &str) -> StoreResult<()> {
        exec(
            self.0,
            "DELETE FROM mfa_devices WHERE serial = ?1",
            params![serial],
        )
    }

    fn deactivate_mfa_device(&self, account: &str, serial: &str, user_id: &str) -> StoreResult<()> {
        change(
            self.0,
            "UPDATE mfa_devices SET user_id = NULL, enabled = NULL, drift = 0
             WHERE account = ?1 AND serial = ?2 AND user_id = ?3",
            params![account, serial, user_id],
        )
    }

    fn resync_mfa_device(&self, account: &str, serial: &str, sync: MfaSync) -> StoreResult<()> {
        change(
            self.0,
            "UPDATE mfa_devices SET drift = ?3, last_step = ?4
             WHERE account = ?1 AND serial = ?2",
            params![account, serial, sync.drift, sync.last_step],
        )
    }
}
