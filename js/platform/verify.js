// ID token signatures checked with the browser's WebCrypto (RFC 7515 §5.2, OpenID Connect Core
// §3.1.3.7 step 6). The wasm core decides everything: which algorithms are allowed, which key of
// the provider's JWK Set fits, when the set is (re)fetched; this file only fetches the set it
// names and runs `importKey` + `verify`. No crypto code ships in the wasm. Part of the session's
// chunk (with js/redirect.js): `own` and `send` come through js/session-lib.js.
import { own, send } from '../session-lib.js';

// WebCrypto parameters per JWS algorithm (RFC 7518 §3.3, §3.4, §3.5): import, then verify.
const PARAMS = {
  RS256: [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5' }],
  PS256: [{ name: 'RSA-PSS', hash: 'SHA-256' }, { name: 'RSA-PSS', saltLength: 32 }],
  ES256: [{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }],
};

/**
 * Checks the signature of `jwt` with the key `holder.keyFor(jwt)` chooses, fetching the JWK Set
 * when it asks (`jwksFetched` hands the answer back to the core). Resolves to the verdict the
 * core commits on: 1 verifies, 0 does not, 2 the key cannot be imported, 3 no check possible.
 */
export async function verifyIdToken(holder, jwksFetched, jwt) {
  // At most: fetch, refetch once for an unknown kid (the core rate-limits it), then the key.
  for (let round = 0; round < 3; round += 1) {
    const plan = holder.keyFor(jwt);
    const uri = own(plan, 'fetch');
    if (uri !== undefined) {
      const [status, body] = await send(uri);
      jwksFetched(uri, status, body);
      continue;
    }
    const params = PARAMS[own(plan, 'alg')];
    const subtle = globalThis.crypto?.subtle;
    if (!params || !subtle) return 3;
    let key;
    try {
      key = await subtle.importKey('jwk', own(plan, 'jwk'), params[0], false, ['verify']);
    } catch {
      return 2;
    }
    try {
      return (await subtle.verify(params[1], key, own(plan, 'signature'), own(plan, 'input'))) ? 1 : 0;
    } catch {
      return 3;
    }
  }
  return 0;
}

/** The signature check of the module `exports` (its JWK Set cache): what a sign-in and a refresh
 * hand their verdict to the core with. */
export const signatureCheck = (exports) => (holder, jwt) => verifyIdToken(holder, exports.jwksFetched, jwt);
