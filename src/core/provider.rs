//! Authorization server configuration: explicit endpoints, OpenID Connect Discovery 1.0 with an
//! exact issuer match (RFC 8414 §3.3), and the Microsoft Entra ID preset.
//!
//! Entra's multi-tenant authorities (`common`, `organizations`) publish the issuer
//! `https://login.microsoftonline.com/{tenantid}/v2.0`. That template is kept as an explicit
//! [`IssuerPolicy::EntraTenantTemplate`] and resolved from the ID token's `tid` claim: the check is
//! never turned off. A domain tenant is one tenant, resolved through discovery (`entra.rs`).

use super::error::{Error, Result};
use super::json::{self, Value};
use super::text;
use super::url::Url;

/// Placeholder Entra puts in multi-tenant issuers.
pub const TENANT_PLACEHOLDER: &str = "{tenantid}";

mod entra;
pub use entra::{ENTRA_CONSUMERS_TENANT_ID, ENTRA_HOSTS};

/// How the issuer is checked against `iss` values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssuerPolicy {
    /// Simple string comparison (RFC 9207 §2.4, OIDC Core §3.1.3.7 step 2).
    Exact,
    /// An Entra multi-tenant template containing `{tenantid}`, filled from the token's `tid`.
    EntraTenantTemplate,
}

/// Where the endpoints came from and what the provider advertises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// The issuer identifier, exactly as configured (or the Entra template).
    pub issuer: String,
    pub issuer_policy: IssuerPolicy,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub end_session_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub revocation_endpoint: Option<String>,
    pub userinfo_endpoint: Option<String>,
    /// `authorization_response_iss_parameter_supported` (RFC 9207 §3).
    pub iss_parameter_supported: bool,
    /// `id_token_signing_alg_values_supported` (OpenID Connect Discovery 1.0 §3), when advertised:
    /// an ID token's `alg` must be listed here as well as in the library's allow-list.
    pub id_token_signing_alg_values_supported: Option<Vec<String>>,
}

/// Checks an endpoint or issuer URL: absolute, no credentials, no fragment (RFC 6749 §3.1),
/// HTTPS unless it is a loopback host and `allow_http_loopback` is set (RFC 9700 §2.6).
pub fn check_https_url(text: &str, what: &'static str, allow_http_loopback: bool) -> Result<Url> {
    let url = Url::parse(text).map_err(|_| Error::InvalidUrl { what })?;
    if url.has_userinfo() {
        return Err(Error::ForbiddenUrl { what, reason: "credentials in the url" });
    }
    if url.fragment().is_some() {
        return Err(Error::ForbiddenUrl { what, reason: "fragment" });
    }
    if !(url.is_https() || (allow_http_loopback && url.is_loopback())) {
        return Err(Error::InsecureUrl { what });
    }
    Ok(url)
}

/// The discovery document's address: the issuer, less any trailing `/`, plus
/// `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4).
pub fn discovery_url(issuer: &str, allow_http_loopback: bool) -> Result<String> {
    let url = check_https_url(issuer, "issuer", allow_http_loopback)?;
    if url.query().is_some() {
        return Err(Error::ForbiddenUrl { what: "issuer", reason: "query" });
    }
    Ok(crate::core::text::concat(&[issuer.trim_end_matches('/'), "/.well-known/openid-configuration"]))
}

fn optional_url(doc: &Value, field: &'static str, allow_http_loopback: bool) -> Result<Option<String>> {
    match doc.get(field) {
        None => Ok(None),
        Some(Value::String(s)) => {
            check_https_url(s, field, allow_http_loopback)?;
            Ok(Some(s.clone()))
        }
        Some(_) => Err(Error::InvalidMetadata { field }),
    }
}

fn required_url(doc: &Value, field: &'static str, allow_http_loopback: bool) -> Result<String> {
    optional_url(doc, field, allow_http_loopback)?.ok_or(Error::InvalidMetadata { field })
}

fn string_list<'a>(doc: &'a Value, field: &'static str) -> Result<Option<Vec<&'a str>>> {
    match doc.get(field) {
        None => Ok(None),
        Some(Value::Array(items)) => json::str_items(items).map(Some).ok_or(Error::InvalidMetadata { field }),
        Some(_) => Err(Error::InvalidMetadata { field }),
    }
}

