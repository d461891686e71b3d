// Dify's External Knowledge API (POST {endpoint}/retrieval), so that a Dify instance can use this gateway as an
// external knowledge base: point it at http://host:port/v1 with one of our keys and a dataset id as knowledge_id.
// Errors use that API's own format: {error_code, error_msg}.
import type { Context as HonoContext, Hono } from 'hono';
import { AuthenticationError, viewerFromAuthorization } from '../../domain/api-keys/bearer.ts';
import { type ContextDeps, createContext } from '../../graphql/context.ts';
import { RATE_LIMIT_MESSAGE, type RateLimiter } from '../../rate-limit.ts';
import { bodyText } from '../body.ts';
import { RestError } from '../errors.ts';
import type { RestEnv } from '../router.ts';
import { runRetrieve } from './retrieval.ts';

const externalError = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  Response.json({ error_code: code, error_msg: message }, { status, headers });

const asObject = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** External metadata conditions name fields as a list; each name becomes a condition of ours. */
function metadataConditions(raw: unknown) {
  const condition = asObject(raw);
  if (!Array.isArray(condition.conditions)) return null;
  return {
    logical_operator: condition.logical_operator ?? 'and',
    conditions: condition.conditions.flatMap((c) => {
      const item = asObject(c);
      const names = Array.isArray(item.name) ? item.name : [item.name];
      return names.map((name) => ({ name, comparison_operator: item.comparison_operator, value: item.value }));
    }),
  };
}

export function externalKnowledgeRoute(app: Hono<RestEnv>, deps: ContextDeps, rateLimiter: RateLimiter) {
  app.post('/retrieval', async (c: HonoContext<RestEnv>) => {
    const authorization = c.req.header('authorization');
    if (!authorization || !/^Bearer\s+\S+$/i.test(authorization)) {
      return externalError(403, 1001, 'Invalid Authorization header format. Expected \'Bearer <api-key>\' format.');
    }
    try {
      const viewer = await viewerFromAuthorization(deps.authenticate, authorization);
      const wait = await rateLimiter.take(viewer.apiKeyId);
      if (wait > 0) return externalError(403, 403, RATE_LIMIT_MESSAGE, { 'Retry-After': String(wait) });
      c.set('gql', createContext(deps, viewer, deps.logger.child({ requestId: c.get('requestId') })));
    } catch (error) {
      if (error instanceof AuthenticationError) return externalError(403, 1002, 'Authorization failed');
      throw error;
    }
    const body = asObject(await bodyText(c).then((text) => JSON.parse(text) as unknown).catch(() => null));
    const knowledgeId = typeof body.knowledge_id === 'string' ? body.knowledge_id : '';
    const setting = asObject(body.retrieval_setting);
    const topK = typeof setting.top_k === 'number' ? setting.top_k : 4;
    const threshold = typeof setting.score_threshold === 'number' ? setting.score_threshold : 0;
    const conditions = metadataConditions(body.metadata_condition);
    try {
      const data = await runRetrieve(c, knowledgeId, body.query, {
        search_method: 'hybrid_search',
        reranking_enable: false,
        reranking_mode: 'weighted_score',
        top_k: topK,
        score_threshold_enabled: threshold > 0,
        score_threshold: threshold,
        ...(conditions ? { metadata_filtering_conditions: conditions } : {}),
      });
      return c.json({
        records: data.records.map((r) => ({
          content: r.segment.content,
          score: r.score,
          title: r.segment.document.name,
          metadata: { ...asObject(r.segment.document.docMetadata), document_id: r.segment.document.uuid, segment_id: r.segment.uuid },
        })),
      });
    } catch (error) {
      if (error instanceof RestError && error.status === 404) return externalError(404, 2001, 'The knowledge does not exist');
      if (error instanceof RestError) return externalError(error.status, 500, error.message);
      throw error;
    }
  });
}
