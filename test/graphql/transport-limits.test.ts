// Limits on the GraphQL transports: request ids, nodes(ids:), revoked keys on open WebSockets, WebSocket frame size.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { revokeApiKey } from '../../src/domain/api-keys/service.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('GraphQL transport limits', () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_WORKER: 'off' });
    key = await server.createKey('acme');
  });
  afterAll(() => server.close());

  it('answers every /graphql request with an X-Request-Id', async () => {
    const post = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ tags { id } }' }),
    });
    const get = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ tags { id } }')}`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    const refused = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' });
    for (const response of [post, get, refused]) expect(response.headers.get('x-request-id')).toMatch(/\S{8,}/);
    expect(post.headers.get('x-request-id')).not.toBe(get.headers.get('x-request-id'));
  });

  it('caps nodes(ids:) at 100 ids with a code, and counts ids in the cost', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`Tag:00000000-0000-0000-0000-${String(i).padStart(12, '0')}`).toString('base64'));
    const ok = await server.gql(key, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(100) });
    expect(ok.body.data).toEqual({ nodes: Array(100).fill(null) });
    const over = await server.gql(key, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(101) });
    expect(over.body.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_IDS', limit: 100 });
    const costly = await server.gql(key, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(6000) });
    expect(costly.status).toBe(400);
    expect(costly.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('stops a key revoked while its WebSocket is open', async () => {
    const revocable = await server.createKey('acme');
    let closedWith: number | undefined;
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${revocable}` },
      retryAttempts: 0,
      on: { closed: (event) => (closedWith = (event as { code: number }).code) },
    });
    const run = () =>
      new Promise<{ data?: unknown; errors?: readonly { extensions?: Record<string, unknown> }[] }>((resolve) => {
        client.subscribe(
          { query: '{ tags { id } }' },
          { next: resolve, error: (e) => resolve({ errors: Array.isArray(e) ? e : [{ extensions: { code: 'CLOSED' } }] }), complete: () => {} },
        );
      });
    expect((await run()).data).toEqual({ tags: [] });
    await revokeApiKey(server.prisma, revocable);
    const after = await run();
    expect(after.data).toBeUndefined();
    await new Promise((r) => setTimeout(r, 100));
    expect(closedWith).toBe(4403);
    await client.dispose();
  });

  it('refuses WebSocket frames over 1 MiB before authentication', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('x'.repeat(1024 * 1024 + 1));
    expect(await closed).toBe(1009);
  });
});