/// Every member of a discovery document the provider checks or keeps; nothing else is read.
pub const METADATA_MEMBERS: &[&str] = &[
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "end_session_endpoint",
    "jwks_uri",
    "revocation_endpoint",
    "userinfo_endpoint",
    "code_challenge_methods_supported",
    "response_types_supported",
    "id_token_signing_alg_values_supported",
    "authorization_response_iss_parameter_supported",
];

impl Provider {
    /// `self`, when this build may serve it: a build without the Microsoft Entra rules
    /// (`entra_rules` false, [`crate::core::ENTRA_RULES`]) refuses a provider whose authorization
    /// endpoint is on an Entra host, so that an Entra sign-in never runs without the Entra checks.
    pub fn for_build(self, entra_rules: bool) -> Result<Provider> {
        if !entra_rules && self.is_entra() {
            return Err(Error::EntraBuildRequired);
        }
        Ok(self)
    }

    /// Endpoints given by the application. The issuer is still required: it is what `iss` and
    /// ID tokens are compared with.
    pub fn explicit(
        issuer: &str,
        authorization_endpoint: &str,
        token_endpoint: &str,
        allow_http_loopback: bool,
    ) -> Result<Provider> {
        check_https_url(issuer, "issuer", allow_http_loopback)?;
        check_https_url(authorization_endpoint, "authorization_endpoint", allow_http_loopback)?;
        check_https_url(token_endpoint, "token_endpoint", allow_http_loopback)?;
        Ok(Provider {
            issuer: issuer.to_owned(),
            issuer_policy: IssuerPolicy::Exact,
            authorization_endpoint: authorization_endpoint.to_owned(),
            token_endpoint: token_endpoint.to_owned(),
            end_session_endpoint: None,
            jwks_uri: None,
            revocation_endpoint: None,
            userinfo_endpoint: None,
            iss_parameter_supported: false,
            id_token_signing_alg_values_supported: None,
        })
    }

    /// Reads a discovery document fetched from [`discovery_url`]. Its `issuer` must equal the
    /// configured issuer byte for byte (RFC 8414 §3.3): no case folding, no trailing-slash repair.
    /// An Entra template issuer is accepted only when `configured_issuer` is that same template.
    pub fn from_discovery(configured_issuer: &str, document: &str, allow_http_loopback: bool) -> Result<Provider> {
        let doc = json::parse(document).map_err(|reason| Error::InvalidJson { what: "provider metadata", reason })?;
        Provider::from_metadata(configured_issuer, &doc, allow_http_loopback)
    }

    /// [`Provider::from_discovery`] on a document already parsed: the wasm modules parse it with
    /// the browser's `JSON.parse` and hand over the members in [`METADATA_MEMBERS`] (the JSON
    /// reader then stays out of the signed-out page's module).
    pub fn from_metadata(configured_issuer: &str, doc: &Value, allow_http_loopback: bool) -> Result<Provider> {
        if !doc.is_object() {
            return Err(Error::InvalidJson { what: "provider metadata", reason: "not an object" });
        }
        let issuer = doc.get("issuer").and_then(Value::as_str).ok_or(Error::InvalidMetadata { field: "issuer" })?;
        if issuer != configured_issuer {
            return Err(Error::IssuerMismatch);
        }
        let issuer_policy = if text::find(issuer, TENANT_PLACEHOLDER).is_some() {
            // A `{tenantid}` issuer is Entra's multi-tenant form: only a build with its rules reads it.
            if !super::ENTRA_RULES {
                return Err(Error::EntraBuildRequired);
            }
            IssuerPolicy::EntraTenantTemplate
        } else {
            check_https_url(issuer, "issuer", allow_http_loopback)?;
            IssuerPolicy::Exact
        };
        if let Some(methods) = string_list(doc, "code_challenge_methods_supported")? {
            if !methods.contains(&"S256") {
                return Err(Error::PkceS256Unsupported);
            }
        }
        if let Some(types) = string_list(doc, "response_types_supported")? {
            if !types.contains(&"code") {
                return Err(Error::InvalidMetadata { field: "response_types_supported" });
            }
        }
        let id_token_algs = string_list(doc, "id_token_signing_alg_values_supported")?;
        let iss_parameter_supported = match doc.get("authorization_response_iss_parameter_supported") {
            None => false,
            Some(v) => v.as_bool().ok_or(Error::InvalidMetadata { field: "authorization_response_iss_parameter_supported" })?,
        };
        Ok(Provider {
            issuer: issuer.to_owned(),
            issuer_policy,
            authorization_endpoint: required_url(doc, "authorization_endpoint", allow_http_loopback)?,
            token_endpoint: required_url(doc, "token_endpoint", allow_http_loopback)?,
            end_session_endpoint: optional_url(doc, "end_session_endpoint", allow_http_loopback)?,
            jwks_uri: optional_url(doc, "jwks_uri", allow_http_loopback)?,
            revocation_endpoint: optional_url(doc, "revocation_endpoint", allow_http_loopback)?,
            userinfo_endpoint: optional_url(doc, "userinfo_endpoint", allow_http_loopback)?,
            iss_parameter_supported,
            id_token_signing_alg_values_supported: id_token_algs.map(|algs| algs.into_iter().map(str::to_owned).collect()),
        })
    }

