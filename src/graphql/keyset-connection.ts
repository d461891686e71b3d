import { queryFromInfo } from '@pothos/plugin-prisma';
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './builder.ts';
import type { Context } from './context.ts';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  /** Rows to skip before the page: for page-numbered clients (the REST layer), never combined with a cursor. */
  offset?: number | null;
}

type Direction = 'asc' | 'desc';
type KeyValue = string | number;

/** One column of a connection's ordering; the last one must be unique (the id) so that keys never tie. */
export interface OrderColumn {
  field: string;
  direction: Direction;
  kind: 'date' | 'int' | 'string';
}

/** A connection's fixed ordering, named so that a cursor taken under one ordering is refused under another. */
export interface Ordering {
  name: string;
  columns: readonly OrderColumn[];
}

type Row = Record<string, unknown>;

interface KeysetPage<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { startCursor: string; endCursor: string; hasPreviousPage: boolean; hasNextPage: boolean };
}
type Where = Record<string, unknown>;

export interface KeysetSource<T extends Row> {
  /** The connection a cursor belongs to, e.g. `Dataset.documents`, plus its parent's id: cursors never cross lists. */
  connection: string;
  ordering: Ordering;
  count: () => Promise<number>;
  page: (query: { where: Where; orderBy: Record<string, Direction>[]; take: number; skip?: number } & object) => Promise<T[]>;
}

const cursorError = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'INVALID_CURSOR', http: { status: 400 } } });

function pageSizeError(argument: 'first' | 'last', value: number, connection: string) {
  return new GraphQLError(
    `Requesting ${value} records on the \`${connection}\` connection exceeds the \`${argument}\` limit of ${MAX_PAGE_SIZE} records.`,
    { extensions: { code: 'EXCESSIVE_PAGINATION', argument, limit: MAX_PAGE_SIZE } },
  );
}

function checkArgs(args: PageArgs, connection: string) {
  for (const argument of ['first', 'last'] as const) {
    const value = args[argument];
    if (value == null) continue;
    if (value < 0) {
      throw new GraphQLError(`\`${argument}\` must not be negative.`, { extensions: { code: 'BAD_USER_INPUT', argument } });
    }
    if (value > MAX_PAGE_SIZE) throw pageSizeError(argument, value, connection);
  }
  if (args.offset != null && (args.offset < 0 || args.after || args.before)) {
    throw new GraphQLError('`offset` must be 0 or more and cannot be combined with a cursor.', {
      extensions: { code: 'BAD_USER_INPUT', argument: 'offset' },
    });
  }
}

const keyOf = (row: Row, column: OrderColumn): KeyValue => {
  const value = row[column.field];
  return value instanceof Date ? value.toISOString() : (value as KeyValue);
};

function encodeCursor(source: { connection: string; ordering: Ordering }, row: Row) {
  const key = source.ordering.columns.map((column) => keyOf(row, column));
  return Buffer.from(JSON.stringify([source.connection, source.ordering.name, key])).toString('base64url');
}

function decodeCursor(source: { connection: string; ordering: Ordering }, cursor: string): KeyValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw cursorError('The cursor is not one this API issued.');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw cursorError('The cursor is not one this API issued.');
  const [connection, ordering, key] = parsed as [unknown, unknown, unknown];
  if (connection !== source.connection) throw cursorError('The cursor belongs to another connection.');
  if (ordering !== source.ordering.name) throw cursorError('The cursor was issued for another ordering.');
  const columns = source.ordering.columns;
  const valid =
    Array.isArray(key) &&
    key.length === columns.length &&
    key.every((value, i) => {
      const kind = columns[i]?.kind;
      if (kind === 'int') return Number.isInteger(value);
      if (kind === 'date') return typeof value === 'string' && !Number.isNaN(Date.parse(value));
      return typeof value === 'string';
    });
  if (!valid) throw cursorError('The cursor is not one this API issued.');
  return key as KeyValue[];
}

const flip = (direction: Direction): Direction => (direction === 'asc' ? 'desc' : 'asc');

/** Rows strictly after `key` in `columns` order: (a > x) OR (a = x AND b > y) OR … (a seek predicate). */
function seek(columns: readonly OrderColumn[], key: KeyValue[], side: 'after' | 'before'): Where {
  const value = (i: number) => {
    const column = columns[i] as OrderColumn;
    return column.kind === 'date' ? new Date(key[i] as string) : key[i];
  };
  return {
    OR: columns.map((column, i) => {
      const direction = side === 'after' ? column.direction : flip(column.direction);
      const equal = Object.fromEntries(columns.slice(0, i).map((c, j) => [c.field, value(j)]));
      return { ...equal, [column.field]: { [direction === 'asc' ? 'gt' : 'lt']: value(i) } };
    }),
  };
}

/** The selection's `select`, widened with the ordering columns that cursors are made of. */
function withOrderColumns(query: Record<string, unknown>, ordering: Ordering) {
  if (!query.select || typeof query.select !== 'object') return query;
  const columns = Object.fromEntries(ordering.columns.map((c) => [c.field, true]));
  return { ...query, select: { ...(query.select as object), ...columns } };
}

/**
 * A Relay connection paged by keyset (seek): a cursor holds the ordering key of its row, so rows inserted or deleted
 * between two page requests never shift the next page (no repeats, no gaps). `totalCount` is counted only when asked.
 */
export async function keysetConnection<T extends Row>(
  ctx: Context,
  info: GraphQLResolveInfo,
  typeName: string,
  args: PageArgs,
  where: Where,
  source: KeysetSource<T>,
) {
  checkArgs(args, info.fieldName);
  const query = withOrderColumns(queryFromInfo({ context: ctx, info, path: ['edges', 'node'], typeName }), source.ordering);
  const { columns } = source.ordering;
  const connection = (await resolveCursorConnection(
    {
      args: { first: args.first, last: args.last, after: args.after, before: args.before },
      defaultSize: DEFAULT_PAGE_SIZE,
      maxSize: MAX_PAGE_SIZE,
      toCursor: (row) => encodeCursor(source, row as Row),
    },
    ({ after, before, limit, inverted }) => {
      const bounds = [
        ...(after ? [seek(columns, decodeCursor(source, after), 'after')] : []),
        ...(before ? [seek(columns, decodeCursor(source, before), 'before')] : []),
      ];
      return source.page({
        ...query,
        where: bounds.length ? { AND: [where, ...bounds] } : where,
        orderBy: columns.map((c) => ({ [c.field]: inverted ? flip(c.direction) : c.direction })),
        take: limit,
        ...(args.offset ? { skip: args.offset } : {}),
      });
    },
  )) as KeysetPage<T>;
  let total: Promise<number> | undefined;
  return { ...connection, totalCount: () => (total ??= source.count()) };
}

/** The `totalCount` field of a keyset connection. */
export const totalCountField = { resolve: (connection: { totalCount: () => Promise<number> }) => connection.totalCount() };
