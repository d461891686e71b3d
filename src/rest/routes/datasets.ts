import {
  RestCreateDatasetDocument,
  RestDeleteDatasetDocument,
  RestGetDatasetDocument,
  RestListDatasetsDocument,
  RestUpdateDatasetDocument,
} from '../../generated/graphql.ts';
import { offsetCursor, pathParam, payloadOf, type RestRouter, UUID_PARAM, written } from '../router.ts';
import { RestError, notFound } from '../errors.ts';
import { runOperation } from '../execute.ts';
import { pageParams, queryFlag, readJsonObject } from '../request.ts';
import { createDatasetInput, toDifyDataset, updateDatasetInput } from '../shapes/dataset.ts';

const DATASET_NAME_DUPLICATE = new RestError(
  409,
  'dataset_name_duplicate',
  'The dataset name already exists. Please modify your dataset name.',
);

export function datasetRoutes(router: RestRouter) {
  router.route('/datasets', {
    GET: async (c) => {
      const { page, limit, offset } = pageParams(c);
      const tagIds = c.req.queries('tag_ids')?.filter(Boolean);
      const data = await runOperation(c.var.gql, RestListDatasetsDocument, {
        first: limit,
        after: offsetCursor(offset),
        keyword: c.req.query('keyword') || null,
        tagIds: tagIds?.length ? tagIds : null,
        includeAll: queryFlag(c.req.query('include_all')),
      });
      const total = data.datasets.totalCount;
      return c.json({
        data: data.datasets.edges.map((edge) => toDifyDataset(edge.node)),
        has_more: page * limit < total,
        limit,
        total,
        page,
      });
    },
    POST: async (c) => {
      const input = createDatasetInput(await readJsonObject(c));
      const { createDataset: result } = await runOperation(c.var.gql, RestCreateDatasetDocument, { input } as never);
      if (result.__typename === 'DatasetNameTaken') throw DATASET_NAME_DUPLICATE;
      return c.json(toDifyDataset(written(payloadOf(result, 'CreateDatasetPayload').dataset)));
    },
  });

  router.route(`/datasets/:dataset_id${UUID_PARAM}`, {
    GET: async (c) => {
      const data = await runOperation(c.var.gql, RestGetDatasetDocument, { id: pathParam(c, 'dataset_id') });
      if (!data.dataset) throw notFound('Dataset not found.');
      return c.json(toDifyDataset(data.dataset));
    },
    PATCH: async (c) => {
      const input = updateDatasetInput(await readJsonObject(c));
      const { updateDataset: result } = await runOperation(c.var.gql, RestUpdateDatasetDocument, {
        input: { ...input, datasetId: pathParam(c, 'dataset_id') },
      } as never);
      const { dataset } = payloadOf(result, 'UpdateDatasetPayload');
      return c.json(toDifyDataset(written(dataset), { partialMembers: 'always' }));
    },
    DELETE: async (c) => {
      const { deleteDataset: result } = await runOperation(c.var.gql, RestDeleteDatasetDocument, {
        id: pathParam(c, 'dataset_id'),
      });
      payloadOf(result, 'DeleteDatasetPayload');
      return c.body(null, 204);
    },
  });
}
