// Damaged copies of every fixture (cut short, bytes overwritten) must end in text or an ExtractionError, never in
// another kind of error or a hang. The damage is seeded, so a failure can be replayed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExtractionError, extractText } from '../../../src/indexing/parse/index.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/files/${name}`, import.meta.url)));

/** mulberry32: a small seeded generator. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function* damagedCopies(bytes: Uint8Array, seed: number, count: number): Generator<[string, Uint8Array]> {
  const next = random(seed);
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      const length = Math.floor(next() * bytes.length);
      yield [`cut at ${length}`, bytes.slice(0, length)];
    } else {
      const copy = bytes.slice();
      const at = Math.floor(next() * copy.length);
      const span = 1 + Math.floor(next() * 32);
      for (let j = at; j < Math.min(copy.length, at + span); j++) copy[j] = Math.floor(next() * 256);
      yield [`${span} bytes overwritten at ${at}`, copy];
    }
  }
}

const FIXTURES = ['sample.pdf', 'cjk.pdf', 'sample.docx', 'sample.xlsx', 'sample.xls', 'sample.csv', 'sample.html', 'utf16.txt'];

describe('damaged copies of each fixture', () => {
  it.each(FIXTURES)('%s: text or an ExtractionError, in bounded time', { timeout: 60_000 }, async (name) => {
    const original = fixture(name);
    for (const [damage, bytes] of damagedCopies(original, name.length * 7919, 40)) {
      const started = Date.now();
      const outcome = await extractText({ bytes, filename: name }).then(
        (extracted) => extracted,
        (error: unknown) => error,
      );
      if (!(outcome instanceof ExtractionError)) {
        expect(outcome, `${name}, ${damage}`).toMatchObject({ format: expect.any(String), parts: expect.any(Array) });
      }
      expect(Date.now() - started, `${name}, ${damage}`).toBeLessThan(10_000);
    }
  });
});
