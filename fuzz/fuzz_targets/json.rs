//! JSON reader: never panics; deterministic (same value or the same fixed error); every object
//! it accepts has distinct member names; what it accepts, written back, reads back the same.
#![no_main]

use std::collections::HashSet;

use browser_oauth::core::json::{self, Value};
use browser_oauth_fuzz::{max_abs_number, same_json, text, write_json};
use libfuzzer_sys::fuzz_target;

fn distinct_members(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().all(distinct_members),
        Value::Object(members) => {
            let mut seen = HashSet::with_capacity(members.len());
            members.iter().all(|(k, x)| seen.insert(k.as_str()) && distinct_members(x))
        }
        _ => true,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = text(data) else { return };
    let first = json::parse(input);
    let again = json::parse(input);
    match (&first, &again) {
        (Ok(a), Ok(b)) => assert!(a == b, "parse is not deterministic"),
        (Err(a), Err(b)) => assert_eq!(a, b, "error is not stable"),
        _ => panic!("parse is not deterministic"),
    }
    let Ok(value) = first else { return };
    assert!(distinct_members(&value), "an accepted object has a duplicate member");
    let mut written = String::new();
    write_json(&value, &mut written);
    match json::parse_limited(&written, usize::MAX) {
        Ok(reread) => assert!(same_json(&value, &reread), "written back, the value reads differently"),
        // The number reader may round a value next to f64::MAX up to infinity; nothing else
        // may fail on text this writer produced.
        Err(e) => assert!(e == "number out of range" && max_abs_number(&value) > 1e300, "written back, the value no longer parses: {e}"),
    }
});
