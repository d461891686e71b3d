import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface ProgressEvent {
  status: string;
  completed: number;
  total: number | null;
}

/**
 * Subscribes to a document's indexingProgress over graphql-ws, as a frontend would, and resolves with every event
 * once the subscription completes. `onEvent` sees each event as it arrives.
 */
export async function watchProgress(
  serverUrl: string,
  key: string,
  datasetId: string,
  documentId: string,
  onEvent: (event: ProgressEvent, events: ProgressEvent[]) => void = () => {},
): Promise<ProgressEvent[]> {
  const client = createClient({
    url: `${serverUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${key}` },
  });
  const events: ProgressEvent[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ indexingProgress: { indexingStatus: string; completedSegments: number; totalSegments: number | null } }>(
        {
          query: `subscription ($d: ID!, $doc: ID) { indexingProgress(datasetId: $d, documentId: $doc) {
                    indexingStatus completedSegments totalSegments } }`,
          variables: { d: datasetId, doc: documentId },
        },
        {
          next: ({ data }) => {
            const p = data?.indexingProgress;
            if (!p) return;
            const event = { status: p.indexingStatus.toLowerCase(), completed: p.completedSegments, total: p.totalSegments };
            events.push(event);
            onEvent(event, events);
          },
          error: reject,
          complete: resolve,
        },
      );
    });
  } finally {
    await client.dispose();
  }
  return events;
}

/** Events as `status:completed` strings, for readable assertions. */
export const statusLine = (events: ProgressEvent[]) => events.map((e) => `${e.status}:${e.completed}`);
