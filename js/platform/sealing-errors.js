// The typed errors the sealing chunk (sealing.js) throws: fail.js's, handed in by store.js when
// it loads the chunk (`useErrors`). Importing fail.js here instead would make a bundler move it,
// with errors.js and own.js, out of the app's entry into one more file that every page fetches
// (measured: +0.36 KB gzip on a signed-out page).
export let fail;

/** @internal Sets the errors: fail.js's `invalid`, `missing` and `unavailable`, and `noRandom`. */
export function useErrors(errors) {
  fail = errors;
}
