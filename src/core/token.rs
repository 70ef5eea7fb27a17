//! The token request and response (RFC 6749 §4.1.3, §5.1, §5.2; RFC 7636 §4.5).
//!
//! Requests are values for the platform to send; responses come back as HTTP status + body text.
//! A public client sends no secret and no `Authorization` header (checklist item 25).

use super::callback::ValidatedCallback;
use super::encoding::form_serialize;
use super::error::{Error, Result, ServerError};
use super::json::{self, Value};
use super::secret::{AccessToken, IdToken, RefreshToken};

/// An HTTP request for the platform to send. The body holds secrets: `Debug` leaves it out.
pub struct HttpRequest {
    pub url: String,
    pub method: &'static str,
    pub headers: Vec<(&'static str, &'static str)>,
    pub body: String,
}

impl core::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "HttpRequest({} {}, body: [redacted])", self.method, self.url)
    }
}

const FORM_HEADERS: [(&str, &str); 2] =
    [("content-type", "application/x-www-form-urlencoded"), ("accept", "application/json")];

/// The authorization-code grant for a validated callback, to the token endpoint stored with the
/// transaction (never one taken from the response: checklist item 8), with the same
/// `redirect_uri` and the PKCE `code_verifier`.
pub fn authorization_code_request(callback: &ValidatedCallback) -> HttpRequest {
    let t = &callback.transaction;
    let scope = t.send_scope.then(|| super::text::join(&t.scopes, " "));
    let mut pairs = vec![
        ("grant_type", "authorization_code"),
        ("code", callback.code.secret()),
        ("redirect_uri", t.redirect_uri.as_str()),
        ("client_id", t.client_id.as_str()),
        ("code_verifier", t.code_verifier.secret()),
    ];
    if let Some(s) = &scope {
        pairs.push(("scope", s));
    }
    HttpRequest { url: t.token_endpoint.clone(), method: "POST", headers: FORM_HEADERS.to_vec(), body: form_serialize(pairs) }
}

/// The refresh-token grant (RFC 6749 §6). `scope`, when given, must not exceed the original grant.
pub fn refresh_request(token_endpoint: &str, client_id: &str, refresh_token: &RefreshToken, scope: Option<&str>) -> HttpRequest {
    let mut pairs = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.secret()),
        ("client_id", client_id),
    ];
    if let Some(s) = scope {
        pairs.push(("scope", s));
    }
    HttpRequest { url: token_endpoint.to_owned(), method: "POST", headers: FORM_HEADERS.to_vec(), body: form_serialize(pairs) }
}

/// A successful token response that passed RFC 6749 §5.1's checks.
#[derive(Debug)]
pub struct TokenResponse {
    pub access_token: AccessToken,
    /// Lowercased: `bearer`, or `dpop` when DPoP was asked (RFC 9449 §5).
    pub token_type: String,
    pub expires_in: Option<u64>,
    pub refresh_token: Option<RefreshToken>,
    pub id_token: Option<IdToken>,
    /// The granted scope as sent; absent means "as requested" (RFC 6749 §3.3).
    pub scope: Option<String>,
}

/// A string member that, when present, must be a non-empty string (RFC 6749 §5.1 gives none of
/// them an empty form; `scope` is `1*scope-token` by §3.3).
fn optional_string(doc: &Value, field: &str, reason: &'static str) -> Result<Option<String>> {
    match doc.get(field) {
        None => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
        Some(_) => Err(Error::InvalidTokenResponse { reason }),
    }
}

/// The RFC 6749 §5.2 error in `doc`: `Ok(None)` without an `error` member, `Err(())` when
/// `error` is not a non-empty string or `error_description` / `error_uri` are not strings.
fn server_error(doc: &Value, status: u16) -> core::result::Result<Option<ServerError>, ()> {
    let error = match doc.get("error") {
        None => return Ok(None),
        Some(Value::String(e)) if !e.is_empty() => e,
        Some(_) => return Err(()),
    };
    let text = |k| match doc.get(k) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(()),
    };
    Ok(Some(ServerError::new(error.clone(), text("error_description")?, text("error_uri")?, status)))
}

