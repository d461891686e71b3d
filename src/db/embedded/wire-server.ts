// Serves one PGlite instance to many PostgreSQL clients (node-postgres, Prisma's pg adapter, psql) over a Unix
// socket. PGlite is a single backend session, so the clients take turns. Unlike a naive per-message queue, a turn here
// is a whole protocol exchange (up to Sync or a simple Query) and, when that leaves a transaction open, every exchange
// until the transaction ends: one client's Parse/Bind can never interleave with another's, and a transaction sees no
// other client's statements. LISTEN/NOTIFY is routed per client (the single session hears every notification; each
// goes to the clients that listen on its channel), so cross-process pub/sub works as on a PostgreSQL server.
import { chmod } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { preparedName, withClientNames } from './statement-names.ts';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Frontend messages after which the backend answers with ReadyForQuery: the end of one client's turn. */
const TURN_ENDS = new Set(['S', 'Q', 'F']);
/** Clients whose application_name ends so yield to the others (bulk work: indexing). */
export const BACKGROUND_SUFFIX = ':background';
/** A background turn that has waited this long goes next anyway, so bulk work is slowed, never starved. */
const BACKGROUND_MAX_WAIT_MS = 1_000;

export interface WireServerOptions {
  /** A client that keeps a transaction open and silent this long while others wait is disconnected (rolled back). */
  idleInTransactionMs: number;
  onError?(error: unknown, context: string): void;
  /** Turns that held the database at least this long are reported (the embedded engine's slow-query log). */
  slowTurnMs?: number;
  onSlowTurn?(ms: number, statement: string): void;
  /** Called with performance.timeOrigin + now when a turn starts on the session, and 0 when it ends. */
  onBusy?(since: number): void;
}

interface Turn {
  client: Client;
  messages: Buffer[];
  /** False when the client flushed without Sync: it keeps the backend until it sends one. */
  complete: boolean;
  /** A reply made here instead of by the backend (UNLISTEN, which must not reach the shared session). */
  local?: Buffer;
  /** Work of the server itself on the session, run between clients' transactions. */
  internal?: () => Promise<void>;
  queuedAt: number;
}

let nextClientId = 1;

class Client {
  input: Buffer = Buffer.alloc(0);
  started = false;
  closed = false;
  background = false;
  pending: Buffer[] = [];
  readonly channels = new Set<string>();
  /** Its named prepared statements, in the session's namespace. */
  readonly prepared = new Set<string>();
  readonly namePrefix = `c${nextClientId++}:`;
  constructor(readonly socket: Socket) {}

  send(data: Buffer) {
    if (!this.closed && this.socket.writable) this.socket.write(data);
  }
}

/** The owner of internal turns: never a socket, never closed. */
const SERVER = new Client(null as unknown as Socket);

export class WireServer {
  private readonly server: Server;
  private readonly clients = new Set<Client>();
  private readonly turns: Turn[] = [];
  /** The client whose transaction (or unfinished extended-protocol exchange) holds the backend. */
  private owner: Client | null = null;
  private ownerStatus = 'I';
  /** Since when the owner holds the session, and the statement that began its transaction (the slow log's). */
  private ownedSince = 0;
  private ownedBy = '';
  private running = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly listening = new Set<string>();

  constructor(
    private readonly db: PGlite,
    private readonly options: WireServerOptions,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(path: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(path, () => resolve());
    });
    await chmod(path, 0o600);
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  get connections(): number {
    return this.clients.size;
  }

