// The error-code reference (docs/errors.md) is generated from src/core/error.rs, js/ and
// docs/errors.src.json by scripts/errors-doc.mjs: the committed file must be what it produces
// now, and index.d.ts's ErrorCode union must list exactly the codes the package throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { allCodes, generate, OUTPUT, readTexts } from '../../scripts/errors-doc.mjs';

test('docs/errors.md is exactly what scripts/errors-doc.mjs generates from the code today', async () => {
  const committed = await readFile(OUTPUT, 'utf8');
  assert.ok(committed === (await generate()), 'docs/errors.md is out of date: run node scripts/errors-doc.mjs');
});

test("index.d.ts's ErrorCode union lists exactly the codes of error.rs and js/", async () => {
  const dts = await readFile(new URL('../../js/index.d.ts', import.meta.url), 'utf8');
  const union = dts.match(/export type ErrorCode =([^;]*);/);
  assert.ok(union, 'index.d.ts declares ErrorCode');
  const declared = [...union[1].matchAll(/'(OAUTH_[A-Z0-9_]+)'/g)].map((m) => m[1]).sort();
  const thrown = (await allCodes()).map((c) => c.code).sort();
  assert.ok(thrown.length >= 46, `${thrown.length} codes found`);
  assert.deepEqual(declared, thrown);
});

test('the generator refuses a code without text, a text for no code, and a text naming no code', async () => {
  const texts = await readTexts();
  const { OAUTH_STATE_MISMATCH: _, ...missing } = texts;
  await assert.rejects(generate(missing), /OAUTH_STATE_MISMATCH: no "when" and "fix" text/);
  await assert.rejects(generate({ ...texts, OAUTH_NO_SUCH: { when: 'x', fix: 'y' } }), /OAUTH_NO_SUCH is not a code/);
  const dangling = { ...texts, OAUTH_STATE_MISMATCH: { when: 'x', fix: 'see OAUTH_STATE_MISMATCHED' } };
  await assert.rejects(generate(dangling), /names OAUTH_STATE_MISMATCHED, which does not exist/);
});
