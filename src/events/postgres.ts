import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { CHANNELS, type Channel, type PubSub } from './pubsub.ts';

/**
 * Pub/sub across processes through PostgreSQL's LISTEN/NOTIFY: a subscriber on one server instance sees progress
 * published by a worker in another. One dedicated connection listens on every channel and reconnects when dropped.
 */
export async function createPostgresPubSub(databaseUrl: string, logger: Logger): Promise<PubSub> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  // One connection, so that notifications keep the order in which they were published.
  const notifier = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  let listener: pg.Client | null = null;
  let generation = 0;
  let closed = false;

  const connect = async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('notification', (message) => {
      if (!message.payload) return;
      try {
        emitter.emit(message.channel, JSON.parse(message.payload));
      } catch (error) {
        logger.warn({ err: error, channel: message.channel }, 'ignoring a malformed notification');
      }
    });
    client.on('error', (error) => {
      logger.warn({ err: error }, 'LISTEN connection lost; reconnecting');
      listener = null;
      void client.end().catch(() => {});
      if (!closed) setTimeout(() => void connect().catch((e) => logger.error({ err: e }, 'LISTEN reconnect failed')), 1000);
    });
    await client.connect();
    for (const channel of Object.values(CHANNELS)) await client.query(`LISTEN ${channel}`);
    listener = client;
    generation++;
  };
  await connect();

  return {
    async publish(channel: Channel, payload: object) {
      await notifier.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(payload)]);
    },
    async subscribe(channel, fn) {
      emitter.on(channel, fn);
      return () => emitter.off(channel, fn);
    },
    listenerGeneration: () => (listener ? generation : null),
    async close() {
      closed = true;
      emitter.removeAllListeners();
      await listener?.end().catch(() => {});
      await notifier.end();
    },
  };
}