    /// `true` when an ID token signed with `alg` may be accepted from this provider: the
    /// provider advertises `alg`, or advertises nothing (OpenID Connect Discovery 1.0 §3). The
    /// library's own allow-list applies on top.
    pub fn advertises_id_token_alg(&self, alg: &str) -> bool {
        self.id_token_signing_alg_values_supported.as_ref().is_none_or(|algs| algs.iter().any(|a| a == alg))
    }

    /// The concrete issuer for a token whose `tid` claim is `tid`: the configured issuer for an
    /// exact policy, the template with `tid` substituted (a GUID only) otherwise.
    #[cfg(any(feature = "account", feature = "consent", feature = "dpop", not(target_arch = "wasm32")))]
    pub fn resolve_issuer(&self, tid: Option<&str>) -> Result<String> {
        match self.issuer_policy {
            IssuerPolicy::Exact => Ok(self.issuer.clone()),
            IssuerPolicy::EntraTenantTemplate => {
                let tid = tid.filter(|t| is_guid(t)).ok_or(Error::InvalidIdToken { reason: "tid claim missing or not a tenant id" })?;
                let (prefix, suffix) = text::split_once(&self.issuer, TENANT_PLACEHOLDER).ok_or(Error::InvalidMetadata { field: "issuer" })?;
                Ok(crate::core::text::concat(&[prefix, tid, suffix]))
            }
        }
    }

    /// Compares an `iss` value from a response or token with the issuer: exact string equality,
    /// or, for the Entra template, equality after substituting some tenant GUID.
    pub fn issuer_matches(&self, iss: &str) -> bool {
        match self.issuer_policy {
            IssuerPolicy::Exact => iss == self.issuer,
            IssuerPolicy::EntraTenantTemplate => {
                let Some((prefix, suffix)) = text::split_once(&self.issuer, TENANT_PLACEHOLDER) else { return false };
                iss.len() == prefix.len() + 36 + suffix.len()
                    && iss.starts_with(prefix)
                    && iss.ends_with(suffix)
                    && iss.get(prefix.len()..prefix.len() + 36).is_some_and(is_guid)
            }
        }
    }
}

