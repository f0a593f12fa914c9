//! Feeds arbitrary UTF-8 to the SAML metadata reader that CreateSAMLProvider
//! and UpdateSAMLProvider use. Nothing here may panic, and what parses must
//! be readable the way the handlers read it (ValidUntil shown as a date).
#![no_main]

use chrono::{DateTime, SecondsFormat};
use libfuzzer_sys::fuzz_target;
use portcullis_core::saml_metadata::{default_valid_until, parse};

fuzz_target!(|doc: &str| {
    let Ok(metadata) = parse(doc) else {
        return;
    };
    let created = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
    let valid_until = metadata
        .valid_until
        .unwrap_or_else(|| default_valid_until(created));
    let _ = valid_until.to_rfc3339_opts(SecondsFormat::Secs, true);
    let _ = metadata.entity_id.as_deref().map(str::len);
    // The same document parses the same way twice.
    assert_eq!(parse(doc).ok(), Some(metadata));
});
