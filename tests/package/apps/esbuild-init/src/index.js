// The escape hatch instead of a copy step: the .wasm files imported by the package's stable
// subpaths (esbuild's file loader emits them and gives their URLs) and handed to init(), before
// the shared app (app.js) creates its client. Nothing copies them to where the glue would look,
// so this app signs in only if init() used these URLs.
import start from 'browser-oauth/wasm/start.wasm';
import account from 'browser-oauth/wasm/account.wasm';
import session from 'browser-oauth/wasm/session.wasm';
import { init } from 'browser-oauth';

await init({ start, account, session });
await import('./app.js');
