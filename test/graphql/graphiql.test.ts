// GraphiQL works offline: the page references only this server, and every asset it names is served from the package.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('GraphiQL', () => {
  let server: TestServer;
  let html: string;

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_WORKER: 'off' });
    const response = await fetch(`${server.url}/graphql`, { headers: { Accept: 'text/html' } });
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    html = await response.text();
  });
  afterAll(() => server.close());

  it('loads nothing from another origin', () => {
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toContain('unpkg.com');
    expect(html.length).toBeLessThan(10_000);
  });

  it('serves every script, style, icon and Monaco worker the page names', async () => {
    const referenced = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    const workers = [...html.matchAll(/'(\/graphql\/graphiql\/[^']+)'/g)].map((m) => m[1] as string);
    const names = ['editor', 'json', 'graphql'].map((w) => `${workers[0]}${w}.worker.js`);
    expect(referenced).toHaveLength(3);
    for (const url of [...referenced, ...names]) {
      const asset = await fetch(`${server.url}${url}`);
      expect(asset.status, url).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect((await asset.arrayBuffer()).byteLength, url).toBeGreaterThan(100);
    }
    expect((await fetch(`${server.url}${workers[0]}nothing.js`)).status).toBe(404);
  });

  it('offers an ASCII placeholder header and subscriptions over SSE on the same endpoint', () => {
    const options = JSON.parse(/renderYogaGraphiQL\([^,]+, (\{.*\})\);/.exec(html)?.[1] ?? '{}') as Record<string, string>;
    const headers = JSON.parse(options.headers ?? '{}') as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer <your-api-key>');
    expect(/^[\x20-\x7e]*$/.test(headers.Authorization ?? '')).toBe(true);
    expect(() => new Headers(headers)).not.toThrow();
    // No endpoint option: the page posts to the URL it was loaded from (/graphql).
    expect(options).toMatchObject({ subscriptionsProtocol: 'SSE' });
    expect(options).not.toHaveProperty('endpoint');
  });
});
