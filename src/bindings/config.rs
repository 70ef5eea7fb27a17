//! What both sign-in modules (`start` and `account`) read from the app's configuration: the
//! provider (from the discovery document JS fetched, explicit endpoints, or the Entra preset),
//! the client registration, default scopes and skew, and the sign-in request. Synchronous: the
//! JS package fetches the document at [`discovery_url`] and hands its status and text in.

// Shared by both modules; each uses part of it.
#![allow(dead_code)]

use wasm_bindgen::prelude::*;

use super::convert::{js_error, opt_bool, opt_object, opt_seconds, opt_string, opt_strings, options, string_entries, JsResult};
use crate::core::authorize::{Client, Params};
use crate::core::error::Error;
use crate::core::DEFAULT_SKEW_SECS;
use crate::core::json::{self, Value};
use crate::core::provider::{discovery_url as issuer_discovery_url, Provider};
use crate::core::ENTRA_RULES;
use crate::core::transaction::ResponseMode;

/// Where the endpoints come from: `{ issuer }`, `{ issuer, authorizationEndpoint, tokenEndpoint }`
/// or `{ entra: { tenant, host? } }`.
pub struct ProviderOptions {
    issuer: Option<String>,
    entra: Option<(Option<String>, Option<String>)>,
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    allow_http_loopback: bool,
}

/// Which of the three ways the options name, checked once for both entry points.
enum Source<'a> {
    Entra(&'a str, Option<&'a str>),
    Explicit(&'a str, &'a str, &'a str),
    Discovery(&'a str),
}

impl ProviderOptions {
    pub fn read(o: &JsValue) -> JsResult<ProviderOptions> {
        let entra = match opt_object(o, "entra")? {
            Some(e) => Some((opt_string(&e, "tenant")?, opt_string(&e, "host")?)),
            None => None,
        };
        Ok(ProviderOptions {
            issuer: opt_string(o, "issuer")?,
            entra,
            authorization_endpoint: opt_string(o, "authorizationEndpoint")?,
            token_endpoint: opt_string(o, "tokenEndpoint")?,
            allow_http_loopback: opt_bool(o, "allowHttpLoopback")?,
        })
    }

    fn source(&self) -> Result<Source<'_>, Error> {
        match (&self.entra, &self.issuer, &self.authorization_endpoint, &self.token_endpoint) {
            (Some((tenant, host)), None, None, None) => {
                Ok(Source::Entra(tenant.as_deref().ok_or(Error::MissingOption { name: "entra.tenant" })?, host.as_deref()))
            }
            (None, Some(issuer), Some(a), Some(t)) => Ok(Source::Explicit(issuer, a, t)),
            (None, Some(issuer), None, None) => Ok(Source::Discovery(issuer)),
            (None, None, _, _) => Err(Error::MissingOption { name: "issuer" }),
            _ => Err(Error::InvalidOption { name: "issuer", reason: "give issuer, issuer with both endpoints, or entra" }),
        }
    }

    /// The document JS must fetch before [`ProviderOptions::provider`], if any.
    pub fn discovery_url(&self) -> Result<Option<String>, Error> {
        match self.source()? {
            Source::Entra(..) if !ENTRA_RULES => Err(Error::EntraBuildRequired),
            Source::Entra(tenant, host) => Provider::entra_discovery_url(tenant, host),
            Source::Explicit(..) => Ok(None),
            Source::Discovery(issuer) => issuer_discovery_url(issuer, self.allow_http_loopback).map(Some),
        }
    }

    /// The provider, from the document fetched at [`ProviderOptions::discovery_url`]
    /// (`status` 0 and no body when there was none to fetch).
    pub fn provider(&self, status: u16, document: Option<&str>) -> Result<Provider, Error> {
        let fetched = || -> Result<Value, Error> {
            match (status, document) {
                (200, Some(d)) => metadata(d),
                (200, None) | (0, _) => Err(Error::InvalidMetadata { field: "discovery document" }),
                (s, _) => Err(Error::HttpStatus { status: s }),
            }
        };
        let provider = match self.source()? {
            Source::Entra(..) if !ENTRA_RULES => return Err(Error::EntraBuildRequired),
            Source::Entra(tenant, host) => match Provider::entra_discovery_url(tenant, host)? {
                None => Provider::entra(tenant, host),
                Some(_) => Provider::entra_from_metadata(tenant, host, &fetched()?),
            },
            Source::Explicit(issuer, a, t) => Provider::explicit(issuer, a, t, self.allow_http_loopback),
            Source::Discovery(issuer) => Provider::from_metadata(issuer, &fetched()?, self.allow_http_loopback),
        }?;
        provider.for_build(ENTRA_RULES)
    }
}