/// `8-4-4-4-12` hexadecimal digits.
pub fn is_guid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{"issuer":"https://op.example","authorization_endpoint":"https://op.example/auth",
        "token_endpoint":"https://op.example/token","jwks_uri":"https://op.example/jwks",
        "code_challenge_methods_supported":["S256"],"authorization_response_iss_parameter_supported":true}"#;

    #[test]
    fn discovery_requires_the_exact_issuer() {
        let p = Provider::from_discovery("https://op.example", DOC, false).unwrap();
        assert!(p.iss_parameter_supported);
        assert_eq!(p.token_endpoint, "https://op.example/token");
        // Checklist item 9: case, trailing slash or host differences are refused.
        for configured in ["https://OP.example", "https://op.example/", "https://op2.example", "http://op.example"] {
            assert_eq!(Provider::from_discovery(configured, DOC, false).err(), Some(Error::IssuerMismatch), "{configured}");
        }
    }

    #[test]
    fn a_build_without_the_entra_rules_refuses_entra_providers_and_only_those() {
        let entra = Provider::entra("organizations", None).unwrap();
        assert_eq!(entra.clone().for_build(false).err(), Some(Error::EntraBuildRequired));
        assert!(entra.for_build(true).is_ok());
        // Discovered or explicit, an authorization endpoint on an Entra host is Entra.
        let explicit = Provider::explicit(
            "https://login.microsoftonline.com/contoso/v2.0",
            "https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize",
            "https://login.microsoftonline.com/contoso/oauth2/v2.0/token",
            false,
        )
        .unwrap();
        assert_eq!(explicit.for_build(false).err(), Some(Error::EntraBuildRequired));
        let other = Provider::from_discovery("https://op.example", DOC, false).unwrap();
        assert!(other.for_build(false).is_ok());
    }

    #[test]
    fn discovery_refuses_bad_metadata() {
        let cases: &[(&str, Error)] = &[
            ("[]", Error::InvalidJson { what: "provider metadata", reason: "not an object" }),
            ("{}", Error::InvalidMetadata { field: "issuer" }),
            (r#"{"issuer":"https://op.example"}"#, Error::InvalidMetadata { field: "authorization_endpoint" }),
            (r#"{"issuer":"https://op.example","authorization_endpoint":"http://op.example/a","token_endpoint":"https://op.example/t"}"#,
             Error::InsecureUrl { what: "authorization_endpoint" }),
            (r#"{"issuer":"https://op.example","authorization_endpoint":"https://op.example/a","token_endpoint":5}"#,
             Error::InvalidMetadata { field: "token_endpoint" }),
            (r#"{"issuer":"https://op.example","authorization_endpoint":"https://op.example/a","token_endpoint":"https://op.example/t","code_challenge_methods_supported":["plain"]}"#,
             Error::PkceS256Unsupported),
            (r#"{"issuer":"https://op.example","authorization_endpoint":"https://op.example/a#x","token_endpoint":"https://op.example/t"}"#,
             Error::ForbiddenUrl { what: "authorization_endpoint", reason: "fragment" }),
        ];
        for (doc, want) in cases {
            assert_eq!(Provider::from_discovery("https://op.example", doc, false).err().as_ref(), Some(want), "{doc}");
        }
        assert!(Provider::from_discovery("https://op.example", "garbage", false).is_err());
    }

    #[test]
    fn every_metadata_member_read_must_have_its_json_type() {
        let with = |member: &str| DOC.replacen('{', &format!("{{{member},"), 1);
        let cases = [
            (r#""end_session_endpoint":null"#, "end_session_endpoint"),
            (r#""revocation_endpoint":5"#, "revocation_endpoint"),
            (r#""userinfo_endpoint":["https://op.example/u"]"#, "userinfo_endpoint"),
            (r#""response_types_supported":"code""#, "response_types_supported"),
            (r#""response_types_supported":["code",1]"#, "response_types_supported"),
            (r#""grant_types_supported":5,"scopes_supported":null"#, ""),
            (r#""id_token_signing_alg_values_supported":"RS256""#, "id_token_signing_alg_values_supported"),
            (r#""id_token_signing_alg_values_supported":["RS256",null]"#, "id_token_signing_alg_values_supported"),
        ];
        for (member, field) in cases {
            if field.is_empty() {
                assert!(Provider::from_discovery("https://op.example", &with(member), false).is_ok(), "members not read are not judged");
                continue;
            }
            assert_eq!(Provider::from_discovery("https://op.example", &with(member), false).err(), Some(Error::InvalidMetadata { field }), "{member}");
        }
        let doc = DOC.replacen(r#""authorization_response_iss_parameter_supported":true"#, r#""authorization_response_iss_parameter_supported":"true""#, 1);
        assert!(Provider::from_discovery("https://op.example", &doc, false).is_err());
        let doc = DOC.replacen(r#"["S256"]"#, r#""S256""#, 1);
        assert_eq!(Provider::from_discovery("https://op.example", &doc, false).err(), Some(Error::InvalidMetadata { field: "code_challenge_methods_supported" }));
        let doc = DOC.replacen(r#""jwks_uri":"https://op.example/jwks""#, r#""jwks_uri":null"#, 1);
        assert_eq!(Provider::from_discovery("https://op.example", &doc, false).err(), Some(Error::InvalidMetadata { field: "jwks_uri" }));
        let issuer_array = DOC.replacen(r#""issuer":"https://op.example""#, r#""issuer":["https://op.example"]"#, 1);
        assert_eq!(Provider::from_discovery("https://op.example", &issuer_array, false).err(), Some(Error::InvalidMetadata { field: "issuer" }));
    }

    #[test]
    fn the_advertised_id_token_algorithms_are_kept() {
        let p = Provider::from_discovery("https://op.example", DOC, false).unwrap();
        assert_eq!(p.id_token_signing_alg_values_supported, None);
        assert!(p.advertises_id_token_alg("RS256") && p.advertises_id_token_alg("ES256"), "nothing advertised: the allow-list decides");
        let doc = DOC.replacen('{', r#"{"id_token_signing_alg_values_supported":["ES256","HS256"],"#, 1);
        let p = Provider::from_discovery("https://op.example", &doc, false).unwrap();
        assert!(p.advertises_id_token_alg("ES256") && p.advertises_id_token_alg("HS256"));
        assert!(!p.advertises_id_token_alg("RS256"));
    }

    #[test]
    fn http_is_allowed_only_for_loopback_and_only_when_asked() {
        assert!(check_https_url("http://127.0.0.1:8080/", "issuer", true).is_ok());
        assert!(check_https_url("http://localhost/", "issuer", true).is_ok());
        assert_eq!(check_https_url("http://127.0.0.1:8080/", "issuer", false).err(), Some(Error::InsecureUrl { what: "issuer" }));
        assert_eq!(check_https_url("http://op.example/", "issuer", true).err(), Some(Error::InsecureUrl { what: "issuer" }));
        assert!(check_https_url("https://u:p@op.example/", "issuer", false).is_err());
        assert_eq!(discovery_url("https://op.example/", false).unwrap(), "https://op.example/.well-known/openid-configuration");
        assert_eq!(discovery_url("https://op.example/t/", false).unwrap(), "https://op.example/t/.well-known/openid-configuration");
    }

    #[test]
    fn entra_preset_endpoints_and_issuer_templates() {
        let p = Provider::entra("organizations", None).unwrap();
        assert_eq!(p.authorization_endpoint, "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize");
        assert_eq!(p.token_endpoint, "https://login.microsoftonline.com/organizations/oauth2/v2.0/token");
        assert_eq!(p.issuer, "https://login.microsoftonline.com/{tenantid}/v2.0");
        let tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        assert_eq!(p.resolve_issuer(Some(tid)).unwrap(), format!("https://login.microsoftonline.com/{tid}/v2.0"));
        assert!(p.resolve_issuer(None).is_err());
        assert!(p.resolve_issuer(Some("evil/../x")).is_err());
        assert!(p.issuer_matches(&format!("https://login.microsoftonline.com/{tid}/v2.0")));
        assert!(!p.issuer_matches("https://login.microsoftonline.com/{tenantid}/v2.0"));
        assert!(!p.issuer_matches(&format!("https://evil.example/{tid}/v2.0")));

        let single = Provider::entra(tid, None).unwrap();
        assert_eq!(single.issuer_policy, IssuerPolicy::Exact);
        assert_eq!(single.resolve_issuer(Some("ignored")).unwrap(), format!("https://login.microsoftonline.com/{tid}/v2.0"));
        let consumers = Provider::entra("consumers", None).unwrap();
        assert_eq!(consumers.issuer, format!("https://login.microsoftonline.com/{ENTRA_CONSUMERS_TENANT_ID}/v2.0"));

        assert!(Provider::entra("common", Some("login.microsoftonline.com.evil.example")).is_err());
        for bad in ["", "a/b", "a?b", "..", "a b", "é"] {
            assert!(Provider::entra(bad, None).is_err(), "{bad}");
        }
    }

    #[test]
    fn guid_shape() {
        assert!(is_guid("499b84ac-1321-427f-aa17-267ca6975798"));
        assert!(!is_guid("499b84ac-1321-427f-aa17-267ca697579"));
        assert!(!is_guid("499b84ac_1321-427f-aa17-267ca6975798"));
    }
}
