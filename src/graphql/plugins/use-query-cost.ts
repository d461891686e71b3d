import { type DocumentNode, GraphQLError } from 'graphql';
import { type ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE_SIZE } from '../builder.ts';

/** Costs remembered per parsed document; past this many variable sets, the document's are forgotten. */
const VARIABLE_SETS_PER_DOCUMENT = 64;

/** `nodes(ids:)` costs its children once per id, so a long id list counts like the page it is. */
const nodesEstimator: ComplexityEstimator = ({ args, childComplexity, field }) =>
  field.name === 'nodes' && Array.isArray(args.ids) ? 1 + args.ids.length * Math.max(1, childComplexity) : undefined;

/** A list field costs its children once per item it may return: `first`/`last`, or the default page size. */
const connectionEstimator: ComplexityEstimator = ({ args, childComplexity, field }) => {
  const isConnection = /Connection$/.test(String(field.type).replace(/!$/, ''));
  if (!isConnection) return undefined;
  const size = Number(args.first ?? args.last ?? DEFAULT_PAGE_SIZE);
  return 1 + Math.max(1, size) * childComplexity;
};

/**
 * Refuses operations whose estimated cost is over `maxCost`, before they run. Unlike a depth limit this sees
 * that `datasets(first: 100) { documents(first: 100) { segments(first: 100) ... } }` asks for a million rows.
 */
export function useQueryCost({ maxCost }: { maxCost: number }): Plugin {
  // Parsed documents are cached (the same object for the same text), and a client repeats a few variable sets: the
  // cost is computed once per document, operation and variables.
  const costs = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    onExecute({ args }) {
      const variables = (args.variableValues as Record<string, unknown> | undefined) ?? {};
      const known = costs.get(args.document) ?? new Map<string, number>();
      const key = `${args.operationName ?? ''}\u0000${JSON.stringify(variables)}`;
      let cost = known.get(key);
      if (cost === undefined) {
        try {
          cost = getComplexity({
            schema: args.schema,
            query: args.document,
            operationName: args.operationName ?? undefined,
            variables,
            estimators: [nodesEstimator, connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
          });
        } catch (error) {
          // Variables that do not coerce: execution refuses them with its own (coded) error, before any resolver runs.
          if (error instanceof GraphQLError) return;
          throw error;
        }
        if (known.size >= VARIABLE_SETS_PER_DOCUMENT) known.clear();
        known.set(key, cost);
        costs.set(args.document, known);
      }
      if (cost > maxCost) {
        throw new GraphQLError(`Query cost ${cost} exceeds the maximum of ${maxCost}; ask for smaller pages.`, {
          extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost, http: { status: 400 } },
        });
      }
    },
  };
}