/// A discovery document, parsed by the browser's `JSON.parse` (no JSON reader in the module),
/// as the members the core reads ([`METADATA_MEMBERS`], own properties only): strings, booleans,
/// numbers and null as they are, an array one level deep, anything else as an empty object,
/// which the core refuses as the wrong type. A non-object document becomes `null`, which the core
/// refuses as "not an object". One difference from the crate's reader: a duplicated member is
/// taken as its last occurrence instead of refused (the account module refuses it).
#[cfg(not(feature = "account"))]
fn metadata(text: &str) -> Result<Value, Error> {
    use super::convert::field_value;
    use crate::core::provider::METADATA_MEMBERS;
    if text.len() > json::MAX_LEN {
        return Err(Error::InputTooLarge { what: "provider metadata", limit: json::MAX_LEN });
    }
    let doc = js_sys::JSON::parse(text).map_err(|_| Error::InvalidJson { what: "provider metadata", reason: "not json" })?;
    if !doc.is_object() || js_sys::Array::is_array(&doc) {
        return Ok(Value::Null);
    }
    let mut members = Vec::with_capacity(METADATA_MEMBERS.len());
    for name in METADATA_MEMBERS {
        let v = field_value(&doc, name);
        if !v.is_undefined() {
            members.push(((*name).to_owned(), value_of(&v, true)));
        }
    }
    Ok(Value::Object(members))
}

/// The account module reads token responses with the crate's JSON reader anyway: it reads the
/// discovery document with it too (duplicated members refused), which costs it less than the
/// walk above. A document with a duplicated member thus fails at the redirect at the latest.
#[cfg(feature = "account")]
fn metadata(text: &str) -> Result<Value, Error> {
    json::parse_limited(text, json::MAX_LEN).map_err(|reason| Error::InvalidJson { what: "provider metadata", reason })
}

#[cfg(not(feature = "account"))]
fn value_of(v: &JsValue, outer: bool) -> Value {
    if let Some(s) = v.as_string() {
        Value::String(s)
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if v.is_null() {
        Value::Null
    } else if let Some(n) = v.as_f64() {
        Value::Number(n)
    } else if outer && js_sys::Array::is_array(v) {
        // `is_array` holds: read it as the array it is (no `Array.from` copy).
        let items = v.unchecked_ref::<js_sys::Array>();
        let mut out = Vec::with_capacity(items.length().min(1024) as usize);
        for i in 0..items.length() {
            out.push(value_of(&items.get(i), false));
        }
        Value::Array(out)
    } else {
        Value::Object(Vec::new())
    }
}

/// The discovery document to fetch for `config` (`null` when the endpoints are known without one).
// The start module answers this through `startSignIn` (one export less there).
#[cfg(feature = "account")]
#[wasm_bindgen(js_name = discoveryUrl)]
pub fn discovery_url(config: JsValue) -> JsResult<Option<String>> {
    ProviderOptions::read(&options(config)?)?.discovery_url().map_err(js_error)
}

/// Reads `{ scopes?, extraScopesToConsent?, prompt?, loginHint?, domainHint?, maxAge?, extraParams? }`.
pub fn request_params(request: JsValue, default_scopes: &[String]) -> JsResult<Params> {
    let r = options(request)?;
    Ok(Params {
        scopes: opt_strings(&r, "scopes")?.unwrap_or_else(|| default_scopes.to_vec()),
        prompt: opt_string(&r, "prompt")?,
        login_hint: opt_string(&r, "loginHint")?,
        domain_hint: opt_string(&r, "domainHint")?,
        max_age: opt_seconds(&r, "maxAge")?,
        extra: string_entries(&r, "extraParams")?,
        extra_consent: opt_strings(&r, "extraScopesToConsent")?.unwrap_or_default(),
    })
}

pub fn client_from(o: &JsValue) -> JsResult<Client> {
    let mode = match opt_string(o, "responseMode")? {
        None => ResponseMode::Query,
        Some(m) => ResponseMode::parse(&m).map_err(js_error)?,
    };
    Client::new(
        &opt_string(o, "clientId")?.ok_or_else(|| js_error(Error::MissingOption { name: "clientId" }))?,
        &opt_string(o, "redirectUri")?.ok_or_else(|| js_error(Error::MissingOption { name: "redirectUri" }))?,
        mode,
        opt_bool(o, "allowHttpLoopback")?,
    )
    .map_err(js_error)
}

pub fn default_scopes(o: &JsValue) -> JsResult<Vec<String>> {
    Ok(opt_strings(o, "scopes")?.unwrap_or_else(|| vec!["openid".to_owned()]))
}

/// A configured client as both modules hold it.
pub struct Configured {
    pub provider: Provider,
    pub client: Client,
    pub scopes: Vec<String>,
    pub skew: u64,
    /// `dpop: true`: token requests carry a proof and token responses must be `DPoP` (RFC 9449 §5).
    pub dpop: bool,
}

impl Configured {
    /// Reads `config` and builds the provider from the fetched discovery document.
    pub fn read(config: JsValue, status: u16, document: Option<String>) -> JsResult<Configured> {
        let o = options(config)?;
        let client = client_from(&o)?;
        let scopes = default_scopes(&o)?;
        let skew = opt_seconds(&o, "clockSkew")?.unwrap_or(DEFAULT_SKEW_SECS);
        let provider = ProviderOptions::read(&o)?.provider(status, document.as_deref()).map_err(js_error)?;
        // Only the account module reads token responses; the start module's dpop_jkt comes from JS.
        let dpop = cfg!(feature = "account") && opt_bool(&o, "dpop")?;
        Ok(Configured { provider, client, scopes, skew, dpop })
    }

    /// The storage key of this client's session, and its cross-tab refresh lock's name.
    pub fn session_key(&self) -> String {
        crate::core::text::concat(&["browser-oauth:session:", &self.client.client_id, "@", &self.provider.issuer])
    }
}