  /** Runs `sql` on the shared session between clients' transactions (session settings for everyone). */
  runOnSession(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const internal = async () => {
        await this.db.exec(sql).then(() => resolve(), reject);
      };
      this.enqueue({ client: SERVER, messages: [], complete: true, internal, queuedAt: performance.now() });
    });
  }

  private accept(socket: Socket) {
    const client = new Client(socket);
    this.clients.add(client);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.receive(client, chunk));
    socket.on('error', () => this.drop(client));
    socket.on('close', () => this.drop(client));
  }

  private receive(client: Client, chunk: Buffer) {
    client.input = client.input.length ? Buffer.concat([client.input, chunk]) : chunk;
    for (;;) {
      const input = client.input;
      if (!client.started) {
        if (input.length < 8) return;
        const length = input.readInt32BE(0);
        if (input.length < length) return;
        const code = input.readInt32BE(4);
        client.input = input.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          client.send(Buffer.from('N'));
        } else if (code === CANCEL_REQUEST) {
          client.socket.end(); // PGlite has no backend process to interrupt
          return;
        } else {
          client.started = true;
          client.background = applicationName(input.subarray(8, length)).endsWith(BACKGROUND_SUFFIX);
          this.enqueue({ client, messages: [input.subarray(0, length)], complete: true, queuedAt: performance.now() });
        }
        continue;
      }
      if (input.length < 5) return;
      const total = 1 + input.readInt32BE(1);
      if (input.length < total) return;
      const message = input.subarray(0, total);
      client.input = input.subarray(total);
      const type = String.fromCharCode(message[0] ?? 0);
      if (type === 'X') {
        client.socket.end();
        this.drop(client);
        return;
      }
      if (type === 'Q' && this.routeListen(client, message)) continue;
      const named = withClientNames(message, client.namePrefix);
      const prepared = preparedName(named, client.namePrefix);
      if (prepared) client.prepared.add(prepared);
      client.pending.push(named);
      if (TURN_ENDS.has(type) || type === 'H') {
        this.enqueue({ client, messages: client.pending, complete: type !== 'H', queuedAt: performance.now() });
        client.pending = [];
      }
    }
  }

  /** LISTEN goes to the backend (so the session hears the channel) and is remembered for this client; UNLISTEN stays here. */
  private routeListen(client: Client, message: Buffer): boolean {
    const sql = message.toString('utf8', 5, message.length - 1);
    const match = /^\s*(LISTEN|UNLISTEN)\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*|\*)\s*;?\s*$/i.exec(sql);
    if (!match) return false;
    const [, command = '', rawChannel = ''] = match;
    const channel = rawChannel.startsWith('"') ? rawChannel.slice(1, -1).replace(/""/g, '"') : rawChannel.toLowerCase();
    if (command.toUpperCase() === 'LISTEN') {
      client.channels.add(channel);
      if (this.listening.has(channel)) {
        this.enqueue({ client, messages: [], complete: true, local: commandComplete('LISTEN'), queuedAt: performance.now() });
      } else {
        this.listening.add(channel);
        this.enqueue({ client, messages: [message], complete: true, queuedAt: performance.now() });
      }
    } else {
      if (channel === '*') client.channels.clear();
      else client.channels.delete(channel);
      this.enqueue({ client, messages: [], complete: true, local: commandComplete('UNLISTEN'), queuedAt: performance.now() });
    }
    return true;
  }

  private enqueue(turn: Turn) {
    this.turns.push(turn);
    if (turn.client === this.owner) this.armIdleTimer();
    void this.run();
  }

  /** The owner's next turn; else the oldest interactive turn, unless a background turn has waited too long. */
  private next(): Turn | undefined {
    let index = 0;
    if (this.owner) index = this.turns.findIndex((t) => t.client === this.owner);
    else if (this.turns[0]?.client.background && performance.now() - this.turns[0].queuedAt < BACKGROUND_MAX_WAIT_MS) {
      const interactive = this.turns.findIndex((t) => !t.client.background);
      if (interactive > 0) index = interactive;
    }
    return index < 0 ? undefined : this.turns.splice(index, 1)[0];
  }

  private async run() {
    if (this.running) return;
    this.running = true;
    try {
      for (let turn = this.next(); turn; turn = this.next()) {
        if (turn.client.closed) continue;
        if (turn.local) {
          turn.client.send(Buffer.concat([turn.local, readyForQuery(turn.client === this.owner ? this.ownerStatus : 'I')]));
          continue;
        }
        this.options.onBusy?.(performance.timeOrigin + performance.now());
        if (turn.internal) await turn.internal();
        else await this.execute(turn);
        this.options.onBusy?.(0);
      }
    } finally {
      this.running = false;
    }
    this.armIdleTimer();
  }

  private async execute(turn: Turn) {
    const { client } = turn;
    const output = new OutputReader();
    let status: string | null = null;
    const started = performance.now();
    try {
      // One call for the whole exchange: PGlite reads every message of it before it answers.
      const messages = turn.messages.length === 1 ? (turn.messages[0] as Buffer) : Buffer.concat(turn.messages);
      {
        await this.db.execProtocolRawStream(new Uint8Array(messages.buffer, messages.byteOffset, messages.byteLength), {
          onRawData: (chunk) => {
            const forward: Buffer[] = [];
            for (const reply of output.push(chunk)) {
              const type = String.fromCharCode(reply[0] ?? 0);
              if (type === 'A') this.notify(reply);
              else {
                if (type === 'Z') status = String.fromCharCode(reply[5] ?? 73);
                forward.push(reply);
              }
            }
            if (forward.length) client.send(Buffer.concat(forward));
          },
        });
      }
    } catch (error) {
      this.options.onError?.(error, 'executing a client request');
      client.socket.destroy();
      client.closed = true;
    }
    const elapsed = performance.now() - started;
    const waited = started - turn.queuedAt;
    if (this.options.onSlowTurn && elapsed >= (this.options.slowTurnMs ?? 200)) {
      this.options.onSlowTurn(elapsed, statementOf(turn.messages));
    }
    // A request that waited long for the session is what a client sees as latency.
    if (this.options.onSlowTurn && !client.background && waited >= (this.options.slowTurnMs ?? 200)) {
      this.options.onSlowTurn(waited, `waiting for the session (${this.turns.length} turns still queued): ${statementOf(turn.messages)}`);
    }
    const holds = !turn.complete || (status ?? this.ownerStatus) !== 'I';
    if (holds && !this.owner) {
      this.ownedSince = started;
      this.ownedBy = statementOf(turn.messages);
    } else if (holds && /^\s*BEGIN\s*;?\s*$/i.test(this.ownedBy)) {
      this.ownedBy = `BEGIN; ${statementOf(turn.messages)}`;
    } else if (!holds && this.owner) {
      // A transaction holds the session from its first statement to its last, the client's pauses included.
      const heldMs = performance.now() - this.ownedSince;
      if (this.options.onSlowTurn && heldMs >= (this.options.slowTurnMs ?? 200)) {
        this.options.onSlowTurn(heldMs, `transaction beginning with: ${this.ownedBy}`);
      }
    }
    this.owner = holds ? client : null;
    this.ownerStatus = status ?? this.ownerStatus;
    if (client.closed && this.owner === client) await this.releaseOwner();
  }

  /** A notification goes to every client listening on its channel, whoever's statement raised it. */
  private notify(message: Buffer) {
    const channelEnd = message.indexOf(0, 9);
    const channel = message.toString('utf8', 9, channelEnd);
    for (const client of this.clients) if (client.channels.has(channel)) client.send(message);
  }

  private drop(client: Client) {
    if (client.closed && !this.clients.has(client)) return;
    client.closed = true;
    this.clients.delete(client);
    for (let i = this.turns.length - 1; i >= 0; i--) if (this.turns[i]?.client === client) this.turns.splice(i, 1);
    if (this.owner === client && !this.running) {
      void this.releaseOwner().then(() => this.run());
    }
    // Its prepared statements would outlive it in the shared session.
    for (const statement of client.prepared) {
      void this.runOnSession(`DEALLOCATE "${statement.replace(/"/g, '""')}"`).catch(() => {});
    }
  }

  /** Ends what a departed client left open on the shared session: an unfinished exchange, then its transaction. */
  private async releaseOwner() {
    this.owner = null;
    this.ownerStatus = 'I';
    try {
      await this.db.execProtocolRaw(SYNC);
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    } catch (error) {
      this.options.onError?.(error, 'rolling back a departed client');
    }
  }

  private armIdleTimer() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const owner = this.owner;
    if (!owner || this.turns.length === 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.owner !== owner) return;
      this.options.onError?.(new Error('a client kept a transaction open while others waited; disconnected'), 'idle in transaction');
      owner.socket.destroy();
      this.drop(owner);
    }, this.options.idleInTransactionMs);
    this.idleTimer.unref();
  }
}

