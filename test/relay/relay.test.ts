// relay-compiler validates a set of Relay documents (@refetchable, @connection, @deleteRecord) against schema.graphql.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const compiler = path.join(path.dirname(createRequire(import.meta.url).resolve('relay-compiler/package.json')), 'cli.js');

describe('relay-compiler', () => {
  it('compiles the Relay documents against schema.graphql', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kg-relay-'));
    cpSync(path.join(ROOT, 'schema.graphql'), path.join(dir, 'schema.graphql'));
    mkdirSync(path.join(dir, 'generated'));
    cpSync(path.join(ROOT, 'test/relay/documents'), path.join(dir, 'src'), { recursive: true });
    writeFileSync(
      path.join(dir, 'relay.config.json'),
      JSON.stringify({ src: './src', schema: './schema.graphql', language: 'typescript', artifactDirectory: './generated' }),
    );
    const output = execFileSync(process.execPath, [compiler, '--output', 'quiet'], { cwd: dir, encoding: 'utf8' });
    expect(output).not.toMatch(/error/i);
    const artifacts = readdirSync(path.join(dir, 'generated'));
    expect(artifacts).toEqual(
      expect.arrayContaining([
        'DatasetDocumentsPaginationQuery.graphql.ts',
        'DatasetDocumentsDeleteMutation.graphql.ts',
        'DatasetDocumentsProgressSubscription.graphql.ts',
        'DatasetDocuments_dataset.graphql.ts',
      ]),
    );
  });
});
