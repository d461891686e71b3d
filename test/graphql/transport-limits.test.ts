// Limits on the GraphQL transports: request ids, nodes(ids:), revoked keys on open WebSockets and open subscriptions,
// WebSocket frame size.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
    // Every instance hears of a revocation through a database notice: at once, and within 1 s at worst.
    const after = await vi.waitFor(async () => {
      const answer = await run();
      expect(answer.data).toBeUndefined();
      return answer;
    }, { timeout: 1_000, interval: 20 });
    expect(after.errors).toBeDefined();
    await new Promise((r) => setTimeout(r, 100));
    expect(closedWith).toBe(4403);
    await client.dispose();
  });

  describe('a subscription open when its key is revoked ends within 1 s with KEY_REVOKED', () => {
    const SUBSCRIBE = 'subscription ($d: ID!) { indexingProgress(datasetId: $d) { documentUuid } }';
    interface Message {
      data?: unknown;
      errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
    }

    /** A key with a dataset holding a queued document (no worker runs here), so the stream opens with one event. */
    const keyWithQueuedDocument = async () => {
      const revocable = await server.createKey('acme');
      const datasetId = (await server.rest('POST', '/v1/datasets', { key: revocable, json: { name: `revoked ${Math.random()}`, indexing_technique: 'economy' } })).body.id;
      await server.rest('POST', `/v1/datasets/${datasetId}/document/create-by-text`, { key: revocable, json: { name: 'a.txt', text: 'queued' } });
      return { revocable, datasetId };
    };

    interface Stream {
      /** Resolves with the first message: the subscription is open. */
      opened: Promise<void>;
      /** Resolves with every message once the stream completes. */
      ended: Promise<Message[]>;
      close(): Promise<void>;
    }

    const overWebSocket = (revocable: string, datasetId: string): Stream => {
      const client = createClient({
        url: `${server.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { Authorization: `Bearer ${revocable}` },
        retryAttempts: 0,
      });
      const messages: Message[] = [];
      let open: () => void = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      const ended = new Promise<Message[]>((resolve, reject) => {
        client.subscribe(
          { query: SUBSCRIBE, variables: { d: datasetId } },
          { next: (message) => (messages.push(message as Message), open()), error: reject, complete: () => resolve(messages) },
        );
      });
      return { opened, ended, close: () => client.dispose() as Promise<void> };
    };

    const overSse = (revocable: string, datasetId: string): Stream => {
      const messages: Message[] = [];
      let open: () => void = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      const abort = new AbortController();
      const ended = (async () => {
        const response = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', Authorization: `Bearer ${revocable}` },
          body: JSON.stringify({ query: SUBSCRIBE, variables: { d: datasetId } }),
          signal: abort.signal,
        });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        const decoder = new TextDecoder();
        let buffered = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return messages;
          buffered += decoder.decode(value, { stream: true });
          const blocks = buffered.split('\n\n');
          buffered = blocks.pop() ?? '';
          for (const block of blocks) {
            if (block.startsWith('event: complete')) return messages;
            if (!block.startsWith('event: next')) continue;
            messages.push(JSON.parse(block.split('\ndata: ')[1] as string) as Message);
            open();
          }
        }
      })();
      return { opened, ended, close: async () => abort.abort() };
    };

    /** Opens a stream, revokes its key once it is open, and checks that it ended with KEY_REVOKED within 1 s. */
    const expectEndedByRevocation = async (
      open: (revocable: string, datasetId: string) => Stream,
      revoke: (revocable: string) => Promise<unknown>,
    ) => {
      const { revocable, datasetId } = await keyWithQueuedDocument();
      const stream = open(revocable, datasetId);
      try {
        await stream.opened;
        const revokedAt = performance.now();
        await revoke(revocable);
        const tooLate = new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the stream was still open 3 s after the revocation')), 3000).unref(),
        );
        const messages = await Promise.race([stream.ended, tooLate]);
        const elapsed = performance.now() - revokedAt;
        console.info(`revocation ended the stream ${elapsed.toFixed(0)} ms after the revoking call`);
        expect(messages[0]?.data).toEqual({ indexingProgress: { documentUuid: expect.any(String) } });
        expect(messages.at(-1)?.errors?.[0]?.extensions?.code).toBe('KEY_REVOKED');
        expect(elapsed).toBeLessThan(1000);
      } finally {
        await stream.close();
      }
    };

    const revokeHere = (revocable: string) => revokeApiKey(server.prisma, revocable);

    it('over graphql-ws', () => expectEndedByRevocation(overWebSocket, revokeHere));

    it('over SSE', () => expectEndedByRevocation(overSse, revokeHere));

    // Revoked from another process (the CLI) while servers in other processes stream: test/scale-out.test.ts.
  });

  it('refuses WebSocket frames over 1 MiB before authentication', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('x'.repeat(1024 * 1024 + 1));
    expect(await closed).toBe(1009);
  });
});
