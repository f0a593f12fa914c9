//! Virtual MFA devices and the one-time codes they show: RFC 6238 TOTP with AWS's parameters
//! (HMAC-SHA1, 6 digits, 30-second steps from the Unix epoch), the base32 text of seeds, and
//! the QR code of a seed's `otpauth://` URI ([`qr`]).

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use zeroize::Zeroizing;

pub mod qr;

/// Seconds per TOTP step.
pub const STEP_SECONDS: i64 = 30;
/// Seed length in bytes: AWS seeds are 64 base32 characters.
pub const SEED_LEN: usize = 40;

/// A virtual MFA device of an account. Its serial number is its ARN.
#[derive(Clone, PartialEq, Eq)]
pub struct VirtualMfaDevice {
    pub serial: String,
    pub account: String,
    pub name: String,
    pub path: String,
    /// The seed, sealed under the master key with the serial number as associated data.
    pub sealed_seed: Vec<u8>,
    pub created: DateTime<Utc>,
    /// The user the device is enabled for, if it is assigned.
    pub user_id: Option<String>,
    pub enabled: Option<DateTime<Utc>>,
    /// How far the device's clock runs from the server's, in steps (ResyncMFADevice measures
    /// it; EnableMFADevice records it only when it is more than a step).
    pub drift: i64,
    /// The last time step whose code was accepted; a code of that step or an earlier one is
    /// never accepted again.
    pub last_step: Option<i64>,
}

impl std::fmt::Debug for VirtualMfaDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VirtualMfaDevice")
            .field("serial", &self.serial)
            .field("user_id", &self.user_id)
            .field("enabled", &self.enabled)
            .field("drift", &self.drift)
            .field("last_step", &self.last_step)
            .finish_non_exhaustive()
    }
}

/// What verifying a pair of codes established: the device's drift and the step of the second
/// code, which becomes the device's last accepted step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MfaSync {
    pub drift: i64,
    pub last_step: i64,
}

/// A fresh random seed.
pub fn new_seed() -> Zeroizing<Vec<u8>> {
    let mut seed = Zeroizing::new(vec![0u8; SEED_LEN]);
    rand::rngs::OsRng.fill_bytes(seed.as_mut_slice());
    seed
}

/// RFC 4648 base32 (upper case, no padding: a 40-byte seed is exactly 64 characters).
pub fn base32(bytes: &[u8]) -> Zeroizing<String> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = Zeroizing::new(String::with_capacity(bytes.len().div_ceil(5) * 8));
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The time step of `t` (Unix seconds).
pub fn step_of(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(STEP_SECONDS)
}

/// The code of time step `step` with `digits` digits (RFC 4226 dynamic truncation).
pub fn hotp(seed: &[u8], step: i64, digits: u32) -> u32 {
    // HMAC takes keys of any length.
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(seed) else {
        return 0;
    };
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[h.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes([
        h[offset] & 0x7f,
        h[offset + 1],
        h[offset + 2],
        h[offset + 3],
    ]);
    bin % 10u32.pow(digits)
}

/// The six-digit code a device with `seed` shows during `step`.
pub fn code(seed: &[u8], step: i64) -> String {
    format!("{:06}", hotp(seed, step, 6))
}

/// Whether `text` is the code of `step`.
fn matches(seed: &[u8], step: i64, text: &str) -> bool {
    text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) && code(seed, step) == text
}

/// Two consecutive codes (`first` for some step s, `second` for s + 1) with s + 1 within
/// `window` steps of `expected` (the server's step corrected by the known drift), the closest
/// match first. `now_step` is the server's step, against which the new drift is measured.
pub fn verify_pair(
    seed: &[u8],
    first: &str,
    second: &str,
    now_step: i64,
    expected: i64,
    window: i64,
) -> Option<MfaSync> {
    (0..=window)
        .flat_map(|d| [expected + d, expected - d])
        .find(|&s| matches(seed, s - 1, first) && matches(seed, s, second))
        .map(|s| MfaSync {
            drift: s - now_step,
            last_step: s,
        })
}

/// The step of a one-time code within `skew` steps of `expected` and after `last_step`, the
/// earliest such step first (so a later code of the device is still usable afterwards).
pub fn verify_code(
    seed: &[u8],
    text: &str,
    expected: i64,
    skew: i64,
    last_step: Option<i64>,
) -> Option<i64> {
    (expected - skew..=expected + skew)
        .filter(|&s| last_step.is_none_or(|l| s > l))
        .find(|&s| matches(seed, s, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SHA-1 seed of RFC 6238 Appendix B.
    const RFC_SEED: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc6238_sha1_test_vectors() {
        for (t, want) in [
            (59_i64, 94_287_082_u32),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ] {
            assert_eq!(hotp(RFC_SEED, t / STEP_SECONDS, 8), want, "T = {t}");
        }
    }

    #[test]
    fn six_digit_codes_are_the_last_six_digits() {
        assert_eq!(code(RFC_SEED, 59 / 30), "287082");
        assert_eq!(code(RFC_SEED, 1_111_111_109 / 30), "081804");
    }

    #[test]
    fn base32_matches_rfc4648_and_seeds_are_64_characters() {
        assert_eq!(base32(b"").as_str(), "");
        assert_eq!(base32(b"f").as_str(), "MY");
        assert_eq!(base32(b"foobar").as_str(), "MZXW6YTBOI");
        assert_eq!(
            base32(RFC_SEED).as_str(),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        let s = base32(&new_seed());
        assert_eq!(s.len(), 64);
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        );
    }

    #[test]
    fn pairs_must_be_consecutive_and_near() {
        let now = 1_000_000;
        let c = |s| code(RFC_SEED, s);
        assert_eq!(
            verify_pair(RFC_SEED, &c(now - 1), &c(now), now, now, 2),
            Some(MfaSync {
                drift: 0,
                last_step: now
            })
        );
        // Swapped or non-consecutive codes fail.
        assert_eq!(
            verify_pair(RFC_SEED, &c(now), &c(now - 1), now, now, 2),
            None
        );
        assert_eq!(
            verify_pair(RFC_SEED, &c(now - 2), &c(now), now, now, 2),
            None
        );
        // Outside the window, and found again with a wider one, drift measured.
        assert_eq!(
            verify_pair(RFC_SEED, &c(now - 6), &c(now - 5), now, now, 2),
            None
        );
        assert_eq!(
            verify_pair(RFC_SEED, &c(now - 6), &c(now - 5), now, now, 10),
            Some(MfaSync {
                drift: -5,
                last_step: now - 5
            })
        );
        assert_eq!(verify_pair(RFC_SEED, "12345", "abcdef", now, now, 10), None);
    }

    #[test]
    fn codes_are_accepted_once_within_the_skew() {
        let now = 2_000_000;
        let c = |s| code(RFC_SEED, s);
        assert_eq!(verify_code(RFC_SEED, &c(now), now, 1, None), Some(now));
        assert_eq!(
            verify_code(RFC_SEED, &c(now + 1), now, 1, None),
            Some(now + 1)
        );
        assert_eq!(verify_code(RFC_SEED, &c(now - 2), now, 1, None), None);
        // A used step (or an earlier one) is refused: replay.
        assert_eq!(verify_code(RFC_SEED, &c(now), now, 1, Some(now)), None);
        assert_eq!(
            verify_code(RFC_SEED, &c(now + 1), now, 1, Some(now)),
            Some(now + 1)
        );
    }
}
