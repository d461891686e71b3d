import { printSchema } from 'graphql';
import { schema } from './schema.ts';

export const printSchemaFile = () =>
  `# Generated from the Pothos code in src/graphql by \`npm run schema:print\`. Do not edit.\n\n${printSchema(schema)}\n`;
