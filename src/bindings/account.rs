//! The `account` module (`dist/wasm-account/`): the redirect and the session. Built with the
//! feature `session` as well, it is the `session` module (`dist/wasm-session/`): the same without
//! the redirect (no `Exchange`, `validate`, `sessionFrom`, `responseState`, `cleanAddressBar`,
//! `noTransaction`, low-level steps), about 10 KB gzip lighter, for a page that is signed in
//! and carries no authorization response. Every export is
//! synchronous: the JS package sends the requests these functions build, reads and writes the
//! stores, holds the cross-tab lock and runs WebCrypto, and calls back in between. Each decision
//! (is this response ours, is this token response valid, which key verifies this ID token, is
//! the cached token fresh, what is stored) is made here, by the core.
//!
//! Two-phase steps: a token response is checked ([`Exchange::finish`],
//! [`AccountClient::refreshed`]), JS verifies the ID token's signature with the key
//! [`AccountClient::key_for`] chose, and only a verdict of "verified" commits it.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::config::Configured;
use super::convert::{js_error, object, opt_str, provider_metadata, resource_name, server_fields, strings, JsResult};
use crate::core::scopes::{classify_entra_scope, Resource};
use crate::core::error::Error;
use crate::core::jwks::{self, CachedJwks, Jwk, KeyMaterial};
use crate::core::provider::Provider;
use crate::core::secret::RefreshToken;
use crate::core::session::logout::{logout_request, revocation_request};
use crate::core::session::resource::origin_allowed;
use crate::core::session::{refresh, stored, Account, Lookup};
use crate::core::token::{self, HttpRequest, TokenResponse};
use crate::platform::{clock, random};

// ---- requests and verdicts ----------------------------------------------------------------------

