// Writes schema.graphql from the Pothos code (`npm run schema:print`); a test fails when the checked-in copy is stale.
import { writeFileSync } from 'node:fs';
import { printSchemaFile } from '../src/graphql/print.ts';

writeFileSync('schema.graphql', printSchemaFile());
console.error('wrote schema.graphql');
