// Reading what callers pass without trusting inherited properties. Another script in the page may
// have polluted `Object.prototype` (a merge bug is enough); a `resourceOrigins` or `redirectUri`
// found there must not become an option. So options are read from the caller's own properties
// only (data or accessor: a getter on the caller's own object is the caller's), arrays by index
// over their own elements, and methods and platform globals from the object or its class, never
// from `Object.prototype`.

const hasOwn = Object.hasOwn;
const protoOf = Object.getPrototypeOf;
const BASE = Object.prototype;

/** @internal `value[name]` when `value` is an object that has it as its own property, else `undefined`. */
export function own(value, name) {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && hasOwn(value, name) ? value[name] : undefined;
}

/** @internal Like `own`, with `fallback()` when the own property is absent or `undefined`. */
export function ownOr(value, name, fallback) {
  const v = own(value, name);
  return v === undefined ? fallback() : v;
}

/**
 * @internal A fresh copy of `value` when it is a real array whose every element is an own
 * string, read by index; `null` otherwise (holes would read `Array.prototype`).
 */
export function ownStrings(value) {
  if (!Array.isArray(value)) return null;
  const out = [];
  for (let i = 0; i < value.length; i += 1) {
    if (!hasOwn(value, i) || typeof value[i] !== 'string') return null;
    out[i] = value[i];
  }
  return out;
}

/**
 * @internal `target[name]` when the object itself or one of its class prototypes holds it (a
 * class instance's methods, a global's interface members), never when it would come from
 * `Object.prototype`; `undefined` otherwise.
 */
export function inherent(target, name) {
  let holder = target;
  // A prototype chain is short; the bound keeps a hostile cycle-free chain from running long.
  for (let depth = 0; depth < 64 && holder !== null && holder !== BASE && (typeof holder === 'object' || typeof holder === 'function'); depth += 1) {
    if (hasOwn(holder, name)) return target[name];
    holder = protoOf(holder);
  }
  return undefined;
}

/** @internal `inherent(target, name)` when it is a function, else `undefined`. */
export function method(target, name) {
  const f = inherent(target, name);
  return typeof f === 'function' ? f : undefined;
}

/**
 * @internal A plain copy of the caller's own enumerable properties, except `omit` (and a
 * `__proto__` key, which would set the copy's prototype). Read it with `own` too.
 */
export function ownRest(value, omit) {
  const out = {};
  if (value === null || typeof value !== 'object') return out;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i += 1) {
    if (keys[i] !== '__proto__' && !omit.includes(keys[i])) out[keys[i]] = value[keys[i]];
  }
  return out;
}
