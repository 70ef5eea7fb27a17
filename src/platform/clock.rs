//! Wall-clock time in Unix seconds from `Date.now()`.

/// Seconds since the Unix epoch (0 if the clock reads before it).
pub fn now() -> u64 {
    let ms = js_sys::Date::now();
    if ms.is_finite() && ms > 0.0 { (ms / 1000.0) as u64 } else { 0 }
}
