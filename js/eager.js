// browser-oauth for service workers (an extension's background worker among them): the same API
// as the package entry, with every wasm glue imported statically, because a service worker
// cannot `import()`. Pages should import the package entry instead: it loads the account and
// consent modules only when used. The .wasm files are still fetched on first use.
import * as account from '../dist/wasm-account/browser_oauth_account.js';
import * as consent from '../dist/wasm-consent/browser_oauth_consent.js';
import { provide } from './loader.js';

provide('account', account);
provide('consent', consent);

export * from './index.js';
