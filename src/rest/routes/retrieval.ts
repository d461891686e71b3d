import type { Context as HonoContext } from 'hono';
import { type RestRetrieveQuery, RestRetrieveDocument } from '../../generated/graphql.ts';
import { invalidParam } from '../errors.ts';
import { runOperation } from '../execute.ts';
import { readJsonObject } from '../request.ts';
import { pathParam, type RestEnv, type RestRouter, UUID_PARAM, writeErrorToRest } from '../router.ts';
import { pick } from '../shapes/convert.ts';
import { toDifyRetrievedSegment } from '../shapes/segment.ts';
import { retrievalModelInput } from '../shapes/dataset.ts';

type Retrieved = Extract<RestRetrieveQuery['retrieve'], { __typename: 'QueryRetrieveSuccess' }>['data'];
type FoundRecord = Retrieved['records'][number] & { segment: NonNullable<Retrieved['records'][number]['segment']> };

export const metadataFilterInput = (value: unknown) =>
  pick(value, {
    logical_operator: ['logicalOperator'],
    conditions: [
      'conditions',
      (list) =>
        Array.isArray(list)
          ? list.map((c) => pick(c, { name: ['name'], comparison_operator: ['comparisonOperator'], value: ['value'] }))
          : list,
    ],
  });

export const toDifyRecord = (record: FoundRecord) => {
  const s = record.segment;
  return {
    segment: {
      ...toDifyRetrievedSegment(s),
      document: {
        id: s.document.uuid,
        data_source_type: s.document.dataSourceType,
        name: s.document.name,
        doc_type: s.document.docType,
        doc_metadata: s.document.docMetadata ?? null,
      },
    },
    child_chunks: record.childChunks.map((c) => ({ id: c.id, content: c.content, position: c.position, score: c.score })),
    score: record.score,
    tsne_position: null,
    files: [],
    summary: null,
  };
};

/** Runs the retrieve operation for a REST body in Dify's form; shared by /retrieve, /hit-testing and /retrieval. */
export async function runRetrieve(c: HonoContext<RestEnv>, datasetId: string, query: unknown, retrievalModel: unknown) {
  if (typeof query !== 'string' || query === '') throw invalidParam('Query is required');
  const model = retrievalModel && typeof retrievalModel === 'object' ? (retrievalModel as Record<string, unknown>) : null;
  const { retrieve: result } = await runOperation(c.var.gql, RestRetrieveDocument, {
    datasetId,
    query,
    retrievalModel: model ? retrievalModelInput(model) : null,
    metadataFilter: model?.metadata_filtering_conditions ? metadataFilterInput(model.metadata_filtering_conditions) : null,
  } as never);
  if (result.__typename !== 'QueryRetrieveSuccess') throw writeErrorToRest(result as { __typename: string; message: string });
  const { data } = result as Extract<RestRetrieveQuery['retrieve'], { __typename: 'QueryRetrieveSuccess' }>;
  // A segment deleted between the search and the answer is left out, as if it had not been found.
  return { ...data, records: data.records.filter((r): r is FoundRecord => r.segment !== null) };
}

export function retrievalRoutes(router: RestRouter) {
  for (const action of ['retrieve', 'hit-testing']) {
    router.route(`/datasets/:dataset_id${UUID_PARAM}/${action}`, {
      POST: async (c) => {
        const body = await readJsonObject(c);
        const data = await runRetrieve(c, pathParam(c, 'dataset_id'), body.query, body.retrieval_model);
        return c.json({ query: { content: data.query }, records: data.records.map(toDifyRecord) });
      },
    });
  }
}
