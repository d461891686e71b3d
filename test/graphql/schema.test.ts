import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.ts';
import { printSchemaFile } from '../../src/graphql/print.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

describe('generated GraphQL artefacts', () => {
  it('schema.graphql matches the Pothos code (run `npm run schema:print`)', () => {
    expect(readFileSync(`${ROOT}schema.graphql`, 'utf8')).toBe(printSchemaFile());
  });

  it('src/generated/graphql.ts matches schema.graphql and the operations (run `npm run codegen`)', async () => {
    const outputs = (await generate({ ...config, cwd: ROOT, silent: true }, false)) as Array<{ filename: string; content: string }>;
    const [output] = outputs;
    expect(output?.filename).toMatch(/src\/generated\/graphql\.ts$/);
    expect(readFileSync(`${ROOT}src/generated/graphql.ts`, 'utf8')).toBe(output?.content);
  }, 60_000);
});
