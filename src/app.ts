import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { ModelRegistry } from './domain/models/registry.ts';
import { attachGraphQLWebSocket } from './graphql/ws.ts';
import { createGraphQLServer } from './graphql/yoga.ts';
import type { Logger } from './logger.ts';
import { RateLimiter } from './rate-limit.ts';
import { createRestApp } from './rest/app.ts';
import { notFound } from './rest/errors.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  models: ModelRegistry;
  logger: Logger;
}

/** Everything on one port: /graphql (HTTP, SSE, WebSocket), /v1 (Dify's REST API), /healthz. */
export function createHttpApp({ config, db, models, logger }: AppDeps) {
  const deps = { prisma: db.prisma, models, logger };
  const rateLimiter = new RateLimiter(config.rateLimitPerMinute);
  const yoga = createGraphQLServer(deps, config, rateLimiter);
  const app = new Hono<{ Variables: { requestId: string } }>();

  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
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
    await db.prisma.$queryRaw`SELECT 1`;
    return c.json({ status: 'ok', database: db.kind });
  });
  app.all('/graphql', (c) => yoga.fetch(c.req.raw, { requestId: c.get('requestId') }));
  app.route('/v1', createRestApp(deps, rateLimiter));
  app.notFound(() => notFound().toResponse());

  return { app, yoga };
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function listen(deps: AppDeps, port = deps.config.port, host = deps.config.host): Promise<RunningServer> {
  const { app, yoga } = createHttpApp(deps);
  const server = createServer(getRequestListener(app.fetch));
  const ws = attachGraphQLWebSocket(server, yoga, deps.db.prisma);
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
    },
  };
}
