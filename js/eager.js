// browser-oauth for service workers (an extension's background worker among them): the same API
// as the package entry, with every wasm glue and the session's JS imported statically, because a
// service worker cannot `import()`. Pages should import the package entry instead: it loads the
// account and consent modules only when used. The .wasm files are still fetched on first use.
// (The start glue is imported statically by js/loader.js itself.)
import * as startEntra from '../dist/wasm-start-entra/browser_oauth_start_entra.js';
import * as account from '../dist/wasm-account/browser_oauth_account.js';
import * as accountEntra from '../dist/wasm-account-entra/browser_oauth_account_entra.js';
import * as session from '../dist/wasm-session/browser_oauth_session.js';
import * as sessionEntra from '../dist/wasm-session-entra/browser_oauth_session_entra.js';
import * as consent from '../dist/wasm-consent/browser_oauth_consent.js';
import * as dpop from '../dist/wasm-dpop/browser_oauth_dpop.js';
import * as sessionJs from './session.js';
import * as azureDevOpsJs from './azure-devops.js';
import * as dpopJs from './dpop.js';
import * as sealingJs from './platform/sealing.js';
import { provide } from './loader.js';

provide('start-entra', startEntra);
provide('account', account);
provide('account-entra', accountEntra);
provide('session', session);
provide('session-entra', sessionEntra);
provide('consent', consent);
provide('session-js', sessionJs);
provide('azure-devops-js', azureDevOpsJs);
provide('dpop', dpop);
provide('dpop-js', dpopJs);
provide('sealing-js', sealingJs);

export * from './index.js';
