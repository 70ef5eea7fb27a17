#!/usr/bin/env node
// The long soak (issue 13): `node benches/soak.mjs [--seconds 180] [--tabs 6] [--fault-rate 0.3]`.
// Six tabs of one profile call getToken for three minutes while access tokens live four seconds,
// with random 503 pages and dropped connections on the token endpoint (tests/e2e/soak-harness.mjs).
// A measurement, not a test: it prints the figures (refreshes, refresh tokens refused, sessions
// lost, getToken p50/p99) and writes benches/soak-results.json. `bash scripts/build` first.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { soak } from '../tests/e2e/soak-harness.mjs';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '180' }, tabs: { type: 'string', default: '6' }, 'fault-rate': { type: 'string', default: '0.3' } } });
const before = loadavg()[0];
const r = await soak({ seconds: Number(values.seconds), tabs: Number(values.tabs), faultRate: Number(values['fault-rate']) });
const out = { date: new Date().toISOString(), loadAverage: { before, after: loadavg()[0] }, ...r };
writeFileSync(new URL('./soak-results.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
const ms = (x) => (x === null ? '–' : x.toFixed(1));
console.log(`| tabs | seconds | getToken calls | served | refreshes granted | refresh tokens refused | sessions lost | faults (503 / dropped) | getToken p50 / p99 (ms) |
|---:|---:|---:|---:|---:|---:|---:|---|---|
| ${r.tabs} | ${r.seconds} | ${r.calls} | ${r.ok} | ${r.refreshesGranted} | ${r.refreshesRefused} | ${r.lostSessions} | ${r.faults.served503} / ${r.faults.dropped} | ${ms(r.getTokenMs.p50)} / ${ms(r.getTokenMs.p99)} |`);
if (r.refreshesRefused || r.lostSessions) process.exitCode = 1;
