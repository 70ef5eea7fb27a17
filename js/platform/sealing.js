// What only a persistent store loads, in a chunk of its own (issue "Weight": encryption at rest
// is what only some apps need): sealing entries with a non-extractable AES-GCM key kept in
// IndexedDB (encrypted.js) and, for localStorage, the fingerprints of the last writes that let a
// tab wait for its lagging copy (written.js). A page whose session is kept in memory, the
// default, never fetches it; a page that needs it fetches it alongside the session's code and
// the wasm module (see `sealingCode` in storage.js and `createClient` in js/client.js), not after.
export { useErrors } from './sealing-errors.js';
export { openEntry, rotate, seal } from './encrypted.js';
export { latest, record } from './written.js';
