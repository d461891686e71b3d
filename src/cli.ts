import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './domain/api-keys/service.ts';
import { DomainError } from './domain/errors.ts';
import { DEFAULT_WORKSPACE } from './domain/workspaces/service.ts';
import { openRuntime } from './runtime.ts';

// stdout carries only the command's result (a new key, a listing) so scripts can capture it; logs go to stderr.
const config = (() => {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
})();
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));

async function withRuntime<T>(work: (runtime: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>) {
  const runtime = await openRuntime(config, logger);
  try {
    return await work(runtime);
  } finally {
    await runtime.db.close();
  }
}

const nonEmpty = (value: string) => {
  if (!value.trim()) throw new InvalidArgumentError('must not be empty');
  return value.trim();
};
const collect = (value: string, previous: string[] = []) => [...previous, value];

const program = new Command('knowledge-gateway').description('knowledge-gateway administration');

const apiKey = program.command('api-key').description('manage API keys');

apiKey
  .command('create')
  .description('create a key and print it (shown only this once); the workspace is created on first use')
  .option('--workspace <name>', 'workspace the key belongs to', nonEmpty, DEFAULT_WORKSPACE)
  .option('--dataset <id>', 'restrict the key to this dataset (repeat for several)', collect)
  .action(async (options: { workspace: string; dataset?: string[] }) => {
    await withRuntime(async ({ db }) => {
      const { key, record, workspace } = await createApiKey(db.prisma, {
        workspace: options.workspace,
        datasetIds: options.dataset,
      });
      process.stdout.write(`${key}\n`);
      process.stderr.write(
        `created key ${record.id} for workspace "${workspace.name}"${options.dataset ? ` restricted to ${options.dataset.length} dataset(s)` : ''}; store it now, it is not shown again\n`,
      );
    });
  });

apiKey
  .command('list')
  .description('list keys (never the keys themselves: only their first characters)')
  .option('--workspace <name>', 'only this workspace', nonEmpty)
  .option('--json', 'print JSON')
  .action(async (options: { workspace?: string; json?: boolean }) => {
    await withRuntime(async ({ db }) => {
      const keys = await listApiKeys(db.prisma, options.workspace);
      const rows = keys.map((k) => ({
        id: k.id,
        prefix: `${k.prefix}…`,
        workspace: k.workspace.name,
        datasets: k.datasets.map((d) => d.datasetId),
        created_at: k.createdAt.toISOString(),
        revoked_at: k.revokedAt?.toISOString() ?? null,
      }));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const row of rows) {
        const scope = row.datasets.length ? `datasets: ${row.datasets.join(',')}` : 'all datasets';
        const state = row.revoked_at ? `revoked ${row.revoked_at}` : 'active';
        process.stdout.write(`${row.id}  ${row.prefix}  ${row.workspace}  ${scope}  ${state}\n`);
      }
    });
  });

apiKey
  .command('revoke')
  .description('revoke a key, given its id, its shown prefix or the key itself')
  .argument('<key>', 'id, prefix or key', nonEmpty)
  .action(async (key: string) => {
    await withRuntime(async ({ db }) => {
      const revoked = await revokeApiKey(db.prisma, key);
      process.stderr.write(`revoked key ${revoked.id}\n`);
    });
  });

program
  .command('db')
  .description('database administration')
  .command('migrate')
  .description('apply pending migrations (the server also does this at start)')
  .action(async () => {
    await withRuntime(async () => {
      process.stderr.write('database schema is up to date\n');
    });
  });

program.parseAsync().catch((error: unknown) => {
  const message = error instanceof DomainError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
});
