//! Fixtures and checks shared by the fuzz targets: one provider, one transaction, a fixed clock,
//! and a JSON writer for the round-trip check (the crate itself only writes objects it knows).

use browser_oauth::core::json::{self, Value};
use browser_oauth::core::provider::Provider;
use browser_oauth::core::secret::{CodeVerifier, Nonce, State};
use browser_oauth::core::transaction::{ResponseMode, Transaction};

pub const ISSUER: &str = "https://login.example.com";
pub const AUTHORIZE: &str = "https://login.example.com/authorize";
pub const TOKEN: &str = "https://login.example.com/token";
pub const CLIENT_ID: &str = "client-123";
pub const REDIRECT: &str = "https://app.example/callback";
pub const STATE: &str = "state-abc";
pub const NONCE: &str = "nonce-xyz";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
/// Unix seconds used as "now" everywhere (2023-11-14).
pub const NOW: u64 = 1_700_000_000;

/// A fuzz input as UTF-8, or `None` (every parser here takes `&str`).
pub fn text(data: &[u8]) -> Option<&str> {
    core::str::from_utf8(data).ok()
}

/// The generic provider the samples are written for; `iss` is supported when `iss_supported`.
pub fn provider(iss_supported: bool) -> Provider {
    let mut p = Provider::explicit(ISSUER, AUTHORIZE, TOKEN, false).expect("fixture provider");
    p.iss_parameter_supported = iss_supported;
    p
}

/// The Entra preset with the `{tenantid}` issuer template.
pub fn entra_provider() -> Provider {
    Provider::entra("organizations", None).expect("fixture entra provider")
}

/// A fresh transaction for [`provider`], created a minute before [`NOW`].
pub fn transaction(mode: ResponseMode, iss_supported: bool) -> Transaction {
    Transaction {
        issuer: ISSUER.to_owned(),
        authorization_endpoint: AUTHORIZE.to_owned(),
        token_endpoint: TOKEN.to_owned(),
        client_id: CLIENT_ID.to_owned(),
        redirect_uri: REDIRECT.to_owned(),
        code_verifier: CodeVerifier::new(VERIFIER.to_owned()),
        state: State::new(STATE.to_owned()),
        nonce: Some(Nonce::new(NONCE.to_owned())),
        scopes: vec!["openid".to_owned(), "profile".to_owned()],
        send_scope: false,
        response_mode: mode,
        iss_parameter_supported: iss_supported,
        max_age: None,
        created_at: NOW - 60,
    }
}

/// Writes `v` back as JSON text. Numbers use Rust's shortest round-trip form in exponent
/// notation; strings go through the crate's own escaper.
pub fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format!("{n:e}")),
        Value::String(s) => json::write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json::write_string(k, out);
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
    }
}

/// Structural equality with numbers compared loosely: the crate's number reader is documented
/// as close, not correctly rounded (exact for integers up to 2^53), so a re-read may differ in
/// the last bits.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let exact_int = x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_992.0;
            if exact_int {
                return x == y;
            }
            x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs()) || (x.abs() < 1e-290 && y.abs() < 1e-290)
        }
        (Value::Array(xs), Value::Array(ys)) => xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_json(x, y)),
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|((kx, x), (ky, y))| kx == ky && same_json(x, y))
        }
        _ => a == b,
    }
}

/// The largest magnitude of any number in `v` (to excuse a re-read overflowing near f64::MAX).
pub fn max_abs_number(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.abs(),
        Value::Array(items) => items.iter().map(max_abs_number).fold(0.0, f64::max),
        Value::Object(members) => members.iter().map(|(_, x)| max_abs_number(x)).fold(0.0, f64::max),
        _ => 0.0,
    }
}
