//! The sign-in module's exports: the client (`WasmClient`, `WasmProvider`) and the low-level
//! steps (PKCE, authorization URL, redirect validation, code exchange).

use super::convert::{js_error, opt_bool, opt_object, opt_seconds, opt_string, opt_strings, options, sign_in_result, JsResult};
use wasm_bindgen::prelude::*;

use crate::core::authorize::{self, Client, Params};
use crate::core::callback::{self, ValidatedCallback};
use crate::core::error::Error;
use crate::core::id_token::DEFAULT_SKEW_SECS;
use crate::core::pkce;
use crate::core::provider::Provider;
use crate::core::transaction::{ResponseMode, Transaction};
use crate::platform::store::Store;
use crate::platform::{clock, flow, history, random};

/// Where the endpoints come from: `{ issuer }`, `{ issuer, authorizationEndpoint, tokenEndpoint }`
/// or `{ entra: { tenant, host? } }`.
struct ProviderOptions {
    issuer: Option<String>,
    entra: Option<(Option<String>, Option<String>)>,
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    allow_http_loopback: bool,
}

impl ProviderOptions {
    fn read(o: &JsValue) -> JsResult<ProviderOptions> {
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
}

/// Reads `{ scopes?, prompt?, loginHint?, domainHint?, maxAge?, extraParams? }`.
pub(super) fn request_params(request: JsValue, default_scopes: &[String]) -> JsResult<Params> {
    let r = options(request)?;
    Ok(Params {
        scopes: opt_strings(&r, "scopes")?.unwrap_or_else(|| default_scopes.to_vec()),
        prompt: opt_string(&r, "prompt")?,
        login_hint: opt_string(&r, "loginHint")?,
        domain_hint: opt_string(&r, "domainHint")?,
        max_age: opt_seconds(&r, "maxAge")?,
        extra: super::convert::string_entries(&r, "extraParams")?,
    })
}

async fn provider_from(o: &ProviderOptions) -> Result<Provider, Error> {
    let loopback = o.allow_http_loopback;
    match (&o.entra, &o.issuer, &o.authorization_endpoint, &o.token_endpoint) {
        (Some((tenant, host)), None, None, None) => {
            flow::entra(tenant.as_deref().ok_or(Error::MissingOption { name: "entra.tenant" })?, host.as_deref()).await
        }
        (None, Some(issuer), Some(a), Some(t)) => Provider::explicit(issuer, a, t, loopback),
        (None, Some(issuer), None, None) => flow::discover(issuer, loopback).await,
        (None, None, _, _) => Err(Error::MissingOption { name: "issuer" }),
        _ => Err(Error::InvalidOption { name: "issuer", reason: "give issuer, issuer with both endpoints, or entra" }),
    }
}

fn client_from(o: &JsValue) -> JsResult<Client> {
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

fn default_scopes(o: &JsValue) -> JsResult<Vec<String>> {
    Ok(opt_strings(o, "scopes")?.unwrap_or_else(|| vec!["openid".to_owned()]))
}

/// A configured client: provider, registration and default scopes.
#[wasm_bindgen(js_name = WasmClient)]
pub struct WasmClient {
    pub(super) provider: Provider,
    pub(super) client: Client,
    pub(super) scopes: Vec<String>,
    pub(super) skew: u64,
    pub(super) store: Store,
}

#[wasm_bindgen(js_class = WasmClient)]
impl WasmClient {
    /// Validates the configuration and, for an issuer without endpoints, runs discovery.
    pub async fn create(config: JsValue) -> JsResult<WasmClient> {
        let o = options(config)?;
        let client = client_from(&o)?;
        let scopes = default_scopes(&o)?;
        let skew = opt_seconds(&o, "clockSkew")?.unwrap_or(DEFAULT_SKEW_SECS);
        let store = super::session::store_option(&o)?;
        let provider = provider_from(&ProviderOptions::read(&o)?).await.map_err(js_error)?;
        Ok(WasmClient { provider, client, scopes, skew, store })
    }

    /// Builds the authorization URL and stores its transaction in sessionStorage.
    #[wasm_bindgen(js_name = authorizationUrl)]
    pub fn authorization_url(&self, request: JsValue) -> JsResult<String> {
        let params = request_params(request, &self.scopes)?;
        flow::begin(&self.provider, &self.client, &params).map_err(js_error)
    }

    /// Builds the authorization URL, stores its transaction and navigates to it.
    #[wasm_bindgen(js_name = signIn)]
    pub fn sign_in(&self, request: JsValue) -> JsResult<()> {
        let url = self.authorization_url(request)?;
        history::navigate(&url).map_err(js_error)
    }

    /// Handles the redirect: resolves to `null` when the URL carries no authorization response.
    #[wasm_bindgen(js_name = handleRedirect)]
    pub fn handle_redirect(&self, url: Option<String>) -> js_sys::Promise {
        let session = self.session();
        wasm_bindgen_futures::future_to_promise(async move {
            match flow::complete(&session.provider, &session.client, url, session.skew).await.map_err(js_error)? {
                Some(result) => {
                    let out = sign_in_result(&result)?;
                    // Stored only now: every check passed (checklist item 29).
                    session.save_sign_in(result).await.map_err(js_error)?;
                    Ok(out)
                }
                None => Ok(JsValue::NULL),
            }
        })
    }

    /// The issuer (for Entra multi-tenant, the `{tenantid}` template).
    #[wasm_bindgen(getter)]
    pub fn issuer(&self) -> String {
        self.provider.issuer.clone()
    }

    /// The provider's metadata as the client uses it.
    #[wasm_bindgen(getter)]
    pub fn metadata(&self) -> JsResult<JsValue> {
        super::convert::provider_metadata(&self.provider)
    }
}

/// A fresh PKCE pair from the CSPRNG (RFC 7636 §4.1–4.2).
#[wasm_bindgen(js_name = generatePkce)]
pub fn generate_pkce() -> JsResult<JsValue> {
    let mut octets = [0u8; 32];
    random::fill(&mut octets).map_err(js_error)?;
    let verifier = pkce::verifier_from_random(&octets);
    super::convert::object(&[
        ("codeVerifier", verifier.secret().into()),
        ("codeChallenge", pkce::s256_challenge(&verifier).into()),
        ("codeChallengeMethod", pkce::CODE_CHALLENGE_METHOD.into()),
    ])
}

/// The S256 challenge of a caller-supplied verifier, which is validated first (RFC 7636 §4.1).
#[wasm_bindgen(js_name = pkceChallenge)]
pub fn pkce_challenge(code_verifier: &str) -> JsResult<String> {
    let v = pkce::verifier_from_str(code_verifier).map_err(js_error)?;
    Ok(pkce::s256_challenge(&v))
}

/// A provider handle for the low-level steps.
#[wasm_bindgen(js_name = WasmProvider)]
pub struct WasmProvider(Provider);

#[wasm_bindgen(js_class = WasmProvider)]
impl WasmProvider {
    /// From `{ issuer }` (discovery), `{ issuer, authorizationEndpoint, tokenEndpoint }` or `{ entra }`.
    pub async fn create(config: JsValue) -> JsResult<WasmProvider> {
        let o = ProviderOptions::read(&options(config)?)?;
        provider_from(&o).await.map(WasmProvider).map_err(js_error)
    }

    #[wasm_bindgen(getter)]
    pub fn metadata(&self) -> JsResult<JsValue> {
        super::convert::provider_metadata(&self.0)
    }
}

/// Builds an authorization URL; returns `{ url, transaction }` where `transaction` is the
/// serialized record the app must keep (it holds the verifier) until the redirect returns.
#[wasm_bindgen(js_name = buildAuthorizationUrl)]
pub fn build_authorization_url(provider: &WasmProvider, config: JsValue, request: JsValue) -> JsResult<JsValue> {
    let o = options(config)?;
    let client = client_from(&o)?;
    let params = request_params(request, &default_scopes(&o)?)?;
    let (url, transaction) = authorize::build(&provider.0, &client, &params, &random::entropy().map_err(js_error)?, clock::now()).map_err(js_error)?;
    super::convert::object(&[("url", url.into()), ("transaction", transaction.to_json().into()), ("state", transaction.state.secret().into())])
}

/// A response that passed every check; the only thing [`exchange_code`] accepts.
#[wasm_bindgen(js_name = WasmValidatedCallback)]
pub struct WasmValidatedCallback(Option<ValidatedCallback>);

/// Validates a redirect URL against the stored transaction (RFC 6749 §4.1.2, RFC 9207).
#[wasm_bindgen(js_name = validateAuthorizationResponse)]
pub fn validate_authorization_response(provider: &WasmProvider, client_id: &str, url: &str, transaction: &str) -> JsResult<WasmValidatedCallback> {
    let t = Transaction::from_json(transaction, &provider.0.issuer, client_id).map_err(js_error)?;
    callback::validate(url, t, &provider.0, clock::now()).map(|v| WasmValidatedCallback(Some(v))).map_err(js_error)
}

/// Exchanges a validated callback's code (once: a second call rejects) and checks the
/// response and ID token.
#[wasm_bindgen(js_name = exchangeCode)]
pub fn exchange_code(provider: &WasmProvider, callback: &mut WasmValidatedCallback) -> js_sys::Promise {
    let validated = callback.0.take();
    let provider = provider.0.clone();
    wasm_bindgen_futures::future_to_promise(async move {
        let validated = validated.ok_or_else(|| js_error(Error::TransactionNotFound))?;
        let result = flow::exchange(validated, &provider, DEFAULT_SKEW_SECS).await.map_err(js_error)?;
        sign_in_result(&result)
    })
}

/// The URL without the OAuth response parameters (for `history.replaceState`), or `null`.
#[wasm_bindgen(js_name = stripResponseParams)]
pub fn strip_response_params(url: &str, response_mode: Option<String>) -> JsResult<Option<String>> {
    let mode = ResponseMode::parse(response_mode.as_deref().unwrap_or("query")).map_err(js_error)?;
    Ok(callback::strip_response_params(url, mode))
}
