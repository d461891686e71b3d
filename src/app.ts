import { createServer, type Server } from 'node:http';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { processRequest, UploadError } from 'graphql-upload-ts';
import type { GraphQLParams } from 'graphql-yoga';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { FILE_LINK_CSP, servedType } from './domain/files/served-type.ts';
import type { ContextDeps } from './graphql/context.ts';
import { GRAPHIQL_ASSETS, graphiqlAsset } from './graphql/graphiql.ts';
import { attachGraphQLWebSocket } from './graphql/ws.ts';
import { createGraphQLServer } from './graphql/yoga.ts';
import type { Logger } from './logger.ts';
import { RateLimiter } from './rate-limit.ts';
import { createRestApp } from './rest/app.ts';
import { notFound, RestError } from './rest/errors.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  services: ContextDeps;
}

/** Everything on one port: /graphql (HTTP, SSE, WebSocket), /v1 (Dify's REST API), /healthz. */
export function createHttpApp({ config, db, logger, services: deps }: AppDeps) {
  const rateLimiter = RateLimiter.create(config.rateLimitPerMinute, db.url);
  const yoga = createGraphQLServer(deps, config, rateLimiter);
  const app = new Hono<{ Bindings: HttpBindings; Variables: { requestId: string } }>();

  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

  app.get('/healthz', async (c) => {
    await db.query('SELECT 1');
    return c.json({ status: 'ok', database: db.kind });
  });
  app.get('/files/:file_id/file-preview', async (c) => {
    const fileId = c.req.param('file_id');
    const query = { timestamp: c.req.query('timestamp'), nonce: c.req.query('nonce'), sign: c.req.query('sign') };
    if (!/^[0-9a-f-]{36}$/i.test(fileId) || !deps.fileLinks.verify(fileId, query)) {
      return new RestError(403, 'forbidden', 'Invalid or expired file link.').toResponse();
    }
    const file = await db.prisma.uploadFile.findUnique({ where: { id: fileId }, omit: { data: false } });
    if (!file) return notFound('File not found.').toResponse();
    const served = servedType(file.extension);
    const disposition = served.inline && c.req.query('as_attachment') !== 'true' ? 'inline' : 'attachment';
    return new Response(file.data, {
      headers: {
        'Content-Type': served.contentType,
        'Content-Length': String(file.data.byteLength),
        'Content-Disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        'Content-Security-Policy': FILE_LINK_CSP,
      },
    });
  });
  app.get(`${GRAPHIQL_ASSETS}/:asset`, async (c) =>
    withRequestId((await graphiqlAsset(c.req.param('asset'))) ?? notFound().toResponse(), c.get('requestId')),
  );
  app.all('/graphql', async (c) => {
    const requestId = c.get('requestId');
    if (c.req.method === 'POST' && /^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
      const { incoming, outgoing } = c.env as HttpBindings;
      try {
        const uploadParams = await processRequest<GraphQLParams>(incoming, outgoing, {
          // busboy refuses a file that reaches its limit; a file of exactly the limit is allowed (readUpload checks).
          maxFileSize: config.uploadFileSizeLimitBytes + 1,
          maxFiles: 10,
        });
        return withRequestId(
          await yoga.fetch(new Request(c.req.url, { method: 'POST', headers: c.req.raw.headers }), { requestId, uploadParams }),
          requestId,
        );
      } catch (error) {
        if (error instanceof UploadError) {
          return withRequestId(
            Response.json({ errors: [{ message: error.message, extensions: { code: error.code } }] }, { status: error.status }),
            requestId,
          );
        }
        throw error;
      }
    }
    return withRequestId(await yoga.fetch(c.req.raw, { requestId }), requestId);
  });
  app.route('/v1', createRestApp(deps, rateLimiter));
  app.notFound(() => notFound().toResponse());

  return { app, yoga, rateLimiter };
}

/** Yoga's responses bypass Hono's header handling: the request id is set on them here. */
function withRequestId(response: Response, requestId: string): Response {
  const headers = new Headers(response.headers);
  headers.set('X-Request-Id', requestId);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function listen(deps: AppDeps, port = deps.config.port, host = deps.config.host): Promise<RunningServer> {
  const { app, yoga, rateLimiter } = createHttpApp(deps);
  const server = createServer(getRequestListener(app.fetch));
  // Longer than the idle timeouts of load balancers and client pools (60 s), so that the server is never the side
  // that closes a kept-alive connection just as a client sends on it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // A client may send its whole request and then shut down its sending side (HTTP/1.0 style, `nc -N`): Node's
  // default takes that as an abort and closes the socket unanswered; with this the answer is sent, then the socket
  // ends.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  const ws = attachGraphQLWebSocket(server, yoga, deps.services.authenticate);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    url: `http://${host}:${actualPort}`,
    close: async () => {
      await ws.close();
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rateLimiter.close();
    },
  };
}
