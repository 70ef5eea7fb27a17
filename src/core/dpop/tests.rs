use super::*;
use crate::core::encoding::base64url_decode;
use crate::core::json;

// RFC 9449's example key (§4.1), whose thumbprint the RFC prints as `cnf.jkt` (§6.1).
const X: &str = "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs";
const Y: &str = "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA";

fn key() -> PublicJwk {
    PublicJwk::new("EC", "P-256", X, Y).unwrap()
}

fn claims<'a>(nonce: Option<&'a str>, access_token: Option<&'a str>) -> Claims<'a> {
    Claims { jti: "e1j3V_bKic8-LAEB", htm: "POST", htu: "https://server.example.com/token?x=1#f", iat: 1_562_262_616, nonce, access_token }
}

fn decoded(part: &str) -> json::Value {
    json::parse(core::str::from_utf8(&base64url_decode(part).unwrap()).unwrap()).unwrap()
}

/// RFC 7638 §3: SHA-256 over the required members in lexicographic order, no whitespace.
#[test]
fn thumbprint_is_rfc_7638_over_the_sorted_members() {
    let literal = format!(r#"{{"crv":"P-256","kty":"EC","x":"{X}","y":"{Y}"}}"#);
    let by_hand = base64url_encode(&Sha256::digest(literal.as_bytes()));
    assert_eq!(key().thumbprint(), by_hand);
    // The value RFC 9449 §6.1 publishes for this key.
    assert_eq!(key().thumbprint(), "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
}

/// RFC 9449 §4.2's `ath` example (Figure 12's access token).
#[test]
fn ath_is_the_base64url_sha256_of_the_access_token() {
    assert_eq!(ath("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"), "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
}

#[test]
fn the_signing_input_carries_every_header_and_claim_member() {
    let input = signing_input(&key(), &claims(Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"), Some("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"))).unwrap();
    let (header, payload) = input.split_once('.').unwrap();
    assert!(!payload.contains('.'));
    let h = decoded(header);
    assert_eq!(h.get("typ").and_then(json::Value::as_str), Some("dpop+jwt"));
    assert_eq!(h.get("alg").and_then(json::Value::as_str), Some("ES256"));
    let jwk = h.get("jwk").unwrap();
    for (name, value) in [("kty", "EC"), ("crv", "P-256"), ("x", X), ("y", Y)] {
        assert_eq!(jwk.get(name).and_then(json::Value::as_str), Some(value), "{name}");
    }
    let Value::Object(members) = jwk else { panic!("jwk is not an object") };
    assert_eq!(members.len(), 4, "the public key only: no d, no alg");
    let p = decoded(payload);
    assert_eq!(p.get("jti").and_then(json::Value::as_str), Some("e1j3V_bKic8-LAEB"));
    assert_eq!(p.get("htm").and_then(json::Value::as_str), Some("POST"));
    assert_eq!(p.get("htu").and_then(json::Value::as_str), Some("https://server.example.com/token"), "no query, no fragment");
    assert_eq!(p.get("iat").and_then(json::Value::as_f64), Some(1_562_262_616.0));
    assert_eq!(p.get("nonce").and_then(json::Value::as_str), Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
    assert_eq!(p.get("ath").and_then(json::Value::as_str), Some("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"));

    // Without a nonce or a token, neither member appears.
    let input = signing_input(&key(), &claims(None, None)).unwrap();
    let p = decoded(input.split_once('.').unwrap().1);
    assert!(p.get("nonce").is_none() && p.get("ath").is_none());
}

#[test]
fn the_jws_appends_the_raw_64_byte_signature() {
    let input = signing_input(&key(), &claims(None, None)).unwrap();
    let sig: Vec<u8> = (0..64).collect();
    let out = jws(&input, &sig).unwrap();
    let (rest, s) = out.rsplit_once('.').unwrap();
    assert_eq!(rest, input);
    assert_eq!(base64url_decode(s).unwrap(), sig);
    for n in [0, 63, 65, 72] {
        assert_eq!(jws(&input, &vec![1; n]).err().map(|e| e.code()), Some("OAUTH_DPOP_INVALID"), "{n} bytes");
    }
}

#[test]
fn bad_keys_are_refused_with_a_typed_error() {
    let short = base64url_encode(&[1; 31]);
    let long = base64url_encode(&[1; 33]);
    let padded = format!("{X}=");
    for (kty, crv, x, y) in [
        ("RSA", "P-256", X, Y),
        ("EC", "P-384", X, Y),
        ("ec", "P-256", X, Y),
        ("EC", "P-256", short.as_str(), Y),
        ("EC", "P-256", X, long.as_str()),
        ("EC", "P-256", padded.as_str(), Y),
        ("EC", "P-256", "", Y),
        ("EC", "P-256", X, "l8tFrhx+34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs"),
    ] {
        assert_eq!(PublicJwk::new(kty, crv, x, y).err().map(|e| e.code()), Some("OAUTH_DPOP_INVALID"), "{kty} {crv} {x} {y}");
    }
}

#[test]
fn bad_claims_are_refused_never_written() {
    let k = key();
    let bad = |c: Claims<'_>| signing_input(&k, &c).err().map(|e| e.code());
    for htu in ["/token", "ftp://x.example/", "https://user:pw@x.example/", "https://x.example/a b", ""] {
        assert_eq!(bad(Claims { htu, ..claims(None, None) }), Some("OAUTH_DPOP_INVALID"), "{htu}");
    }
    for htm in ["", "GET POST", "GE\"T", "G\nET"] {
        assert_eq!(bad(Claims { htm, ..claims(None, None) }), Some("OAUTH_DPOP_INVALID"), "{htm:?}");
    }
    for nonce in ["", "a\"b", "a\\b", "a b", "é"] {
        assert_eq!(bad(claims(Some(nonce), None)), Some("OAUTH_DPOP_INVALID"), "{nonce:?}");
    }
    let long_nonce = "n".repeat(MAX_NONCE + 1);
    assert_eq!(bad(claims(Some(&long_nonce), None)), Some("OAUTH_DPOP_INVALID"));
    assert_eq!(bad(Claims { jti: "short", ..claims(None, None) }), Some("OAUTH_DPOP_INVALID"));
    assert_eq!(jti(&[7; 16]).len(), 22);
    assert!(signing_input(&k, &Claims { jti: &jti(&[7; 16]), ..claims(None, None) }).is_ok());
}

#[test]
fn the_provider_must_list_es256() {
    let doc = |s: &str| json::parse(s).unwrap();
    assert!(check_provider(Some(&doc(r#"["ES256","EdDSA"]"#))).is_ok());
    for bad in [r#"["EdDSA"]"#, "[]", r#""ES256""#, r#"[["ES256"]]"#, r#"["es256"]"#, "null"] {
        assert_eq!(check_provider(Some(&doc(bad))), Err(Error::DpopUnsupported), "{bad}");
    }
    assert_eq!(check_provider(None), Err(Error::DpopUnsupported));
}

/// Linear time: a long URL costs in proportion.
#[test]
fn a_long_url_is_linear() {
    let url = format!("https://x.example/{}", "a".repeat(15_000));
    let input = signing_input(&key(), &Claims { htu: &url, ..claims(None, None) }).unwrap();
    assert!(input.len() < 25_000);
}

/// The dpop module's own error texts are the crate's.
#[test]
fn error_parts_are_the_crates_code_and_message() {
    for e in [Error::DpopInvalid { reason: "htm is not an http method" }, Error::DpopUnsupported, Error::RandomUnavailable] {
        let (code, text, reason) = error_parts(&e);
        assert_eq!(code, e.code());
        assert_eq!(format!("{text}{reason}"), e.to_string());
    }
}

#[test]
fn coordinates_are_canonical_32_byte_base64url() {
    for n in 0u8..=255 {
        let c = base64url_encode(&[n; 32]);
        assert!(is_coordinate(&c), "{c}");
        // The decoder agrees on every canonical value.
        assert_eq!(base64url_decode(&c).map(|b| b.len()), Some(32));
    }
    // A non-canonical last character (non-zero trailing bits) decodes nowhere strict.
    let mut c = base64url_encode(&[0; 32]);
    c.pop();
    c.push('B');
    assert!(!is_coordinate(&c));
    assert!(base64url_decode(&c).is_none());
}
