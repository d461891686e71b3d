// Subscriptions end when their API key is revoked. New operations already re-check the key (yoga's context, and
// graphql-ws's onSubscribe), but a stream opened before the revocation would go on: each one listens for
// kg_api_key_revoked (a database trigger announces every revocation, from any process) and ends with a KEY_REVOKED
// error when its key is the one revoked. Runs on yoga's subscribe, so SSE and graphql-ws alike.
import { type ExecutionResult, GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin, Repeater } from 'graphql-yoga';
import { CHANNELS } from '../../events/pubsub.ts';
import type { Context } from '../context.ts';

const revokedResult = (): ExecutionResult => ({
  errors: [new GraphQLError('The API key was revoked.', { extensions: { code: 'KEY_REVOKED' } })],
});

const isRevoked = async (ctx: Context) =>
  !(await ctx.prisma.apiKey.findFirst({ where: { id: ctx.viewer.apiKeyId, revokedAt: null }, select: { id: true } }));

/** `source`, ended by a KEY_REVOKED result as soon as the subscription's key is revoked. */
function endOnRevocation(source: AsyncIterable<ExecutionResult>, ctx: Context): AsyncIterableIterator<ExecutionResult> {
  return new Repeater<ExecutionResult>(async (push, stop) => {
    const iterator = source[Symbol.asyncIterator]();
    const revoke = async () => {
      await push(revokedResult());
      stop();
    };
    const unsubscribe = await ctx.pubsub.subscribe(CHANNELS.apiKeyRevoked, (payload) => {
      if ((payload as { apiKeyId?: unknown }).apiKeyId === ctx.viewer.apiKeyId) void revoke();
    });
    // A revocation between the operation's key check and the LISTEN above sent its notice to no one: look once.
    if (await isRevoked(ctx)) void revoke();
    const stopped = stop.then(() => ({ done: true as const, value: undefined }));
    try {
      for (;;) {
        const next = await Promise.race([iterator.next(), stopped]);
        if (next.done) break;
        await push(next.value);
      }
    } finally {
      unsubscribe();
      stop();
      // Not awaited: a source waiting on its own events must not hold this stream open.
      void Promise.resolve(iterator.return?.()).catch(() => {});
    }
  });
}

export function useKeyRevocation(): Plugin<Context> {
  return {
    onSubscribe: () => ({
      onSubscribeResult: ({ args, result, setResult }) => {
        if (isAsyncIterable<ExecutionResult>(result)) setResult(endOnRevocation(result, args.contextValue));
      },
    }),
  };
}
