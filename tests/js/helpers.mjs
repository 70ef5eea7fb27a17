import { readFile } from 'node:fs/promises';
import * as oauth from '../../js/index.js';

export async function loaded() {
  const bytes = (path) => readFile(new URL(`../../dist/${path}`, import.meta.url));
  await oauth.init({
    start: await bytes('wasm-start/browser_oauth_start_bg.wasm'),
    startEntra: await bytes('wasm-start-entra/browser_oauth_start_entra_bg.wasm'),
    account: await bytes('wasm-account/browser_oauth_account_bg.wasm'),
    accountEntra: await bytes('wasm-account-entra/browser_oauth_account_entra_bg.wasm'),
    session: await bytes('wasm-session/browser_oauth_session_bg.wasm'),
    sessionEntra: await bytes('wasm-session-entra/browser_oauth_session_entra_bg.wasm'),
  });
  await oauth.initConsent(await bytes('wasm-consent/browser_oauth_consent_bg.wasm'));
  return oauth;
}

export const CLIENT = { clientId: 'app', redirectUri: 'https://app.example/cb', scopes: ['openid', 'profile'] };

export async function explicitProvider(m) {
  return m.resolveProvider({ issuer: 'https://op.example', authorizationEndpoint: 'https://op.example/auth', tokenEndpoint: 'https://op.example/token' });
}
