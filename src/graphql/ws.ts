import type { Server } from 'node:http';
import { useServer } from 'graphql-ws/use/ws';
import { type DocumentNode, type ExecutionArgs, GraphQLError } from 'graphql';
import { WebSocketServer } from 'ws';
import { viewerFromAuthorization } from '../domain/api-keys/bearer.ts';
import type { Authenticate } from '../domain/api-keys/key-cache.ts';
import type { Viewer } from '../domain/viewer.ts';
import type { GraphQLServer } from './yoga.ts';

type Enveloped = ReturnType<GraphQLServer['getEnveloped']>;

/** The largest WebSocket message accepted: operations are small, uploads go over HTTP. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * graphql-ws on the same port and path as yoga. The key comes from `connectionParams.Authorization` (browsers
 * cannot set headers on a WebSocket) or from the upgrade request's header; a bad key closes the connection (4403).
 */
export function attachGraphQLWebSocket(server: Server, yoga: GraphQLServer, authenticate: Authenticate) {
  // Frames are buffered whole before graphql-ws sees them, authenticated or not: bound them.
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: MAX_FRAME_BYTES });
  const authorizations = new WeakMap<object, string | undefined>();
  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args as ExecutionArgs),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args as ExecutionArgs),
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header =
          (params.Authorization as string | undefined) ??
          (params.authorization as string | undefined) ??
          ctx.extra.request.headers.authorization;
        try {
          await viewerFromAuthorization(authenticate, header);
          authorizations.set(ctx.extra.socket, header);
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: async (ctx, _id, params) => {
        // The key is checked again for every operation: one revoked after connection_init stops working at once.
        let viewer: Viewer;
        try {
          viewer = await viewerFromAuthorization(authenticate, authorizations.get(ctx.extra.socket));
        } catch {
          ctx.extra.socket.close(4403, 'Forbidden');
          return [new GraphQLError('The API key is no longer valid.', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        const enveloped = yoga.getEnveloped({ viewer, requestId: undefined });
        let document: DocumentNode;
        try {
          document = enveloped.parse(params.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        return {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: enveloped,
        };
      },
    },
    wss,
  );
  return {
    close: async () => {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
