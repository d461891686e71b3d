import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defaultExtractPersistedOperationId, usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface PersistedQueriesOptions {
  /** Production: only operations of the manifest run; hashes are never learned. */
  persistedOnly: boolean;
  /** A manifest of allowed operations: Relay's `{ "<id>": "<text>" }` or Apollo's persisted-query manifest. */
  manifestFile?: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Apollo's automatic persisted queries: hashes learned from clients, bounded so that they cannot fill memory. */
const LEARNED_LIMIT = 1000;

/** The operations of a manifest by id (Relay's `persistedOutput` map or Apollo's `generate-persisted-query-manifest`). */
export function readManifest(file: string): Map<string, string> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const apollo = parsed as { format?: string; operations?: { id: string; body: string }[] };
  if (apollo.format === 'apollo-persisted-query-manifest' && Array.isArray(apollo.operations)) {
    return new Map(apollo.operations.map((op) => [op.id, op.body]));
  }
  if (parsed && typeof parsed === 'object' && Object.values(parsed).every((text) => typeof text === 'string')) {
    return new Map(Object.entries(parsed as Record<string, string>));
  }
  throw new Error(`${file} is neither a Relay persisted-query map nor an Apollo persisted-query manifest.`);
}

const persistedOnlyError = () =>
  new GraphQLError('Only persisted operations are accepted by this server.', {
    extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } },
  });

/**
 * Persisted operations through yoga's plugin. By default Apollo's APQ: an unknown hash answers
 * `PersistedQueryNotFound` (Apollo's link then resends the text with its hash, which is checked and learned). With
 * `persistedOnly` (GRAPHQL_PERSISTED_ONLY) only the manifest's operations run, over HTTP and WebSocket alike.
 */
export function usePersistedQueries({ persistedOnly, manifestFile }: PersistedQueriesOptions): Plugin[] {
  const manifest = manifestFile ? readManifest(manifestFile) : new Map<string, string>();
  const allowedTexts = new Set([...manifest.values()].map(sha256));
  const learned = new Map<string, string>();

  const learn: Plugin = {
    onParams({ params, request }) {
      const hash = defaultExtractPersistedOperationId(params, request, {});
      if (!hash || !params.query) return;
      if (sha256(params.query) !== hash) {
        throw new GraphQLError('provided sha does not match query', {
          extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH', http: { status: 400 } },
        });
      }
      learned.delete(hash);
      learned.set(hash, params.query);
      if (learned.size > LEARNED_LIMIT) learned.delete(learned.keys().next().value as string);
    },
  };

  // The WebSocket transport parses through envelop without yoga's params: the allow-list is checked on the text.
  const allowListedTextsOnly: Plugin = {
    onParse({ params }) {
      const text = typeof params.source === 'string' ? params.source : params.source.body;
      if (!allowedTexts.has(sha256(text))) throw persistedOnlyError();
    },
  };

  const persisted = usePersistedOperations({
    allowArbitraryOperations: !persistedOnly,
    getPersistedOperation: (id) => manifest.get(id) ?? (persistedOnly ? null : learned.get(id)) ?? null,
    customErrors: {
      notFound: { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
      persistedQueryOnly: persistedOnlyError,
      keyNotFound: {
        message: 'Must provide a query string or a persisted query hash.',
        extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED', http: { status: 400 } },
      },
    },
  }) as Plugin;

  return persistedOnly ? [persisted, allowListedTextsOnly] : [learn, persisted];
}
