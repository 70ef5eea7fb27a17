//! Each provider's JWK Set, fetched from its `jwks_uri` and kept in memory for this page
//! (OpenID Connect Core §10.1.1). A set is fetched when first needed or when older than
//! [`jwks::MAX_AGE_SECS`]. An unknown `kid` (a rotated key) earns one refetch per provider per
//! [`jwks::REFETCH_COOLDOWN_SECS`], so tokens with made-up `kid`s cannot make us hammer the
//! provider (checklist item 32). Concurrent first uses may each fetch; a refetch is counted
//! before its request leaves, so refetches never pile up.

use core::cell::RefCell;

use super::{clock, http};
use crate::core::error::{Error, Result};
use crate::core::jwks::{self, Alg, CachedJwks, Jwk};

/// Providers remembered at once; beyond this the cache starts over.
const MAX_PROVIDERS: usize = 8;

thread_local! {
    static CACHE: RefCell<Vec<(String, CachedJwks)>> = const { RefCell::new(Vec::new()) };
}

const NO_KEY: Error = Error::InvalidIdToken { reason: "no key in the jwks matches the token" };

async fn fetch(jwks_uri: &str) -> Result<Vec<Jwk>> {
    let (status, body) = http::get_json(jwks_uri).await?;
    if status != 200 {
        return Err(Error::HttpStatus { status });
    }
    jwks::parse_jwks(&body)
}

/// Runs `f` on the cached entry for `jwks_uri`; `false` when there is none. The cell is never
/// borrowed across an `await`, so `try_borrow_mut` only fails if that rule is broken; then the
/// cache is bypassed. (`dyn`: one copy of this function in the wasm, not one per caller.)
fn with_entry(jwks_uri: &str, f: &mut dyn FnMut(&mut CachedJwks)) -> bool {
    CACHE.with(|c| {
        let Ok(mut cache) = c.try_borrow_mut() else { return false };
        cache.iter_mut().find(|(uri, _)| uri == jwks_uri).map(|(_, entry)| f(entry)).is_some()
    })
}

/// Replaces the set for `jwks_uri`, keeping the time of its last refetch (the cooldown
/// outlives the set).
fn store(jwks_uri: &str, keys: Vec<Jwk>, now: u64) {
    CACHE.with(|c| {
        let Ok(mut cache) = c.try_borrow_mut() else { return };
        if let Some((_, entry)) = cache.iter_mut().find(|(uri, _)| uri == jwks_uri) {
            entry.keys = keys;
            entry.fetched_at = now;
            return;
        }
        if cache.len() >= MAX_PROVIDERS {
            cache.clear();
        }
        cache.push((jwks_uri.to_owned(), CachedJwks { keys, fetched_at: now, refetched_at: None }));
    });
}

/// The key of the set at `jwks_uri` that verifies a token signed with `alg` and `kid`.
pub async fn key_for(jwks_uri: &str, alg: Alg, kid: Option<&str>) -> Result<Jwk> {
    let now = clock::now();
    let mut due = true;
    with_entry(jwks_uri, &mut |e| due = e.is_stale(now));
    // At most two rounds: the set as cached (fetched if missing or stale), then one refetch.
    for _ in 0..2 {
        if due {
            store(jwks_uri, fetch(jwks_uri).await?, now);
        }
        let mut found = Err(NO_KEY);
        with_entry(jwks_uri, &mut |e| found = jwks::select(&e.keys, alg, kid).map(|k| k.cloned()));
        if let Some(key) = found? {
            return Ok(key);
        }
        // An unknown kid: refetch unless one happened within the cooldown. It is counted
        // before the request leaves, so concurrent calls do not refetch twice.
        due = false;
        with_entry(jwks_uri, &mut |e| due = e.claim_refetch(now));
        if !due {
            break;
        }
    }
    Err(NO_KEY)
}
