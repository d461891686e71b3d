// GraphiQL in headless Chromium with no network beyond 127.0.0.1: it loads, runs a query and a subscription, and a
// screenshot is saved as an artifact. Needs Debian's `chromium` (CHROMIUM_PATH to override); skipped loudly without.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = process.env.TEST_ARTIFACTS_DIR ?? path.join(tmpdir(), 'knowledge-gateway-artifacts');

if (!existsSync(CHROMIUM)) console.warn(`[graphiql-browser] SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

describe.skipIf(!existsSync(CHROMIUM))('GraphiQL in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let key: string;
  const outside: string[] = [];

  /** Replaces the text of a GraphiQL (Monaco) editor, as a user typing would. */
  const typeInto = async (section: string, text: string) => {
    await page.click(`${section} .graphiql-editor:not(.hidden) .monaco-editor`);
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.press('Backspace');
    await page.keyboard.sendCharacter(text);
  };
  // Monaco renders spaces as no-break spaces.
  const result = async () =>
    (await page.evaluate(() => (document.querySelector('section.result-window') as HTMLElement | null)?.innerText ?? '')).replace(
      /\u00a0/g,
      ' ',
    );
  const waitForResult = async (pattern: RegExp) => {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const text = await result();
      if (pattern.test(text)) return text;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`GraphiQL never showed ${pattern}: ${await result()}`);
  };

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '100' });
    key = await server.createKey('acme');
    browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], headless: true });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (/^(http|ws)s?:$/.test(url.protocol) && url.hostname !== '127.0.0.1') {
        outside.push(request.url());
        void request.abort();
      } else {
        void request.continue();
      }
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads offline, runs a query and a subscription', async () => {
    const dataset = await server.rest('POST', '/v1/datasets', { key, json: { name: 'browser', indexing_technique: 'economy' } });
    await page.goto(`${server.url}/graphql`, { waitUntil: 'networkidle0' });
    expect(await page.$('.graphiql-container')).not.toBeNull();

    await page.click('button::-p-text(Headers)');
    await typeInto('section.graphiql-editor-tool[aria-label="Headers"]', JSON.stringify({ Authorization: `Bearer ${key}` }));
    await typeInto('section.graphiql-query-editor', '{ datasets { totalCount edges { node { name } } } }');
    await page.click('.graphiql-execute-button');
    expect(JSON.parse(await waitForResult(/totalCount/))).toEqual({
      data: { datasets: { totalCount: 1, edges: [{ node: { name: 'browser' } }] } },
    });

    await typeInto(
      'section.graphiql-query-editor',
      `subscription { indexingProgress(datasetId: "${dataset.body.id}") { indexingStatus percent document { name } } }`,
    );
    await page.click('.graphiql-execute-button');
    await new Promise((r) => setTimeout(r, 500));
    await server.rest('POST', `/v1/datasets/${dataset.body.id}/document/create-by-text`, {
      key,
      json: { name: 'from-browser.txt', text: 'hello\nworld', process_rule: { mode: 'automatic' } },
    });
    const last = JSON.parse(await waitForResult(/COMPLETED/));
    expect(last).toEqual({ data: { indexingProgress: { indexingStatus: 'COMPLETED', percent: 100, document: { name: 'from-browser.txt' } } } });

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'graphiql.png') });
    expect(outside).toEqual([]);
  }, 60_000);
});
