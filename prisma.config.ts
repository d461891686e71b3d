import { defineConfig } from 'prisma/config';

// Prisma 7 reads no .env; the CLI is only used for `generate` here (see scripts/prisma-generate.mjs).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/knowledge_gateway' },
});
