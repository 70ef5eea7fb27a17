//! ID token signatures checked with WebCrypto in real headless Chromium (wasm-bindgen-test,
//! `run_in_browser`): RS256, PS256 and ES256 over fixed vectors, tampering, wrong keys, the
//! `alg` allow-list before any crypto, and the JWKS cache's one rate-limited refetch.
//! Run: `cargo test --target wasm32-unknown-unknown --test browser_webcrypto`.
//!
//! The vectors were made once with node:crypto (`generateKeyPairSync` + `sign`, PSS salt 32,
//! ECDSA `dsaEncoding: 'ieee-p1363'`); only the public keys are kept.
#![cfg(target_arch = "wasm32")]

use browser_oauth::core::encoding::{base64url_decode, base64url_encode};
use browser_oauth::core::jwks::{self, Alg, Jwk};
use browser_oauth::core::provider::Provider;
use browser_oauth::platform::webcrypto;
use browser_oauth::Error;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const RSA_JWK: &str = r#"{"kty":"RSA","n":"uEOFdCtRulrtuXAzQNd2hJlsHIejwY2YKWxil-Wt6vBSGwwumX_2ppjZOcXHUd2zuvOErTXmqIkQoDCkiePHs8tmeRIY0Ssn7LN6fGDAQS4TMIUU6XLSoN1pnruhHS_tTahvZnW5ljCBxYEO_ZrZYSU94bZxlbVj7s-bqXAp0pN9zNDi_5JcHvkDJaM-zzeHXq4PYGGUqiCHhFfPNB7fBGXetiIkxO2uNHwB9IgLHVXqJFHRrROP0nCh--YMjTy3e3GPkYbZ1qAPzREdTVnJ44YEYBoGvtvgIy4-a9AkTYnm56ksE3Q0lmg8odfmFZhtZXqq8nNifpLb0Nv2pkTMXw","e":"AQAB","kid":"rsa-1"}"#;
const RSA_OTHER_JWK: &str = r#"{"kty":"RSA","n":"0m7z07Nf7obHRtfKQbbX18MyRx9yXS-VULuFgWoAvf0gstlW5IEs_M9VK0nllGLBaruP9yGWDqHFsC4WwID9VqcUfGJ1DbMn4G49Dn3H2A0uPrhvvvTpxz3l8oSzj3JVcj3jN-guHwTFWOboCrsJMgHpjRYdlE0aSl_JsiuqtG_xJVfUeQTC2xZHRwCi7pg1QomOKJw2IYNWepw35kaci60VuFhI0SpV3EqS0iXEDNIih5mFwnYPvJlPzfpUgbrYMpSRidB7AyVh6Cq6J-kk0-J_7gCBR3ZyaCwe_77kqBneuq2peJ7N-vgp92DBZ4goG8h0a04wY2f4DAEyBoytNQ","e":"AQAB","kid":"rsa-other"}"#;
const EC_JWK: &str = r#"{"kty":"EC","x":"Aho_g5RG7hQu5D11LoGDa2zY7wAxBJeUGSMj-mYMzkE","y":"o97ceqkv8gFtboAixDoTr6Si-8srUHUfZA10ID7Wdb0","crv":"P-256","kid":"ec-1"}"#;
const RS256: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIn0.eyJpc3MiOiJodHRwczovL29wLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImFwcCIsImV4cCI6MjAwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwLCJub25jZSI6Im4tMSJ9.c2Ks1SSY7eiHf6uM_KYB2SxyG9k-_lfAwuncN60EJgd3Bo5qvjM2uU1fFdToUmQVIbINL_dhQVc3XQ1MC6x-AL-05kJ6wXX20AqdBROl5CWyrxNf6ljRBToyp-L5Qtx44A-YBJB6_gpBkmR4Yk3xO0bX79By6tlTBG9phZmju9G80PX3lvqncdm15w4EXdZtah-pxC_z7M1jgshBcCkVzBP21bJw8NySPh_sPL-2O5GyD0VI2bIS5WvuDOWqj2mW7EEhkqc3X7KATl28oMpLexz3JKxwBcC6Qob1rZUm1hZwTRBJ4vxiyGKma8eQfLascuZg_G8tcF4fLgtQ9sOvwA";
const PS256: &str = "eyJhbGciOiJQUzI1NiIsImtpZCI6InJzYS0xIn0.eyJpc3MiOiJodHRwczovL29wLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImFwcCIsImV4cCI6MjAwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwLCJub25jZSI6Im4tMSJ9.Q3EQHdUKEIuLPEMO7NKwhV_Mga6MsyWcVeTnNe9oPnRJ44a9DDsZSL4feGhlAQ-81oTiEznxPFcCxqEI6G9vY0k0VQI2Lx8aGAF5Mwa2owoQ2Hua38cneT3r9yiYNRXjUezVGp9ur0G81p5Sus6PtI_PC2Yb17D7ZgoyJdmO2RS1ZfTeKWhvRF4GR-kApNe_G2oHNj6KL8W_pwKO_Xd5c0JJafRqEfwPFPzY5gXrqwquIBJvrfwAw7fUtBroJUflhvl11V8UEtbXHHlJ8D14ZlKejb_SzDFLA8herr-NpRcK_SQAhD81_Jo2_goFiL6h4r9sLjOen-Vb9IAksqDTfg";
const ES256: &str = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImVjLTEifQ.eyJpc3MiOiJodHRwczovL29wLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImFwcCIsImV4cCI6MjAwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwLCJub25jZSI6Im4tMSJ9.ifE-05bfRetO747V3DszopL9ekkBxikxsDFAVLTvUNrhxdNwbcrm5VxPuGvRscD6HM2H3msKZE9GbkZi9sALyA";
const RS256_NO_KID: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL29wLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImFwcCIsImV4cCI6MjAwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwLCJub25jZSI6Im4tMSJ9.eMJuquU8VZWk-Hf_nyDumRUZwFaXB8hQcd1cx9WsW4DfWSbqbySEfwl90kKmxM1x60LNf-qZlmt_b0CyFaagis-aiBoqJCBpYDA9DwpYMlQuLeN67fsMTuApPtW9cmZN280asYcMxkemHKpCrJWt1PFSkDEjq3r2olbj-HHOerwjJ0SoBVBYV0dUFofo5msoJBsAPTXqzSeTbWTWbIyjXtk1hQ7mcKXlBS3v_RnbVEiRGj9q6Finq_fb8MmkbJYEyzeeiUZ2ZjU9KiRWde9wzjhS7EMH4rIfXgYOpeWSvoLl-jIO5oa6m5QoElNFFfGrpf9CkJUQJ5A8TVSZFvS9QA";
const RS256_UNKNOWN_KID: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS11bmtub3duIn0.eyJpc3MiOiJodHRwczovL29wLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImFwcCIsImV4cCI6MjAwMDAwMDAwMCwiaWF0IjoxNzAwMDAwMDAwLCJub25jZSI6Im4tMSJ9.OQsDKoAc9TaWA-oa1QmHQI2um_5R38KHTOiVCOZEgM79FQ10xg34UMESfKjxbT1PO9QXzi4M2Ea-AGOxt7oQfuCsaosH9ljIiEoTEuSClvsbEAxX5yJdGD9SdEZ1kDyaMpJeauG0n87ElKwY3MtXDdb96EI6iPC7c2Kd1Iqbpqlc5bIEgAgMBGcUwdDIRZwfodWRC2A4pqOcJrTVqa0pt4dRrnMRsPEGxpDQotPH00cISeu23piI6k0vph7JKoPJwBDlDd8en8cwd7NGfddcC9PhsQEau4GuH_s0XJqx7refFHsAoSb66TTzZzHFFFfSJe74__mk4FJ1OI_hTdsPVg";

