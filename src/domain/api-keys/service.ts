import { createHash, randomInt } from 'node:crypto';
import type { Prisma } from '../../db/database.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { Viewer } from '../viewer.ts';
import { isUuid } from '../sql.ts';
import { ensureWorkspace } from '../workspaces/service.ts';

const KEY_PREFIX = 'dataset-';
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const KEY_LENGTH = 24;
/** How much of a key listings show. */
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 4;
export const API_KEY_PATTERN = /^dataset-[A-Za-z0-9]{24}$/;

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A key in Dify's dataset-key format, from a cryptographic random source. */
export function generateApiKey(): string {
  let body = '';
  for (let i = 0; i < KEY_LENGTH; i++) body += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  return KEY_PREFIX + body;
}

export interface CreateApiKeyInput {
  workspace: string;
  /** Restrict the key to these datasets of the workspace; empty for the whole workspace. */
  datasetIds?: string[];
  /** Register this key instead of generating one (KNOWLEDGE_API_KEY). */
  key?: string;
}

/** Creates a key and returns it in clear: the only time it is ever shown. */
export async function createApiKey(prisma: Prisma, input: CreateApiKeyInput) {
  const key = input.key ?? generateApiKey();
  if (!API_KEY_PATTERN.test(key))
    throw new ValidationError("An API key is 'dataset-' followed by 24 letters or digits.");
  const workspace = await ensureWorkspace(prisma, input.workspace);
  const datasetIds = [...new Set(input.datasetIds ?? [])];
  if (datasetIds.length > 0) {
    const found = await prisma.dataset.findMany({
      where: { workspaceId: workspace.id, id: { in: datasetIds.filter(isUuid) } },
      select: { id: true },
    });
    const missing = datasetIds.filter((id) => !found.some((d) => d.id === id));
    if (missing.length > 0) {
      throw new NotFoundError('Dataset', `Dataset not found in workspace ${workspace.name}: ${missing.join(', ')}`);
    }
  }
  const record = await prisma.apiKey.create({
    data: {
      workspaceId: workspace.id,
      tokenHash: hashApiKey(key),
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      datasets: { create: datasetIds.map((datasetId) => ({ datasetId })) },
    },
  });
  return { key, record, workspace };
}

/** Registers `key` for `workspace` unless it is already known (the KNOWLEDGE_API_KEY seed at start). */
export async function seedApiKey(prisma: Prisma, key: string, workspace: string) {
  const existing = await prisma.apiKey.findUnique({ where: { tokenHash: hashApiKey(key) } });
  if (existing) return existing;
  return (await createApiKey(prisma, { workspace, key })).record;
}

export async function listApiKeys(prisma: Prisma, workspace?: string) {
  return prisma.apiKey.findMany({
    where: workspace ? { workspace: { name: workspace } } : {},
    include: { workspace: { select: { name: true } }, datasets: { select: { datasetId: true } } },
    orderBy: { createdAt: 'asc' },
  });
}

/** Revokes a key given its id, its shown prefix or the whole key. */
export async function revokeApiKey(prisma: Prisma, idOrKey: string) {
  const where = isUuid(idOrKey)
    ? { id: idOrKey }
    : API_KEY_PATTERN.test(idOrKey)
      ? { tokenHash: hashApiKey(idOrKey) }
      : { prefix: idOrKey };
  const matches = await prisma.apiKey.findMany({ where: { ...where, revokedAt: null } });
  const [match] = matches;
  if (!match) throw new NotFoundError('API key', `No active API key matches ${idOrKey}.`);
  if (matches.length > 1) throw new ValidationError(`${idOrKey} matches ${matches.length} keys; give the key's id.`);
  return prisma.apiKey.update({ where: { id: match.id }, data: { revokedAt: new Date() } });
}

/** The viewer a presented key stands for, or null when the key is unknown or revoked. */
export async function authenticate(prisma: Prisma, key: string): Promise<Viewer | null> {
  if (!API_KEY_PATTERN.test(key)) return null;
  // One round trip per request (Prisma would split the include into four): the key, the workspace owner it acts as
  // and its dataset scope.
  const [record] = await prisma.$queryRaw<
    { id: string; workspace_id: string; revoked: boolean; owner_id: string | null; dataset_ids: string[] }[]
  >`SELECT k.id, k.workspace_id, k.revoked_at IS NOT NULL AS revoked,
           (SELECT a.id FROM accounts a WHERE a.workspace_id = k.workspace_id AND a.role = 'owner'
             ORDER BY a.created_at LIMIT 1) AS owner_id,
           ARRAY(SELECT d.dataset_id::text FROM api_key_datasets d WHERE d.api_key_id = k.id) AS dataset_ids
      FROM api_keys k WHERE k.token_hash = ${hashApiKey(key)}`;
  if (!record || record.revoked || !record.owner_id) return null;
  return {
    workspaceId: record.workspace_id,
    accountId: record.owner_id,
    apiKeyId: record.id,
    datasetScope: record.dataset_ids.length > 0 ? record.dataset_ids : null,
  };
}

