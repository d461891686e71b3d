import { queryFromInfo } from '@pothos/plugin-prisma';
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './builder.ts';
import type { Context } from './context.ts';

interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** The Prisma `select`/`include` that the connection's `edges.node` selection needs (spread into findMany). */
type NodeQuery = object;

/**
 * A Relay connection over an ordered list with `totalCount`, paged by offset (the REST layer maps Dify's page/limit
 * to `first`/`after`): counts the rows, then fetches one page with exactly the fields the query selects.
 */
export async function offsetConnection<T>(
  ctx: Context,
  info: GraphQLResolveInfo,
  typeName: string,
  args: PageArgs,
  rows: { count: () => Promise<number>; page: (query: NodeQuery, skip: number, take: number) => Promise<T[]> },
) {
  const totalCount = await rows.count();
  const query: NodeQuery = queryFromInfo({ context: ctx, info, path: ['edges', 'node'], typeName });
  const connection = await resolveOffsetConnection(
    { args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE, totalCount },
    ({ limit, offset }) => rows.page(query, offset, limit),
  );
  return { ...connection, totalCount };
}
