import SchemaBuilder from '@pothos/core';
import { GraphQLError } from 'graphql';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import type PrismaTypes from '../db/generated/pothos-types.ts';
import { getDatamodel } from '../db/generated/pothos-types.ts';
import type { Context } from './context.ts';
import type { UploadValue } from './uploads.ts';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_NODE_IDS = 100;

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    Upload: { Input: Promise<UploadValue>; Output: never };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: { description: 'Anything by its global ID; null when it does not exist or the key cannot see it.' },
    nodesQueryOptions: {
      description: `Several things by global ID (at most ${MAX_NODE_IDS}), in the order asked; null for each missing one.`,
      resolve: (_root, args, _ctx, _info, resolveNodes) => {
        if (args.ids.length > MAX_NODE_IDS) {
          throw new GraphQLError(`nodes takes at most ${MAX_NODE_IDS} ids; got ${args.ids.length}.`, {
            extensions: { code: 'TOO_MANY_IDS', limit: MAX_NODE_IDS },
          });
        }
        return resolveNodes(args.ids);
      },
    },
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    maxConnectionSize: MAX_PAGE_SIZE,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    onUnusedQuery: null,
  },
  // Mutations answer `<Name>Result = <Name>Payload | <typed errors>`: the payload (relayMutationField) is a member
  // of the union itself, with no wrapping success type.
  errors: {
    defaultTypes: [],
    directResult: true,
    defaultUnionOptions: {
      name: ({ parentTypeName, fieldName }) =>
        `${parentTypeName === 'Mutation' ? '' : parentTypeName}${fieldName[0]?.toUpperCase()}${fieldName.slice(1)}Result`,
    },
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
