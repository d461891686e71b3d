// Persisted operations: Apollo's automatic persisted queries (APQ) and the production allow-list mode.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const TAGS = gql`
  query PersistedTags {
    tags {
      id
      name
    }
  }
`;

/** Apollo Client over fetch, with the persisted-query link, recording every request body it sends. */
function apolloClient(server: TestServer, key: string) {
  const sent: Array<{ query?: string; extensions?: { persistedQuery?: { sha256Hash: string } } }> = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    sent.push(JSON.parse(String(init?.body)));
    return fetch(input, init);
  };
  const client = new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.from([
      new PersistedQueryLink({ sha256: async (text: string) => sha256(text) }),
      new HttpLink({ uri: `${server.url}/graphql`, headers: { Authorization: `Bearer ${key}` }, fetch: recordingFetch }),
    ]),
  });
  return { client, sent };
}

describe('automatic persisted queries', () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_WORKER: 'off' });
    key = await server.createKey('acme');
  });
  afterAll(() => server.close());

  it('answers PersistedQueryNotFound to an unknown hash, learns the text from the retry, then runs the hash alone', async () => {
    const first = apolloClient(server, key);
    const result = await first.client.query({ query: TAGS, fetchPolicy: 'network-only' });
    expect(result.data).toEqual({ tags: [] });
    expect(first.sent).toHaveLength(2);
    expect(first.sent[0]?.query).toBeUndefined();
    expect(first.sent[1]?.query).toContain('PersistedTags');

    const second = apolloClient(server, key);
    await second.client.query({ query: TAGS, fetchPolicy: 'network-only' });
    expect(second.sent).toHaveLength(1);
    expect(second.sent[0]?.query).toBeUndefined();
  });

  it('refuses a text whose hash does not match, and answers the not-found code', async () => {
    const hash = sha256('{ tags { id } }');
    const unknown = await server.gql(key, '', undefined);
    expect(unknown.status).toBe(400);
    const notFound = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    const body = (await notFound.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    const mismatch = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ tags { name } }', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as typeof body).errors[0]?.extensions.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
  });
});

describe('GRAPHQL_PERSISTED_ONLY', () => {
  let server: TestServer;
  let key: string;
  // What Apollo sends (its cache adds __typename), as `generate-persisted-query-manifest` would record it.
  const allowed = print(new InMemoryCache().transformDocument(TAGS));

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kg-manifest-'));
    const manifest = path.join(dir, 'persisted-query-manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256(allowed), name: 'PersistedTags', type: 'query', body: allowed }],
      }),
    );
    server = await startTestServer({ INDEXING_WORKER: 'off', GRAPHQL_PERSISTED_ONLY: 'true', GRAPHQL_PERSISTED_OPERATIONS: manifest });
    key = await server.createKey('acme');
  });
  afterAll(() => server.close());

  it('runs manifest operations by hash and refuses any other text, over HTTP and WebSocket', async () => {
    const apollo = apolloClient(server, key);
    const result = await apollo.client.query({ query: TAGS });
    expect(result.data).toEqual({ tags: [] });
    expect(apollo.sent).toHaveLength(1);

    const arbitrary = await server.gql(key, '{ tags { id } }');
    expect(arbitrary.status).toBe(400);
    expect(arbitrary.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');

    const unknownHash = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ tags { id } }') } } }),
    });
    expect(((await unknownHash.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );

    const ws = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${key}` },
      retryAttempts: 0,
    });
    const run = (query: string) =>
      new Promise<{ errors?: readonly { extensions?: Record<string, unknown> }[]; data?: unknown }>((resolve, reject) => {
        ws.subscribe({ query }, { next: resolve, error: (e) => (Array.isArray(e) ? resolve({ errors: e }) : reject(e)), complete: () => {} });
      });
    expect((await run(allowed)).data).toEqual({ tags: [] });
    expect((await run('{ tags { id } }')).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    await ws.dispose();
  });
});
