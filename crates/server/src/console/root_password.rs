//! The root user's console password: set at `init` (`--root-password-file`), by `portcullis
//! account set-root-password`, or for `dev` from `PORTCULLIS_ROOT_PASSWORD`; checked against
//! the account's password policy (AWS's defaults when none is set) and the common-password
//! screen, and kept only as an Argon2id hash in the account's settings.

use super::signin::ROOT_PASSWORD;
use anyhow::{Context, Result, bail};
use portcullis_core::Store;
use portcullis_core::passwords::{self, Screening};
use std::io::BufRead;
use std::path::Path;

/// The variable that may carry the password (so it is not in the shell's history).
pub const ENV: &str = "PORTCULLIS_ROOT_PASSWORD";

/// The new password: the first line of `file`, else `PORTCULLIS_ROOT_PASSWORD`, else (when
/// `stdin` is allowed) the first line of standard input; `None` when none is given.
pub fn read(file: Option<&Path>, stdin: bool) -> Result<Option<String>> {
    if let Some(path) = file {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        return Ok(text.lines().next().map(str::to_string));
    }
    if let Ok(p) = std::env::var(ENV) {
        return Ok(Some(p));
    }
    if !stdin {
        return Ok(None);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(Some(line.trim_end_matches(['\r', '\n']).to_string()))
}

/// Checks and stores `password` as `account`'s root password.
pub fn set(store: &dyn Store, account: &str, password: &str) -> Result<()> {
    if store
        .get_account(account)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .is_none()
    {
        bail!("account {account} does not exist");
    }
    let policy = store
        .password_policy(account)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let screening = Screening {
        enabled: true,
        user_name: "root",
    };
    if let Err(v) = passwords::check(password, policy.as_ref(), screening) {
        bail!("{}", v.0);
    }
    let hash = passwords::hash(password).map_err(|e| anyhow::anyhow!("{e}"))?;
    store
        .put_account_settings(account, &[(ROOT_PASSWORD.to_string(), Some(hash))])
        .map_err(|e| anyhow::anyhow!("{e}"))
}
