// node --test clients/inspector-web/test/ : the offline verdict, the code parser and the signature
// check against fixed vectors (test/vectors.json; the .NET LabelSignature is checked against the same
// file by tests/Verification.Tests/InspectorBundleTests.cs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { offlineVerdict, todayInVietnam } from '../src/verdict.js';
import { parseCode, expiryDate } from '../src/codes.js';
import { checkSignature } from '../src/signature.js';

const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url)));

for (const c of vectors.cases) {
  test(`offline verdict: ${c.name}`, async () => {
    const v = await offlineVerdict(c.code, vectors);
    assert.equal(v.verdict, c.verdict);
  });
  test(`signature check: ${c.name}`, async () => {
    const s = await checkSignature(c.code, vectors.keys);
    assert.equal(!s.present ? 'none' : s.valid ? 'valid' : 'invalid', c.signature);
  });
}

test('offline never says registered, and says authentic only with a valid signature on a serial', async () => {
  for (const c of vectors.cases) {
    const v = await offlineVerdict(c.code, vectors);
    assert.notEqual(v.verdict, 'registered');
    if (v.verdict === 'authentic') assert.equal((await checkSignature(c.code, vectors.keys)).valid, true);
  }
});

test('a valid signature without the published key set is invalid', async () => {
  const signed = vectors.cases[0].code;
  assert.equal((await offlineVerdict(signed, { keys: { keys: [] }, today: vectors.today })).verdict, 'invalid_signature');
});

test('non-canonical base64url is refused', async () => {
  const signed = vectors.cases[0].code;
  assert.equal((await checkSignature(signed + '=', vectors.keys)).valid, false);
});

test('parser: Digital Link, element string, bare GTIN', () => {
  assert.deepEqual(parseCode('https://x.vn/01/8936001000010/10/A%2FB/21/S1?17=261231'),
    { gtin: '08936001000010', lot: 'A/B', serial: 'S1', expiry: '261231' });
  assert.deepEqual(parseCode('(01)08936001000010(17)261231(10)L1(21)S2'),
    { gtin: '08936001000010', lot: 'L1', serial: 'S2', expiry: '261231' });
  assert.deepEqual(parseCode('12345670'), { gtin: '00000012345670', lot: null, serial: null, expiry: null });
  assert.equal(parseCode('123'), null);
});

test('GS1 dates: DD 00 is the last day of the month', () => {
  assert.equal(expiryDate('260200'), '2026-02-28');
  assert.equal(expiryDate('261231'), '2026-12-31');
  assert.equal(expiryDate('26123'), null);
  assert.equal(expiryDate('261301'), null);
  assert.equal(expiryDate('260230'), null);
});

test('GS1 dates: the century of GS1 General Specifications 7.12 (49 years back to 50 ahead)', () => {
  assert.equal(expiryDate('261231', 2026), '2026-12-31');
  assert.equal(expiryDate('760101', 2026), '2076-01-01');
  assert.equal(expiryDate('770101', 2026), '1977-01-01');
  assert.equal(expiryDate('990101', 2026), '1999-01-01');
  assert.equal(expiryDate('500101', 2099), '2050-01-01');
  assert.equal(expiryDate('490101', 2099), '2149-01-01');
  assert.equal(expiryDate('000101', 2099), '2100-01-01');
});

test('today in Vietnam is UTC+7', () => {
  assert.equal(todayInVietnam(new Date('2026-11-20T17:30:00Z')), '2026-11-21');
  assert.equal(todayInVietnam(new Date('2026-11-20T16:59:00Z')), '2026-11-20');
});
