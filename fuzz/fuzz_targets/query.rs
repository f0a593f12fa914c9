//! Feeds arbitrary bytes to the AWS Query decoder (`Params::parse`, then
//! `extend` with the second half) and exercises every accessor on names taken
//! from the decoded keys themselves. Nothing here may panic.
//!
//! Input layout: the first 0xFF byte (if any) splits the input into a form
//! body and a query string, as a POST with both would carry them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portcullis_proto::Params;

/// Names to ask the accessors about: each key, and each prefix of it that
/// ends before a `.` (so `Tags.member.1.Key` yields `Tags`, `Tags.member`, ...).
fn names(params: &Params) -> Vec<String> {
    let mut out = vec![String::new(), "Tags".to_owned(), "Action".to_owned()];
    for (key, _) in params.iter().take(64) {
        out.push(key.to_owned());
        for (i, _) in key.match_indices('.') {
            out.push(key[..i].to_owned());
        }
    }
    out.sort();
    out.dedup();
    out.truncate(256);
    out
}

fn exercise(params: &Params) {
    for name in names(params) {
        let got = params.get(&name);
        let present = params.contains(&name);
        assert!(got.is_none() || present, "get({name:?}) without contains");
        let list = params.list(&name);
        let len = params.list_len(&name);
        if let Some(items) = &list {
            // list() keeps only `Name.member.N` with nothing after N;
            // list_len counts every distinct N, so it is never smaller.
            assert!(
                items.len() <= len,
                "list {} > list_len {len} for {name:?}",
                items.len()
            );
        }
        let structs = params.struct_list(&name);
        if let Some(items) = &structs {
            assert!(items.iter().all(|m| !m.is_empty()) || items.is_empty());
        }
        let _ = params.map_entries(&name);
    }
}

fuzz_target!(|data: &[u8]| {
    let (body, query) = match data.iter().position(|b| *b == 0xff) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(mut params) = Params::parse(body) else {
        return;
    };
    exercise(&params);
    if let Some(query) = query {
        let before = params.clone();
        if params.extend(query).is_ok() {
            // The first occurrence of a name wins: extending never changes a value.
            for (k, v) in before.iter() {
                assert_eq!(params.get(k), Some(v), "extend replaced {k:?}");
            }
            exercise(&params);
        }
    }
});
