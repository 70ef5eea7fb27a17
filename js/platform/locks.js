// One refresh at a time across every tab of the origin: the Web Locks API
// (`navigator.locks.request`). Without it, calls in this page are still serialised by an in-page
// queue; other tabs are then not coordinated.
import { missing } from '../session-lib.js';

/** The last waiter of the in-page queue, per lock name (fallback only). */
const queue = new Map();

const manager = () => {
  try {
    return navigator.locks;
  } catch { /* no navigator */ }
};

/**
 * Runs `await work()` holding the exclusive lock `name`; returns its result or throws its error.
 * A lock that cannot be taken is OAUTH_PLATFORM_UNAVAILABLE (`navigator.locks`).
 * @template T
 * @param {string} name
 * @param {() => Promise<T> | T} work
 * @returns {Promise<T>}
 */
export async function locked(name, work) {
  // 1: `out` is the result, 2: the error, unset: `work` never ran.
  let done;
  let out;
  const run = async () => {
    try {
      out = await work();
      done = 1;
    } catch (e) {
      out = e;
      done = 2;
    }
  };
  const locks = manager();
  if (locks != null) {
    try {
      await locks.request(name, run);
    } catch {
      done = 0;
    }
  } else {
    // Wait for the previous holder of this name in this page, then run.
    const previous = queue.get(name);
    let release;
    const mine = new Promise((resolve) => { release = resolve; });
    queue.set(name, mine);
    await previous;
    await run();
    if (queue.get(name) === mine) queue.delete(name);
    release();
  }
  if (done === 2) throw out;
  if (!done) throw missing('navigator.locks');
  return out;
}

/** Whether the Web Locks API is there, that is whether tabs are coordinated. */
export const crossTab = () => manager() != null;