/// `{ url, method, headers, body }` for `fetch`. The body holds secrets.
pub(super) fn request(r: &HttpRequest) -> JsResult<JsValue> {
    let headers: JsValue = js_sys::Object::new().into();
    for (name, value) in &r.headers {
        let _ = js_sys::Reflect::set(&headers, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    object(&[("url", r.url.as_str().into()), ("method", r.method.into()), ("headers", headers), ("body", r.body.as_str().into())])
}

/// The verdict JS reports when it could not run the check at all.
pub(super) const CANNOT_CHECK: u32 = 3;

/// What JS reports after checking a signature: 1 it verifies, 0 it does not, 2 WebCrypto would
/// not import the key, 3 it could not run the check.
pub(super) fn verdict(v: u32) -> Result<(), Error> {
    match v {
        1 => Ok(()),
        2 => Err(Error::InvalidIdToken { reason: "the jwks key cannot be imported" }),
        3 => Err(Error::InvalidIdToken { reason: "the signature cannot be checked" }),
        _ => Err(Error::InvalidIdToken { reason: "signature does not verify" }),
    }
}

/// The ID token whose signature must be checked before `response` is used: when the provider
/// publishes a JWK Set (OpenID Connect Core §3.1.3.7 step 6, §12.2 for refreshes).
pub(super) fn to_verify(provider: &Provider, id_token: Option<&crate::core::secret::IdToken>) -> Option<String> {
    provider.jwks_uri.as_ref().and(id_token).map(|t| t.secret().to_owned())
}

// ---- JWK Sets -----------------------------------------------------------------------------------

/// Providers remembered at once; beyond this the cache starts over.
const MAX_PROVIDERS: usize = 8;

thread_local! {
    // Each provider's JWK Set as JS last fetched it for this page (OpenID Connect Core §10.1.1).
    static JWKS: RefCell<Vec<(String, CachedJwks)>> = const { RefCell::new(Vec::new()) };
}

fn with_jwks<T>(uri: &str, f: impl FnOnce(Option<&mut CachedJwks>) -> T) -> T {
    JWKS.with(|c| {
        let mut cache = c.borrow_mut();
        f(cache.iter_mut().find(|(u, _)| u == uri).map(|(_, e)| e))
    })
}

fn public_jwk(key: &Jwk) -> JsResult<JsValue> {
    match &key.material {
        KeyMaterial::Rsa { n, e } => object(&[("kty", "RSA".into()), ("n", n.as_str().into()), ("e", e.as_str().into())]),
        KeyMaterial::Ec { crv, x, y } => {
            object(&[("kty", "EC".into()), ("crv", crv.as_str().into()), ("x", x.as_str().into()), ("y", y.as_str().into())])
        }
    }
}

/// What verifying `jwt` needs next: `{ fetch: jwksUri }` when the set must be fetched (first
/// use, stale, or one rate-limited refetch for an unknown `kid`: checklist item 32), else
/// `{ alg, jwk, input, signature }` for WebCrypto. The `alg` allow-list, narrowed to what the
/// provider advertises, applies before anything is fetched (checklist item 30).
pub(super) fn key_for(provider: &Provider, jwt: &str) -> JsResult<JsValue> {
    let token = jwks::signed_token(jwt).map_err(js_error)?;
    if !provider.advertises_id_token_alg(token.alg.name()) {
        return Err(js_error(Error::InvalidIdToken { reason: "alg not allowed" }));
    }
    let uri = provider.jwks_uri.as_deref().ok_or_else(|| js_error(Error::InvalidMetadata { field: "jwks_uri" }))?;
    let now = clock::now();
    let fetch = || object(&[("fetch", uri.into())]);
    let found = with_jwks(uri, |entry| match entry {
        None => Ok(None),
        Some(e) if e.is_stale(now) => Ok(None),
        Some(e) => match jwks::select(&e.keys, token.alg, token.kid.as_deref()).map(|k| k.cloned()) {
            Ok(Some(key)) => Ok(Some(Some(key))),
            // An unknown kid: one refetch, counted before the request leaves.
            Ok(None) if e.claim_refetch(now) => Ok(None),
            Ok(None) => Ok(Some(None)),
            Err(err) => Err(err),
        },
    });
    match found.map_err(js_error)? {
        None => fetch(),
        Some(None) => Err(js_error(Error::InvalidIdToken { reason: "no key in the jwks matches the token" })),
        Some(Some(key)) => object(&[
            ("alg", token.alg.name().into()),
            ("jwk", public_jwk(&key)?),
            ("input", js_sys::Uint8Array::from(token.signing_input).into()),
            ("signature", js_sys::Uint8Array::from(token.signature.as_slice()).into()),
        ]),
    }
}

/// Keeps the JWK Set JS fetched from `uri` (after `{ fetch }`), checked key by key.
#[wasm_bindgen(js_name = jwksFetched)]
pub fn jwks_fetched(uri: &str, status: u16, body: &str) -> JsResult<()> {
    if status != 200 {
        return Err(js_error(Error::HttpStatus { status }));
    }
    let keys = jwks::parse_jwks(body).map_err(js_error)?;
    let now = clock::now();
    JWKS.with(|c| {
        let mut cache = c.borrow_mut();
        if let Some((_, e)) = cache.iter_mut().find(|(u, _)| u == uri) {
            e.keys = keys;
            e.fetched_at = now;
            return;
        }
        if cache.len() >= MAX_PROVIDERS {
            cache.clear();
        }
        cache.push((uri.to_owned(), CachedJwks { keys, fetched_at: now, refetched_at: None }));
    });
    Ok(())
}

pub(super) const USED: Error = Error::TransactionNotFound;

// ---- the session --------------------------------------------------------------------------------

/// A refresh in flight: the account it started from, the scopes asked and wanted, and the
/// response once checked.
struct Refreshing {
    account: Account,
    requested: Vec<String>,
    wanted: Vec<String>,
    // The refresh asks beyond the sign-in's grant (another resource, Entra).
    beyond_grant: bool,
    response: Option<TokenResponse>,
}

/// A configured client for the redirect and the session.
#[wasm_bindgen(js_name = AccountClient)]
pub struct AccountClient {
    pub(super) c: Configured,
    // The last stored text that passed validation, and its account: the same text is not
    // validated twice; any change, by anyone, is validated again in full.
    validated: RefCell<Option<(String, Rc<Account>)>>,
    refreshing: Option<Refreshing>,
}

fn optional_u64(v: Option<u64>) -> JsValue {
    v.map(|n| JsValue::from_f64(n as f64)).unwrap_or(JsValue::UNDEFINED)
}

impl AccountClient {
    fn validated(&self, text: &str) -> Result<Rc<Account>, Error> {
        if let Some((t, a)) = self.validated.borrow().as_ref() {
            if t == text {
                return Ok(a.clone());
            }
        }
        let a = Rc::new(stored::from_json(text, &self.c.provider, &self.c.client.client_id, clock::now())?);
        *self.validated.borrow_mut() = Some((text.to_owned(), a.clone()));
        Ok(a)
    }

    /// Whether one refresh token serves every consented resource here (Microsoft Entra).
    pub(super) fn multi_resource(&self) -> bool {
        crate::core::ENTRA_RULES && self.c.provider.is_entra()
    }

    pub(super) fn owned(&self, text: &str) -> Result<Account, Error> {
        stored::from_json(text, &self.c.provider, &self.c.client.client_id, clock::now())
    }

    fn scopes(&self, scopes: JsValue) -> JsResult<Vec<String>> {
        if scopes.is_undefined() || scopes.is_null() {
            return Ok(self.c.scopes.clone());
        }
        super::convert::scope_strings(&scopes, "scopes")
    }

    /// `{ token, deadline }`: the token at `index` and the Unix second until which a cache of it
    /// may serve the same request without asking again (its expiry less the refresh skew).
    fn hit(&self, a: &Account, index: usize, skew: u64, refreshed: bool) -> JsResult<JsValue> {
        let t = a.tokens.get(index).ok_or_else(|| js_error(Error::InteractionRequired { reason: "no cached token" }))?;
        let expires = t.expires_at.unwrap_or(t.received_at.saturating_add(3600));
        let view = object(&[
            ("accessToken", t.access_token.secret().into()),
            ("tokenType", t.token_type.as_str().into()),
            ("scopes", strings(&t.scopes)),
            ("expiresAt", optional_u64(t.expires_at)),
            ("refreshed", refreshed.into()),
        ])?;
        object(&[("token", view), ("deadline", JsValue::from_f64(expires.saturating_sub(skew) as f64))])
    }

    fn revocations(&self, tokens: &mut dyn Iterator<Item = (&str, &'static str)>) -> JsResult<JsValue> {
        let out = js_sys::Array::new();
        for (token, hint) in tokens {
            if let Some(r) = revocation_request(&self.c.provider, &self.c.client.client_id, token, hint) {
                out.push(&request(&r)?);
            }
        }
        Ok(out.into())
    }

    pub(super) fn stored_text(&self, account: &mut Account) -> String {
        *self.validated.borrow_mut() = None;
        stored::to_json_capped(account, clock::now())
    }
}

#[wasm_bindgen(js_class = AccountClient)]
impl AccountClient {
    /// As the start module's `startSignIn`: `config` and the answer to `discoveryUrl(config)`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, status: u16, document: Option<String>) -> JsResult<AccountClient> {
        Ok(AccountClient { c: Configured::read(config, status, document)?, validated: RefCell::new(None), refreshing: None })
    }

    #[wasm_bindgen(getter)]
    pub fn issuer(&self) -> String {
        self.c.provider.issuer.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn metadata(&self) -> JsResult<JsValue> {
        provider_metadata(&self.c.provider)
    }

    /// Whether the stored transaction `text` is this client's (sign-out removes those).
    #[wasm_bindgen(js_name = ownsTransaction)]
    pub fn owns_transaction(&self, text: &str) -> bool {
        crate::core::transaction::Transaction::is_bound_to(text, &self.c.provider.issuer, &self.c.client.client_id)
    }

    /// The session's storage key and cross-tab lock name.
    #[wasm_bindgen(getter, js_name = sessionKey)]
    pub fn session_key(&self) -> String {
        self.c.session_key()
    }

    /// The key that verifies `jwt` (a refreshed ID token), or the JWK Set to fetch first.
    #[wasm_bindgen(js_name = keyFor)]
    pub fn key_for(&self, jwt: &str) -> JsResult<JsValue> {
        key_for(&self.c.provider, jwt)
    }

    /// `getToken`'s decision on the stored session text: `{ token, deadline }` when a cached
    /// token covers `scopes` (the default scopes when omitted), `{ refresh: true }` when one must
    /// be refreshed (under the lock: see [`AccountClient::refresh`]). A corrupt, foreign or
    /// edited entry is `OAUTH_STORED_ENTRY_INVALID`: JS removes it (checklist item 38).
    pub fn lookup(&self, stored_text: &str, scopes: JsValue) -> JsResult<JsValue> {
        let scopes = self.scopes(scopes)?;
        let account = self.validated(stored_text).map_err(js_error)?;
        let wanted: Vec<&str> = crate::core::text::as_strs(&scopes);
        match account.lookup(&wanted, clock::now(), self.c.skew, self.multi_resource()).map_err(js_error)? {
            Lookup::Hit(i) => self.hit(&account, i, self.c.skew, false),
            Lookup::Refresh(_) => object(&[("refresh", true.into())]),
        }
    }

    /// Inside the lock, on the latest stored text: a hit (another tab refreshed meanwhile), or
    /// `{ request }`, the refresh-token grant to send (RFC 6749 §6).
    pub fn refresh(&mut self, stored_text: &str, scopes: JsValue) -> JsResult<JsValue> {
        let scopes = self.scopes(scopes)?;
        let account = self.owned(stored_text).map_err(js_error)?;
        let wanted: Vec<&str> = crate::core::text::as_strs(&scopes);
        let requested = match account.lookup(&wanted, clock::now(), self.c.skew, self.multi_resource()).map_err(js_error)? {
            Lookup::Hit(i) => return self.hit(&account, i, self.c.skew, false),
            Lookup::Refresh(r) => r,
        };
        let rt = account.refresh_token.as_ref().ok_or_else(|| js_error(Error::InteractionRequired { reason: "no refresh token" }))?;
        let req = token::refresh_request(&self.c.provider.token_endpoint, &self.c.client.client_id, rt, Some(&crate::core::text::join(&requested, " ")));
        let out = object(&[("request", request(&req)?)]);
        let beyond_grant = account.beyond_grant(&wanted);
        self.refreshing = Some(Refreshing { account, requested, wanted: scopes, beyond_grant, response: None });
        out
    }

    /// Checks the refresh's answer. Returns the refreshed ID token whose signature JS must check
    /// before [`AccountClient::commit_refresh`], or `undefined`. A refused refresh token is
    /// `OAUTH_INTERACTION_REQUIRED` (reason "the refresh token was refused"): the session is over.
    pub fn refreshed(&mut self, status: u16, body: &str) -> JsResult<Option<String>> {
        let r = self.refreshing.as_mut().ok_or_else(|| js_error(USED))?;
        match token::parse_token_response(status, body, self.c.dpop) {
            Ok(response) => {
                let jwt = to_verify(&self.c.provider, response.id_token.as_ref());
                r.response = Some(response);
                Ok(jwt)
            }
            Err(e) => {
                let beyond_grant = r.beyond_grant;
                self.refreshing = None;
                let server = e.server_error().cloned();
                let out = js_error(refresh::on_refresh_error(e, beyond_grant));
                if let Some(s) = &server {
                    server_fields(&out, s);
                }
                Err(out)
            }
        }
    }

    /// Applies the checked refresh with JS's verdict on the signature (ignored when none was
    /// due): `{ stored, token, deadline }`, the text to write and the token to hand out.
    #[wasm_bindgen(js_name = commitRefresh)]
    pub fn commit_refresh(&mut self, verdict_code: u32) -> JsResult<JsValue> {
        let Refreshing { mut account, requested, wanted, response, .. } = self.refreshing.take().ok_or_else(|| js_error(USED))?;
        let mut response = response.ok_or_else(|| js_error(USED))?;
        if to_verify(&self.c.provider, response.id_token.as_ref()).is_some() {
            if verdict_code == CANNOT_CHECK {
                // The new ID token's signature could not be checked (the JWK Set did not come):
                // its claims are left out and the account keeps the identity it verified, while
                // the tokens are kept. Refusing them would lose the session, since the provider
                // has already rotated the refresh token. A signature that fails is still refused.
                response.id_token = None;
            } else {
                verdict(verdict_code).map_err(js_error)?;
            }
        }
        let now = clock::now();
        refresh::apply(&mut account, response, &requested, &self.c.provider, now, self.c.skew).map_err(js_error)?;
        let text = self.stored_text(&mut account);
        let wanted: Vec<&str> = crate::core::text::as_strs(&wanted);
        let hit = match account.lookup(&wanted, now, 0, self.multi_resource()).map_err(js_error)? {
            Lookup::Hit(i) => self.hit(&account, i, self.c.skew, true)?,
            Lookup::Refresh(_) => return Err(js_error(Error::InvalidTokenResponse { reason: "refreshed token does not cover the scopes" })),
        };
        let _ = js_sys::Reflect::set(&hit, &JsValue::from_str("stored"), &JsValue::from_str(&text));
        Ok(hit)
    }

    /// What the app holds, without any token value, for a "manage authorizations" page.
    pub fn account(&self, stored_text: &str) -> JsResult<JsValue> {
        let a = self.validated(stored_text).map_err(js_error)?;
        let tokens = js_sys::Array::new();
        for t in &a.tokens {
            // Which resource the token is for, as Entra reads its scopes (one resource per token).
            let resource = self.multi_resource().then(|| {
                let first = t.scopes.iter().map(|s| classify_entra_scope(s)).find(|c| c.resource != Resource::Oidc);
                resource_name(first.map_or(Resource::Oidc, |c| c.resource))
            });
            tokens.push(&object(&[
                ("scopes", strings(&t.scopes)),
                ("resource", opt_str(resource)),
                ("expiresAt", optional_u64(t.expires_at)),
                ("receivedAt", optional_u64(Some(t.received_at))),
            ])?);
        }
        let id = a.identity.as_ref();
        object(&[
            ("issuer", a.issuer.as_str().into()),
            ("sub", a.sub.as_str().into()),
            ("name", opt_str(id.and_then(|i| i.name.as_deref()))),
            ("username", opt_str(id.and_then(|i| i.username.as_deref()))),
            ("tenantId", opt_str(id.and_then(|i| i.tid.as_deref()))),
            ("grantedScopes", strings(&a.grant)),
            ("hasRefreshToken", a.refresh_token.is_some().into()),
            ("refreshExpiresAt", optional_u64(a.refresh_expires_at)),
            ("signedInAt", optional_u64(Some(a.signed_in_at))),
            ("tokens", tokens.into()),
        ])
    }

    /// Signing out of the session stored as `stored_text` (absent or unreadable: nothing to
    /// revoke): `{ logoutUrl, revocations }`, the RP-initiated logout URL (or `null`) and, with
    /// `revoke`, the RFC 7009 requests for the refresh token and every access token.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self, stored_text: Option<String>, post_logout_redirect_uri: Option<String>, revoke: bool) -> JsResult<JsValue> {
        *self.validated.borrow_mut() = None;
        let account = stored_text.and_then(|t| self.owned(&t).ok());
        let mut entropy = [0u8; 32];
        random::fill(&mut entropy).map_err(js_error)?;
        let c = &self.c;
        let logout = logout_request(
            &c.provider,
            &c.client.client_id,
            account.as_ref().and_then(|a| a.id_token.as_ref()),
            post_logout_redirect_uri.as_deref(),
            &entropy,
            c.client.allow_http_loopback,
        )
        .map_err(js_error)?;
        let revocations = match (&account, revoke) {
            (Some(a), true) => {
                let refresh = a.refresh_token.as_ref().map(|t| (RefreshToken::secret(t), "refresh_token"));
                let access = a.tokens.iter().map(|t| (t.access_token.secret(), "access_token"));
                self.revocations(&mut refresh.into_iter().chain(access))?
            }
            _ => js_sys::Array::new().into(),
        };
        object(&[("logoutUrl", logout.map(|r| JsValue::from_str(&r.url)).unwrap_or(JsValue::NULL)), ("revocations", revocations)])
    }

    /// Drops cached access tokens whose scopes equal `scopes` (all when empty or omitted); the
    /// account and refresh token stay. `{ stored, count, revocations }`.
    #[wasm_bindgen(js_name = forgetTokens)]
    pub fn forget_tokens(&self, stored_text: &str, scopes: JsValue) -> JsResult<JsValue> {
        let scopes = if scopes.is_undefined() || scopes.is_null() { Vec::new() } else { super::convert::scope_strings(&scopes, "scopes")? };
        let mut account = self.owned(stored_text).map_err(js_error)?;
        let (gone, kept): (Vec<_>, Vec<_>) = account.tokens.drain(..).partition(|t| scopes.is_empty() || t.scopes == scopes);
        account.tokens = kept;
        let revocations = self.revocations(&mut gone.iter().map(|t| (t.access_token.secret(), "access_token")))?;
        let text = self.stored_text(&mut account);
        object(&[("stored", text.into()), ("count", JsValue::from_f64(gone.len() as f64)), ("revocations", revocations)])
    }
}

/// `true` when `url` is on the allow-listed `origin` (RFC 9700 §4.9). One origin per call: a
/// string crosses to wasm for less than a list does.
#[wasm_bindgen(js_name = isAllowedOrigin)]
pub fn is_allowed_origin(url: &str, origin: &str) -> bool {
    origin_allowed(url, &[origin])
}
