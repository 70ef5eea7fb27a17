//! The CSPRNG: `crypto.getRandomValues` through getrandom's `wasm_js` backend.

use crate::core::authorize::Entropy;
use crate::core::error::{Error, Result};

/// Fills `buf` from the CSPRNG.
pub fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|_| Error::RandomUnavailable)
}

/// Fresh entropy for one transaction.
pub fn entropy() -> Result<Entropy> {
    let mut e = Entropy { verifier: [0; 32], state: [0; 32], nonce: [0; 32] };
    fill(&mut e.verifier)?;
    fill(&mut e.state)?;
    fill(&mut e.nonce)?;
    Ok(e)
}
