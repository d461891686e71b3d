import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { finished, runEntry } from '../helpers/process.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const CREATE = `mutation ($input: CreateDocumentByTextInput!) {
  createDocumentByText(input: $input) {
    __typename
    ... on CreateDocumentByTextPayload { batch document { uuid indexingStatus displayStatus } }
    ... on Error { message }
  }
}`;

const SUBSCRIBE = `subscription ($datasetId: ID!, $batch: String, $documentId: ID) {
  indexingProgress(datasetId: $datasetId, batch: $batch, documentId: $documentId) {
    documentId documentUuid indexingStatus completedSegments totalSegments error completedAt
  }
}`;

interface Progress {
  documentId: string;
  documentUuid: string;
  indexingStatus: string;
  completedSegments: number;
  totalSegments: number;
  error: string | null;
  completedAt: string | null;
}

const STAGE_ORDER = ['WAITING', 'PARSING', 'SPLITTING', 'INDEXING', 'COMPLETED'];

function expectOrderedStages(events: Progress[]) {
  const stages = events.map((e) => STAGE_ORDER.indexOf(e.indexingStatus));
  expect(stages.every((s) => s >= 0)).toBe(true);
  expect([...stages].sort((a, b) => a - b)).toEqual(stages);
  expect(events.at(-1)?.indexingStatus).toBe('COMPLETED');
  const completed = events.map((e) => e.completedSegments);
  expect([...completed].sort((a, b) => a - b)).toEqual(completed);
}

function subscribeOverWebSocket(server: TestServer, key: string, variables: Record<string, unknown>) {
  const client = createClient({
    url: `${server.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${key}` },
    retryAttempts: 0,
  });
  const events: Progress[] = [];
  let firstEvent: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    firstEvent = resolve;
  });
  const done = new Promise<Progress[]>((resolve, reject) => {
    client.subscribe<{ indexingProgress: Progress }>(
      { query: SUBSCRIBE, variables },
      {
        next: (result) => {
          if (result.errors) reject(new Error(result.errors[0]?.message));
          else if (result.data) events.push(result.data.indexingProgress);
          firstEvent();
        },
        error: reject,
        complete: () => resolve(events),
      },
    );
  });
  return Object.assign(done.finally(() => client.dispose()), { started });
}

async function subscribeOverSse(server: TestServer, key: string, variables: Record<string, unknown>) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', Authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: SUBSCRIBE, variables }),
  });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event: next'))
    .map((block) => JSON.parse(block.split('\ndata: ')[1] as string).data.indexingProgress as Progress);
}

describe('GraphQL indexingProgress subscription', () => {
  let server: TestServer;
  let key: string;
  let datasetId: string;

  const longText = Array.from({ length: 80 }, (_, i) => `Sentence number ${i} about indexing progress.`).join('\n');
  const create = async (name: string) => {
    const res = await server.gql<{ createDocumentByText: { batch: string; document: { uuid: string } } }>(key, CREATE, {
      input: {
        datasetId,
        name,
        text: longText,
        indexingTechnique: 'HIGH_QUALITY',
        processRule: { mode: 'CUSTOM', rules: { preProcessingRules: [], segmentation: { separator: '\\n', maxTokens: 60 } } },
      },
    });
    return res.body.data?.createDocumentByText as { batch: string; document: { uuid: string } };
  };

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_WORKER: 'off', INDEXING_BATCH_SIZE: '20' });
    key = await server.createKey('acme');
    const ds = await server.rest('POST', '/v1/datasets', { key, json: { name: 'progress' } });
    datasetId = ds.body.id;
  });
  afterAll(() => server.close());

  it('streams every stage over graphql-ws and ends at completed', async () => {
    const created = await create('ws.txt');
    const events = subscribeOverWebSocket(server, key, { datasetId, batch: created.batch });
    // The worker starts once the current state arrived, so the stream holds every stage even on a loaded machine.
    await events.started;
    await server.services.worker.start();
    const received = await events;
    await server.services.worker.stop();
    expect(received[0]).toMatchObject({ documentUuid: created.document.uuid, indexingStatus: 'WAITING' });
    expectOrderedStages(received);
    const last = received.at(-1) as Progress;
    expect(last.totalSegments).toBe(80);
    expect(last.completedSegments).toBe(80);
    expect(received.filter((e) => e.indexingStatus === 'INDEXING').length).toBeGreaterThan(2);
  });

  it('streams over SSE too, and a late subscriber gets the current state and the end', async () => {
    const created = await create('sse.txt');
    const events = subscribeOverSse(server, key, { datasetId, documentId: created.document.uuid });
    await new Promise((r) => setTimeout(r, 200));
    await server.services.worker.start();
    const received = await events;
    await server.services.worker.stop();
    expectOrderedStages(received);

    const late = await subscribeOverSse(server, key, { datasetId, batch: created.batch });
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ indexingStatus: 'COMPLETED', completedSegments: 80 });
  });

  it('follows the whole dataset, including documents created after subscribing, until the client leaves', async () => {
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${key}` },
      retryAttempts: 0,
    });
    const events: Array<Record<string, unknown>> = [];
    let completed = false;
    let finish: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const unsubscribe = client.subscribe<{ indexingProgress: Record<string, unknown> }>(
      {
        query: `subscription ($datasetId: ID!) { indexingProgress(datasetId: $datasetId) {
          documentId document { id name } indexingStatus stageIndex percent totalSegments segmentCount errorCode observedAt } }`,
        variables: { datasetId },
      },
      {
        next: (result) => {
          const event = result.data?.indexingProgress;
          if (!event) return;
          events.push(event);
          if (event.indexingStatus === 'COMPLETED') finish();
        },
        error: (error) => {
          throw error;
        },
        complete: () => {
          completed = true;
        },
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    const created = await create('later.txt');
    await server.services.worker.start();
    await done;
    await server.services.worker.stop();
    await new Promise((r) => setTimeout(r, 200));
    expect(completed).toBe(false);
    unsubscribe();
    await client.dispose();

    const ofLater = events.filter((e) => (e.document as { name: string }).name === 'later.txt');
    expect(ofLater[0]).toMatchObject({ indexingStatus: 'WAITING', stageIndex: 0, percent: 0, totalSegments: null, segmentCount: 0 });
    expect(ofLater.at(-1)).toMatchObject({ indexingStatus: 'COMPLETED', stageIndex: 5, percent: 100, totalSegments: 80, errorCode: null });
    const percents = ofLater.map((e) => e.percent as number);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(ofLater.every((e) => e.documentId === (e.document as { id: string }).id && typeof e.observedAt === 'string')).toBe(true);
    expect(created.document.uuid).toBeTruthy();
  });

  it('refuses unknown batches and other workspaces', async () => {
    const other = await server.createKey('other');
    const res = await server.gql(other, SUBSCRIBE, { datasetId, batch: 'x' });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const none = await server.gql(key, SUBSCRIBE, { datasetId, batch: 'nope' });
    expect(none.body.errors?.[0]?.message).toBe('Documents not found.');
  });

  it('accepts uploads through the GraphQL multipart request spec', async () => {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: `mutation ($datasetId: ID!, $file: Upload!) { createDocumentByFile(input: { datasetId: $datasetId, file: $file }) {
          __typename ... on CreateDocumentByFilePayload { batch document { name uploadFile { extension size } } }
          ... on Error { message } } }`,
        variables: { datasetId, file: null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob(['# Upload\n\nvia GraphQL']), 'upload.md');
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
      body: form,
    });
    const body = (await response.json()) as { data: { createDocumentByFile: { document: unknown } } };
    expect(body.data.createDocumentByFile.document).toEqual({ name: 'upload.md', uploadFile: { extension: 'md', size: 21 } });
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('progress across processes (PostgreSQL LISTEN/NOTIFY)', () => {
  it('reaches a subscriber on this server from a worker in another process', async () => {
    const server = await startTestServer({ INDEXING_WORKER: 'off' });
    const worker = runEntry('src/worker.ts', [], {
      ...server.database.env,
      LOG_LEVEL: 'warn',
      INDEXING_POLL_MS: '200',
    });
    const exit = finished(worker);
    try {
      const key = await server.createKey('acme');
      const ds = await server.rest('POST', '/v1/datasets', { key, json: { name: 'remote' } });
      const created = await server.rest('POST', `/v1/datasets/${ds.body.id}/document/create-by-text`, {
        key,
        json: { name: 'remote.txt', text: 'one\ntwo\nthree', indexing_technique: 'economy' },
      });
      const events = await subscribeOverWebSocket(server, key, { datasetId: ds.body.id, batch: created.body.batch });
      expect(events.at(-1)).toMatchObject({ indexingStatus: 'COMPLETED' });
      expect(events.length).toBeGreaterThan(1);
    } finally {
      worker.kill('SIGTERM');
      await exit;
      await server.close();
    }
  });
});
if (!process.env.TEST_DATABASE_URL) {
  console.warn('[indexing-progress] cross-process LISTEN/NOTIFY test SKIPPED: it needs PostgreSQL (TEST_DATABASE_URL); on PGlite, test/db/embedded-data-dir.test.ts runs a worker process next to a server');
}
