// A load generator in a worker thread: sends the requests it is given, `concurrency` at a time, once told to go, so
// that the main thread (the server) spends CPU on serving them only.
import { parentPort, workerData } from 'node:worker_threads';
import { jsonClient } from './http-client.ts';

export interface LoadRequest {
  method: string;
  path: string;
  body?: unknown;
}

const { url, headers, requests, concurrency } = workerData as {
  url: string;
  headers: Record<string, string>;
  requests: LoadRequest[];
  concurrency: number;
};
const client = jsonClient(url, headers);
parentPort?.once('message', async () => {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let request = requests[next++]; request; request = requests[next++]) {
        await client.request(request.method, request.path, request.body);
      }
    }),
  );
  client.close();
  parentPort?.postMessage('done');
});
parentPort?.postMessage('ready');
