import type { TestServer } from './server.ts';

/** Waits until every document of the dataset has finished indexing (completed or error). */
export async function waitForDocuments(server: TestServer, key: string, datasetId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const list = await server.rest('GET', `/v1/datasets/${datasetId}/documents?limit=100`, { key });
    const statuses = (list.body.data as { indexing_status: string }[]).map((d) => d.indexing_status);
    if (statuses.every((s) => s === 'completed' || s === 'error')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`dataset ${datasetId} did not finish indexing in ${timeoutMs} ms`);
}