/** Splits the backend's byte stream into whole messages, across chunk boundaries. */
class OutputReader {
  private rest: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): Buffer[] {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.rest.length) data = Buffer.concat([this.rest, data]);
    const messages: Buffer[] = [];
    let offset = 0;
    while (data.length - offset >= 5) {
      const total = 1 + data.readInt32BE(offset + 1);
      if (data.length - offset < total) break;
      // Copy: PGlite may reuse the memory behind `chunk` once this callback returns.
      messages.push(Buffer.from(data.subarray(offset, offset + total)));
      offset += total;
    }
    this.rest = Buffer.from(data.subarray(offset));
    return messages;
  }
}

/** The application_name of a StartupMessage's parameters (name\0value\0 pairs). */
function applicationName(parameters: Buffer): string {
  const fields = parameters.toString('utf8').split('\0');
  const at = fields.findIndex((field, i) => i % 2 === 0 && field === 'application_name');
  return at >= 0 ? (fields[at + 1] ?? '') : '';
}

/** The SQL of a turn (a simple Query's, or the Parse of an extended exchange), shortened for a log line. */
function statementOf(messages: Buffer[]): string {
  for (const message of messages) {
    const type = String.fromCharCode(message[0] ?? 0);
    if (type === 'Q') return message.toString('utf8', 5, Math.min(message.length - 1, 305));
    if (type === 'P') {
      const nameEnd = message.indexOf(0, 5);
      return message.toString('utf8', nameEnd + 1, Math.min(message.indexOf(0, nameEnd + 1), nameEnd + 301));
    }
  }
  return '(no statement)';
}

const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

function commandComplete(tag: string): Buffer {
  const body = Buffer.from(`${tag}\0`);
  const header = Buffer.alloc(5);
  header.write('C', 0);
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

function readyForQuery(status: string): Buffer {
  const message = Buffer.alloc(6);
  message.write('Z', 0);
  message.writeInt32BE(5, 1);
  message.write(status, 5);
  return message;
}
