// The committed fixtures are exactly what make-fixtures.ts writes, so they can be reproduced and reviewed as code.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const FIXTURES = fileURLToPath(new URL('../../fixtures/files/', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

describe('test/fixtures/files', () => {
  const out = mkdtempSync(join(tmpdir(), 'fixtures-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('are what make-fixtures.ts generates', () => {
    execFileSync(TSX, [join(FIXTURES, 'make-fixtures.ts'), out], { stdio: 'pipe' });
    const generated = readdirSync(out).sort();
    const committed = readdirSync(FIXTURES).filter((name) => name !== 'make-fixtures.ts' && !name.startsWith('.')).sort();
    expect(committed).toEqual(generated);
    for (const name of generated) {
      expect(readFileSync(join(FIXTURES, name)).equals(readFileSync(join(out, name))), name).toBe(true);
    }
  });
});