fn keys() -> Vec<Jwk> {
    jwks::parse_jwks(&format!(r#"{{"keys":[{RSA_JWK},{EC_JWK}]}}"#)).unwrap()
}

fn other_rsa_key() -> Jwk {
    jwks::parse_jwks(&format!(r#"{{"keys":[{RSA_OTHER_JWK}]}}"#)).unwrap().remove(0)
}

/// Verifies `jwt` with the key that `jwks::select` picks from [`keys`].
async fn verify_with(jwt: &str, key: Option<&Jwk>) -> bool {
    let token = jwks::signed_token(jwt).unwrap();
    let all = keys();
    let key = key.unwrap_or_else(|| jwks::select(&all, token.alg, token.kid.as_deref()).unwrap().unwrap());
    webcrypto::verify(token.alg, key, token.signing_input, &token.signature).await.unwrap()
}

/// The same token with `sub` changed and the original signature kept.
fn tampered_payload(jwt: &str) -> String {
    let parts: Vec<&str> = jwt.split('.').collect();
    let payload = String::from_utf8(base64url_decode(parts[1]).unwrap()).unwrap();
    let forged = payload.replace("\"alice\"", "\"mallory\"");
    assert_ne!(payload, forged);
    format!("{}.{}.{}", parts[0], base64url_encode(forged.as_bytes()), parts[2])
}

/// The same token with one bit of its signature flipped.
fn tampered_signature(jwt: &str) -> String {
    let (input, sig) = jwt.rsplit_once('.').unwrap();
    let mut sig = base64url_decode(sig).unwrap();
    sig[10] ^= 1;
    format!("{input}.{}", base64url_encode(&sig))
}

/// Checklist item 32: real signatures of the three allowed algorithms verify.
#[wasm_bindgen_test]
async fn rs256_ps256_and_es256_signatures_verify() {
    for (jwt, alg) in [(RS256, Alg::Rs256), (PS256, Alg::Ps256), (ES256, Alg::Es256)] {
        assert_eq!(jwks::signed_token(jwt).unwrap().alg, alg);
        assert!(verify_with(jwt, None).await, "{alg:?}");
    }
}

/// OIDF `rp-id_token-bad-sig-rs256` / `-es256`: a changed payload or signature fails.
#[wasm_bindgen_test]
async fn a_tampered_payload_or_signature_fails() {
    for jwt in [RS256, PS256, ES256] {
        assert!(!verify_with(&tampered_payload(jwt), None).await, "payload {jwt}");
        assert!(!verify_with(&tampered_signature(jwt), None).await, "signature {jwt}");
    }
}

#[wasm_bindgen_test]
async fn a_wrong_key_fails() {
    let other = other_rsa_key();
    assert!(!verify_with(RS256, Some(&other)).await);
    assert!(!verify_with(PS256, Some(&other)).await);
    assert!(!verify_with(RS256_UNKNOWN_KID, Some(&keys()[0])).await, "signed by the other key");
}

/// Wraps the global `fetch` once so that tests can count the requests the library makes.
fn fetch_count() -> u32 {
    let install = js_sys::Function::new_no_args(
        "if (!globalThis.__fetches) { const real = globalThis.fetch; globalThis.__fetches = 0; \
         globalThis.fetch = (...a) => { globalThis.__fetches += 1; return real(...a); }; } \
         return globalThis.__fetches;",
    );
    install.call0(&JsValue::UNDEFINED).unwrap().as_f64().unwrap() as u32
}

fn provider_with_jwks(jwks_json: &str) -> Provider {
    let mut p = Provider::explicit("https://op.example", "https://op.example/a", "https://op.example/t", false).unwrap();
    p.jwks_uri = Some(format!("data:application/json,{}", String::from(js_sys::encode_uri_component(jwks_json))));
    p
}

fn unsigned(header: &str) -> String {
    let (_, rest) = RS256.split_once('.').unwrap();
    format!("{}.{rest}", base64url_encode(header.as_bytes()))
}

/// Checklist item 30 (OIDF `rp-id_token-sig-none`, `invalid-alternate-alg`): refused before
/// any JWKS request or crypto.
#[wasm_bindgen_test]
async fn alg_none_and_hs256_are_refused_before_any_fetch_or_crypto() {
    let mut p = provider_with_jwks("{}");
    p.jwks_uri = Some("http://127.0.0.1:9/jwks".into());
    let before = fetch_count();
    let none = format!("{}.", unsigned(r#"{"alg":"none"}"#).rsplit_once('.').unwrap().0);
    for jwt in [none, unsigned(r#"{"alg":"none","kid":"rsa-1"}"#), unsigned(r#"{"alg":"HS256","kid":"rsa-1"}"#)] {
        let got = webcrypto::verify_id_token_signature(&p, &jwt).await;
        assert_eq!(got, Err(Error::InvalidIdToken { reason: "alg not allowed" }), "{jwt}");
    }
    assert_eq!(fetch_count(), before, "no JWKS request");
}

/// An `alg` inside the allow-list but not in the provider's `id_token_signing_alg_values_supported`
/// is refused before any JWKS request, like one outside it.
#[wasm_bindgen_test]
async fn an_alg_the_provider_does_not_advertise_is_refused_before_any_fetch() {
    let mut p = provider_with_jwks("{}");
    p.jwks_uri = Some("http://127.0.0.1:9/jwks".into());
    p.id_token_signing_alg_values_supported = Some(vec!["ES256".into()]);
    let before = fetch_count();
    assert_eq!(webcrypto::verify_id_token_signature(&p, RS256).await, Err(Error::InvalidIdToken { reason: "alg not allowed" }));
    assert_eq!(fetch_count(), before, "no JWKS request");
}

/// Checklist item 32 (OIDF `rp-key-rotation-op-sign-key`, `kid-absent-single-jwks`, JWKS
/// cooldown): one fetch per provider, one refetch for an unknown kid, then none for a minute.
#[wasm_bindgen_test]
async fn the_jwks_is_fetched_once_and_an_unknown_kid_refetches_once_per_cooldown() {
    let p = provider_with_jwks(&format!(r#"{{"keys":[{RSA_JWK},{EC_JWK}],"test":"cooldown"}}"#));
    let start = fetch_count();
    for jwt in [RS256, PS256, ES256, RS256_NO_KID] {
        assert_eq!(webcrypto::verify_id_token_signature(&p, jwt).await, Ok(()), "{jwt}");
    }
    assert_eq!(fetch_count() - start, 1, "fetched once, then cached");

    let no_key = Err(Error::InvalidIdToken { reason: "no key in the jwks matches the token" });
    assert_eq!(webcrypto::verify_id_token_signature(&p, RS256_UNKNOWN_KID).await, no_key);
    assert_eq!(fetch_count() - start, 2, "one refetch for the unknown kid");
    assert_eq!(webcrypto::verify_id_token_signature(&p, RS256_UNKNOWN_KID).await, no_key);
    assert_eq!(fetch_count() - start, 2, "no second refetch within the cooldown");
    assert_eq!(webcrypto::verify_id_token_signature(&p, RS256).await, Ok(()));

    let bad = webcrypto::verify_id_token_signature(&p, &tampered_signature(ES256)).await;
    assert_eq!(bad, Err(Error::InvalidIdToken { reason: "signature does not verify" }));
    assert_eq!(fetch_count() - start, 2);
}

#[wasm_bindgen_test]
async fn kid_absent_with_several_fitting_keys_is_refused() {
    let p = provider_with_jwks(&format!(r#"{{"keys":[{RSA_JWK},{RSA_OTHER_JWK}]}}"#));
    let got = webcrypto::verify_id_token_signature(&p, RS256_NO_KID).await;
    assert_eq!(got, Err(Error::InvalidIdToken { reason: "several keys fit and the token has no kid" }));
}

#[wasm_bindgen_test]
async fn a_provider_without_jwks_uri_or_with_a_broken_one_fails_typed() {
    let mut p = provider_with_jwks("{}");
    p.jwks_uri = None;
    assert_eq!(webcrypto::verify_id_token_signature(&p, RS256).await, Err(Error::InvalidMetadata { field: "jwks_uri" }));
    let p = provider_with_jwks("<html>");
    assert!(matches!(webcrypto::verify_id_token_signature(&p, RS256).await, Err(Error::InvalidJson { what: "jwks", .. })));
    let mut p = provider_with_jwks("{}");
    p.jwks_uri = Some("http://127.0.0.1:9/jwks".into());
    assert_eq!(webcrypto::verify_id_token_signature(&p, RS256).await, Err(Error::NetworkError));
}

/// A key WebCrypto refuses (an RSA exponent of zero) is a typed error, not a panic.
#[wasm_bindgen_test]
async fn an_unimportable_key_is_a_typed_error() {
    let bad = RSA_JWK.replace(r#""e":"AQAB""#, r#""e":"AAAA""#);
    let p = provider_with_jwks(&format!(r#"{{"keys":[{bad}]}}"#));
    let got = webcrypto::verify_id_token_signature(&p, RS256).await;
    assert!(matches!(got, Err(Error::InvalidIdToken { .. })), "{got:?}");
}
