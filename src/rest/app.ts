import { Hono } from 'hono';
import { AuthenticationError, viewerFromAuthorization } from '../domain/api-keys/bearer.ts';
import { type ContextDeps, createContext } from '../graphql/context.ts';
import { RATE_LIMIT_MESSAGE, type RateLimiter } from '../rate-limit.ts';
import { jsonBodyLimit } from './body.ts';
import { DEFAULT_MESSAGES, JSON_BODY_LIMIT_BYTES, RestError, notFound } from './errors.ts';
import { createRouter, type RestEnv } from './router.ts';
import { datasetRoutes } from './routes/datasets.ts';
import { documentRoutes } from './routes/documents.ts';
import { externalKnowledgeRoute } from './routes/external-knowledge.ts';
import { metadataRoutes } from './routes/metadata.ts';
import { modelRoutes } from './routes/models.ts';
import { retrievalRoutes } from './routes/retrieval.ts';
import { segmentRoutes } from './routes/segments.ts';
import { tagRoutes } from './routes/tags.ts';

/** Dify's Knowledge API under /v1: each route runs a GraphQL operation and answers in Dify's JSON. */
export function createRestApp(deps: ContextDeps, rateLimiter: RateLimiter) {
  const app = new Hono<RestEnv>();

  // Multipart bodies are bounded while they stream (src/rest/multipart.ts); every other body is read whole, so it
  // has a ceiling: a text document's 10,000,000 characters fit with room for JSON escapes.
  app.use(jsonBodyLimit(JSON_BODY_LIMIT_BYTES));

  // Authentication runs inside each route, after routing: as in Flask, an unknown path is a 404 and a wrong
  // method a 405 whatever the key.
  const router = createRouter(app, async (c) => {
    try {
      const viewer = await viewerFromAuthorization(deps.authenticate, c.req.header('authorization'));
      const wait = await rateLimiter.take(viewer.apiKeyId);
      if (wait > 0) throw new RestError(403, 'forbidden', RATE_LIMIT_MESSAGE, { 'Retry-After': String(wait) });
      c.set('gql', createContext(deps, viewer, deps.logger.child({ requestId: c.get('requestId') })));
    } catch (error) {
      if (error instanceof AuthenticationError) {
        throw new RestError(401, 'unauthorized', error.message, { 'WWW-Authenticate': 'Bearer realm="api"' });
      }
      throw error;
    }
  });
  externalKnowledgeRoute(app, deps, rateLimiter);
  tagRoutes(router);
  datasetRoutes(router);
  documentRoutes(router);
  segmentRoutes(router);
  retrievalRoutes(router);
  metadataRoutes(router);
  modelRoutes(router);

  app.notFound(() => notFound().toResponse());
  app.onError((error, c) => {
    if (error instanceof RestError) return error.toResponse();
    deps.logger.error({ err: error, requestId: c.get('requestId') }, 'REST request failed');
    return new RestError(500, 'internal_server_error', DEFAULT_MESSAGES.internal_server_error).toResponse();
  });
  return app;
}
