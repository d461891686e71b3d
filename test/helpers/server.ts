import { expect } from 'vitest';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { listen, type RunningServer } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createApiKey } from '../../src/domain/api-keys/service.ts';
import { createLogger } from '../../src/logger.ts';
import { createServices, type Services } from '../../src/services.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestServer {
  url: string;
  database: TestDatabase;
  prisma: TestDatabase['db']['prisma'];
  services: Services;
  /** A new key for `workspace` (created on first use), optionally restricted to datasets. */
  createKey(workspace: string, datasetIds?: string[]): Promise<string>;
  rest(method: string, path: string, options?: RestOptions): Promise<RestResponse>;
  gql<TData = Record<string, unknown>, TVariables = Record<string, unknown>>(
    key: string | null,
    query: string | TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
  ): Promise<{ status: number; body: { data?: TData; errors?: GraphQLErrorBody[] } }>;
  close(): Promise<void>;
}

export interface GraphQLErrorBody {
  message: string;
  extensions?: Record<string, unknown>;
}

export interface RestOptions {
  key?: string | null;
  /** A JSON body (sent as application/json) or a raw string with `contentType`. */
  json?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RestResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read Dify's JSON field by field
  body: any;
  text: string;
}

/** Runs a GraphQL operation that must succeed: fails the test with the errors if any, answers `data`. */
export async function gqlData(
  server: TestServer,
  key: string,
  query: string,
  variables: Record<string, unknown> = {},
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields it selected
): Promise<any> {
  const res = await server.gql(key, query, variables);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data;
}

/** Starts the whole HTTP app on a free port over a fresh database. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  // TEST_LOG_LEVEL=error (say) shows the server's log, to see why a request failed.
  const level = process.env.TEST_LOG_LEVEL ?? 'silent';
  const config = loadConfig({ LOG_LEVEL: level, ...database.env, ...env });
  const logger = createLogger(level);
  const services = await createServices(config, database.db, logger);
  if (config.indexing.worker === 'in-process') await services.worker.start();
  const running: RunningServer = await listen({ config, db: database.db, logger, services }, 0, '127.0.0.1');

  const rest: TestServer['rest'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.Authorization = `Bearer ${options.key}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['Content-Type'] = 'application/json';
    } else if (options.raw !== undefined) {
      body = options.raw;
    }
    if (options.contentType) headers['Content-Type'] = options.contentType;
    const response = await fetch(running.url + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };

  return {
    url: running.url,
    database,
    prisma: database.db.prisma,
    services,
    createKey: async (workspace, datasetIds) => (await createApiKey(database.db.prisma, { workspace, datasetIds })).key,
    rest,
    gql: async (key, query, variables) => {
      const response = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/graphql-response+json, application/json',
          ...(key ? { Authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    close: async () => {
      await running.close();
      await services.close();
      await database.drop();
    },
  };
}
