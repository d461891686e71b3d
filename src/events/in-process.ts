import { EventEmitter } from 'node:events';
import type { Channel, PubSub } from './pubsub.ts';

/** Pub/sub within one process: the embedded default, where server and worker share the process. */
export function createInProcessPubSub(): PubSub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(channel: Channel, payload: object) {
      // Listeners run after the publisher's transaction work, as they would with NOTIFY.
      const copy = structuredClone(payload);
      queueMicrotask(() => emitter.emit(channel, copy));
    },
    async subscribe(channel, listener) {
      emitter.on(channel, listener);
      return () => emitter.off(channel, listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}
