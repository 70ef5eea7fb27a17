import { readFile } from 'node:fs/promises';
import * as oauth from '../../js/index.js';

export async function loaded() {
  await oauth.init(await readFile(new URL('../../dist/wasm/browser_oauth_bg.wasm', import.meta.url)));
  await oauth.initConsent(await readFile(new URL('../../dist/wasm-consent/browser_oauth_bg.wasm', import.meta.url)));
  return oauth;
}

export const CLIENT = { clientId: 'app', redirectUri: 'https://app.example/cb', scopes: ['openid', 'profile'] };

export async function explicitProvider(m) {
  return m.resolveProvider({ issuer: 'https://op.example', authorizationEndpoint: 'https://op.example/auth', tokenEndpoint: 'https://op.example/token' });
}
