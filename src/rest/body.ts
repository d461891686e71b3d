// Bodies other than multipart are read whole, under a ceiling. With a Content-Length, the body is read straight from
// Node's request stream when a route asks for it: hono's own limit would build a Web Request and a Web stream for
// every request that has a body (about 2.5% of a retrieve's CPU), only to read it once. Chunked bodies, and requests
// served without Node's bindings (hono's test client), go through hono's limit as before.
import type { HttpBindings } from '@hono/node-server';
import type { Context as HonoContext, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { bodyTooLarge } from './errors.ts';
import type { RestEnv } from './router.ts';

function readIncoming(incoming: HttpBindings['incoming']): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.once('error', reject);
    // A connection dropped mid-body closes the stream without 'end'; after 'end' this settles nothing.
    incoming.once('close', () => reject(new Error('The client closed the connection before the end of the request body.')));
  });
}

/** Refuses a body above `maxBytes` with Dify's 413; multipart bodies are left to their own streaming limits. */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler<RestEnv> {
  const streamed = bodyLimit({ maxSize: maxBytes, onError: () => bodyTooLarge().toResponse() });
  return async (c, next) => {
    if (/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) return next();
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
    const length = c.req.header('content-length');
    if (!incoming || length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    if (Number(length) > maxBytes) return bodyTooLarge().toResponse();
    let text: Promise<string> | undefined;
    c.set('readBody', () => (text ??= readIncoming(incoming)));
    return next();
  };
}

/** The request body as text: read once from Node's stream when jsonBodyLimit allowed it, else through hono. */
export function bodyText(c: HonoContext<RestEnv>): Promise<string> {
  const read = c.get('readBody');
  return read ? read() : c.req.text();
}