/// Reads the token endpoint's answer. Non-200 with an OAuth error body → [`Error::TokenServer`]
/// (RFC 6749 §5.2); other non-200 → [`Error::HttpStatus`]; a 200 must be a JSON object with a
/// non-empty string `access_token`, a `bearer` `token_type` (case-insensitive; `DPoP`, and only that,
/// when `dpop` says the request carried a proof: RFC 9449 §5, else [`Error::DpopNotBound`]), a non-negative
/// number `expires_in` if any, and non-empty strings `refresh_token`, `id_token`, `scope` if any
/// (checklist item 26). A member of another JSON type, `null` included, is refused; unknown
/// members are ignored.
pub fn parse_token_response(status: u16, body: &str, dpop: bool) -> Result<TokenResponse> {
    let doc = json::parse(body);
    if status != 200 {
        // A body that is not a well-formed RFC 6749 §5.2 error is no server error at all.
        return Err(match doc.as_ref().ok().map(|d| server_error(d, status)) {
            Some(Ok(Some(e))) => Error::TokenServer(e),
            _ if status >= 500 || status == 429 => Error::ServerUnavailable { status },
            _ => Error::HttpStatus { status },
        });
    }
    let doc = doc.map_err(|reason| Error::InvalidJson { what: "token response", reason })?;
    if !doc.is_object() {
        return Err(Error::InvalidTokenResponse { reason: "not a json object" });
    }
    match server_error(&doc, status) {
        Ok(None) => {}
        Ok(Some(e)) => return Err(Error::TokenServer(e)),
        Err(()) => return Err(Error::InvalidTokenResponse { reason: "error is not an rfc 6749 error" }),
    }
    let access_token = match doc.get("access_token") {
        Some(Value::String(s)) if !s.is_empty() => AccessToken::new(s.clone()),
        _ => return Err(Error::InvalidTokenResponse { reason: "access_token missing or not a string" }),
    };
    let wanted = if dpop { "dpop" } else { "bearer" };
    let token_type = match doc.get("token_type") {
        Some(Value::String(s)) if s.eq_ignore_ascii_case(wanted) => wanted.to_owned(),
        Some(Value::String(_)) if dpop => return Err(Error::DpopNotBound),
        Some(Value::String(_)) => return Err(Error::InvalidTokenResponse { reason: "unsupported token_type" }),
        _ => return Err(Error::InvalidTokenResponse { reason: "token_type missing or not a string" }),
    };
    let expires_in = match doc.get("expires_in") {
        None => None,
        Some(Value::Number(n)) if *n >= 0.0 && n.is_finite() => Some(n.min(1.0e12) as u64),
        Some(_) => return Err(Error::InvalidTokenResponse { reason: "expires_in is not a non-negative number" }),
    };
    Ok(TokenResponse {
        access_token,
        token_type,
        expires_in,
        refresh_token: optional_string(&doc, "refresh_token", "refresh_token is not a non-empty string")?.map(RefreshToken::new),
        id_token: optional_string(&doc, "id_token", "id_token is not a non-empty string")?.map(IdToken::new),
        scope: optional_string(&doc, "scope", "scope is not a non-empty string")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::form_parse;
    use crate::core::secret::AuthorizationCode;
    use crate::core::transaction::tests::sample;
    use crate::core::transaction::{ResponseMode, Transaction};

    fn callback() -> ValidatedCallback {
        ValidatedCallback {
            code: AuthorizationCode::new("the code".into()),
            transaction: Transaction {
                redirect_uri: "https://app.example/cb?x=1".into(),
                nonce: None,
                response_mode: ResponseMode::Query,
                iss_parameter_supported: false,
                max_age: None,
                ..sample(0)
            },
        }
    }

    /// Checklist item 25: exact body, no client secret, no Authorization header.
    #[test]
    fn code_request_is_the_rfc_form_without_secrets() {
        let r = authorization_code_request(&callback());
        assert_eq!(r.url, "https://op.example/token");
        assert_eq!(r.method, "POST");
        assert!(r.headers.iter().all(|(k, _)| !k.eq_ignore_ascii_case("authorization")));
        assert!(r.headers.contains(&("content-type", "application/x-www-form-urlencoded")));
        let body = form_parse(&r.body).unwrap();
        let names: Vec<&str> = body.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["grant_type", "code", "redirect_uri", "client_id", "code_verifier"]);
        assert_eq!(body[2].1, "https://app.example/cb?x=1", "same redirect_uri byte for byte");
        assert_eq!(body[4].1, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert!(!format!("{r:?}").contains("dBjft"), "Debug leaves the body out");

        // A sign-in that also collected consent for other resources names its own scopes.
        let mut cb = callback();
        cb.transaction.send_scope = true;
        let body = form_parse(&authorization_code_request(&cb).body).unwrap();
        assert_eq!(body.last().map(|(k, v)| (k.as_str(), v.as_str())), Some(("scope", "openid profile")));
    }

    #[test]
    fn a_good_response_is_accepted_and_unknown_members_ignored() {
        let t = parse_token_response(200, r#"{"access_token":"at","token_type":"Bearer","expires_in":3599,"refresh_token":"rt","id_token":"a.b.c","scope":"openid x","ext_expires_in":1,"foo":{"bar":[]}}"#, false).unwrap();
        assert_eq!(t.access_token.secret(), "at");
        assert_eq!(t.token_type, "bearer");
        assert_eq!(t.expires_in, Some(3599));
        assert_eq!(t.refresh_token.as_ref().map(RefreshToken::secret), Some("rt"));
        assert_eq!(t.scope.as_deref(), Some("openid x"));
        let t = parse_token_response(200, r#"{"access_token":"at","token_type":"bearer"}"#, false).unwrap();
        assert_eq!(t.expires_in, None);
    }

    /// RFC 9449 §5: once a proof was sent, only a `DPoP` token is taken (any case); a Bearer one is
    /// `OAUTH_DPOP_NOT_BOUND`, never a silent downgrade. Without a proof, `DPoP` stays refused.
    #[test]
    fn dpop_token_type_is_required_once_asked_and_only_then() {
        for t in ["DPoP", "dpop", "DPOP"] {
            let body = format!(r#"{{"access_token":"at","token_type":"{t}"}}"#);
            assert_eq!(parse_token_response(200, &body, true).unwrap().token_type, "dpop");
            assert_eq!(parse_token_response(200, &body, false).err(), Some(Error::InvalidTokenResponse { reason: "unsupported token_type" }));
        }
        for t in ["Bearer", "bearer", "mac", "dpop "] {
            let body = format!(r#"{{"access_token":"at","token_type":"{t}"}}"#);
            assert_eq!(parse_token_response(200, &body, true).err(), Some(Error::DpopNotBound), "{t}");
        }
        assert!(matches!(parse_token_response(200, r#"{"access_token":"at"}"#, true), Err(Error::InvalidTokenResponse { .. })));
    }

    /// Checklist item 26, mirroring oauth4webapi's cases.
    #[test]
    fn malformed_success_responses_are_refused() {
        let cases = [
            "", "not json", "[]", "\"x\"", "null",
            r#"{"token_type":"bearer"}"#,
            r#"{"access_token":5,"token_type":"bearer"}"#,
            r#"{"access_token":"","token_type":"bearer"}"#,
            r#"{"access_token":"a"}"#,
            r#"{"access_token":"a","token_type":"mac"}"#,
            r#"{"access_token":"a","token_type":"DPoP"}"#,
            r#"{"access_token":"a","token_type":1}"#,
            r#"{"access_token":"a","token_type":"bearer","expires_in":"3600"}"#,
            r#"{"access_token":"a","token_type":"bearer","expires_in":-1}"#,
            r#"{"access_token":"a","token_type":"bearer","scope":["a"]}"#,
            r#"{"access_token":"a","token_type":"bearer","refresh_token":null}"#,
            r#"{"access_token":"a","token_type":"bearer","id_token":{}}"#,
            r#"{"access_token":"a","access_token":"b","token_type":"bearer"}"#,
        ];
        for body in cases {
            assert!(parse_token_response(200, body, false).is_err(), "{body}");
        }
    }

    /// Strict wire types: empty strings where a value is required, and error members of the
    /// wrong type, are refused rather than passed through or ignored.
    #[test]
    fn empty_or_mistyped_token_response_members_are_refused() {
        let ok = r#""access_token":"a","token_type":"bearer""#;
        for extra in [
            r#""refresh_token":"""#, r#""id_token":"""#, r#""scope":"""#, r#""expires_in":null"#, r#""expires_in":true"#,
            r#""error":5"#, r#""error":"""#, r#""error":null"#,
        ] {
            let body = format!("{{{ok},{extra}}}");
            assert!(matches!(parse_token_response(200, &body, false), Err(Error::InvalidTokenResponse { .. })), "{body}");
        }
        // An error body whose members have the wrong type is no RFC 6749 §5.2 error.
        for body in [r#"{"error":5}"#, r#"{"error":""}"#, r#"{"error":"invalid_grant","error_description":5}"#, r#"{"error":"invalid_grant","error_uri":{}}"#] {
            assert_eq!(parse_token_response(400, body, false).err(), Some(Error::HttpStatus { status: 400 }), "{body}");
        }
        assert!(matches!(parse_token_response(400, r#"{"error":"invalid_grant","error_description":"d"}"#, false), Err(Error::TokenServer(_))));
    }

    /// Checklist item 27.
    #[test]
    fn error_responses_are_typed() {
        for code in ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope"] {
            let status = if code == "invalid_client" { 401 } else { 400 };
            let body = format!(r#"{{"error":"{code}","error_description":"AADSTS70000: bad","error_uri":"https://e.example"}}"#);
            match parse_token_response(status, &body, false) {
                Err(Error::TokenServer(e)) => {
                    assert_eq!(e.error, code);
                    assert_eq!(e.status, status);
                    assert_eq!(e.aadsts, Some(70000));
                    assert_eq!(e.error_uri.as_deref(), Some("https://e.example"));
                }
                other => panic!("{other:?}"),
            }
        }
        // An outage, a proxy's error page or rate limiting says nothing about the grant.
        for status in [500, 502, 503, 504, 429] {
            assert_eq!(parse_token_response(status, "<html>", false).err(), Some(Error::ServerUnavailable { status }));
        }
        assert_eq!(parse_token_response(500, "", false).err(), Some(Error::ServerUnavailable { status: 500 }));
        assert_eq!(parse_token_response(404, "<html>", false).err(), Some(Error::HttpStatus { status: 404 }));
        assert_eq!(parse_token_response(201, r#"{"access_token":"a","token_type":"bearer"}"#, false).err(), Some(Error::HttpStatus { status: 201 }));
        assert!(matches!(parse_token_response(200, r#"{"error":"invalid_grant"}"#, false), Err(Error::TokenServer(_))));
    }
}
