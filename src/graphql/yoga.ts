import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.ts';
import { AuthenticationError, viewerFromAuthorization } from '../domain/api-keys/bearer.ts';
import type { Viewer } from '../domain/viewer.ts';
import { RATE_LIMIT_MESSAGE, type RateLimiter } from '../rate-limit.ts';
import { type Context, type ContextDeps, createContext } from './context.ts';
import { maskError, rejectWithCode, useRequestErrorStatus } from './plugins/use-error-codes.ts';
import { type UploadServerContext, useMultipartUploads } from './plugins/use-multipart-uploads.ts';
import { renderOfflineGraphiQL } from './graphiql.ts';
import { useKeyRevocation } from './plugins/use-key-revocation.ts';
import { usePersistedQueries } from './plugins/use-persisted-queries.ts';
import { useQueryCost } from './plugins/use-query-cost.ts';
import { schema } from './schema.ts';

/** What the HTTP layer and graphql-ws hand to yoga besides the request. */
export interface ServerContext extends UploadServerContext {
  requestId?: string;
  /** Set by graphql-ws once the connection's key was checked. */
  viewer?: Viewer;
}

export type GraphQLServer = YogaServerInstance<ServerContext, Context>;

const unauthorized = (message: string) =>
  new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } },
    },
  });

export function createGraphQLServer(
  deps: ContextDeps,
  config: Pick<Config, 'graphql'>,
  rateLimiter: RateLimiter,
): GraphQLServer {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Persisted-only servers run no typed-in operation, so GraphiQL would be of no use there.
    graphiql:
      config.graphql.graphiql && !config.graphql.persistedOnly
        ? {
            title: 'knowledge-gateway',
            // Header values must be Latin-1 (fetch refuses others): an ASCII placeholder.
            headers: JSON.stringify({ Authorization: 'Bearer <your-api-key>' }, null, 2),
            subscriptionsProtocol: 'SSE',
          }
        : false,
    renderGraphiQL: renderOfflineGraphiQL,
    logging: {
      debug: (...args) => deps.logger.debug(args.map(String).join(' ')),
      info: (...args) => deps.logger.info(args.map(String).join(' ')),
      warn: (...args) => deps.logger.warn(args.map(String).join(' ')),
      error: (...args) => deps.logger.error({ err: args[0] }, 'graphql error'),
    },
    maskedErrors: { maskError },
    context: async (initial): Promise<Context> => {
      const request = (initial as { request?: Request }).request;
      let viewer = initial.viewer;
      if (!viewer) {
        try {
          viewer = await viewerFromAuthorization(deps.authenticate, request?.headers.get('authorization'));
        } catch (error) {
          if (error instanceof AuthenticationError) throw unauthorized(error.message);
          throw error;
        }
      }
      const wait = await rateLimiter.take(viewer.apiKeyId);
      if (wait > 0) {
        throw new GraphQLError(RATE_LIMIT_MESSAGE, {
          extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: { 'Retry-After': String(wait) } } },
        });
      }
      return createContext(deps, viewer, deps.logger.child({ requestId: initial.requestId }));
    },
    plugins: [
      maxTokensPlugin({ n: config.graphql.maxTokens, onReject: [rejectWithCode('MAX_TOKENS_EXCEEDED')] }),
      maxDepthPlugin({
        n: config.graphql.maxDepth,
        flattenFragments: true,
        propagateOnRejection: false,
        onReject: [rejectWithCode('MAX_DEPTH_EXCEEDED')],
      }),
      maxAliasesPlugin({ n: config.graphql.maxAliases, propagateOnRejection: false, onReject: [rejectWithCode('MAX_ALIASES_EXCEEDED')] }),
      useRequestErrorStatus(),
      useQueryCost({ maxCost: config.graphql.maxCost }),
      ...usePersistedQueries({
        persistedOnly: config.graphql.persistedOnly,
        manifestFile: config.graphql.persistedOperationsFile,
      }),
      useMultipartUploads(),
      useKeyRevocation(),
    ],
  });
}
