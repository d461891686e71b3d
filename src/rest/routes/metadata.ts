import {
  RestCreateMetadataFieldDocument,
  RestDeleteMetadataFieldDocument,
  RestListMetadataDocument,
  RestRenameMetadataFieldDocument,
  RestSetBuiltInMetadataDocument,
  RestSetDocumentsMetadataDocument,
} from '../../generated/graphql.ts';
import { invalidParam, notFound } from '../errors.ts';
import { runOperation } from '../execute.ts';
import { dictionary, list, requiredString } from '../fields.ts';
import { readJsonObject } from '../request.ts';
import { pathParam, payloadOf, type RestRouter, UUID_PARAM, written } from '../router.ts';
import { pick } from '../shapes/convert.ts';

const DATASET = `/datasets/:dataset_id${UUID_PARAM}`;
type Field = { id: string; name: string; type: string };

const fieldJson = (field: Field | null) => {
  const { id, type, name } = written(field);
  return { id, type, name };
};

/**
 * One entry of `operation_data`. `metadata_list` is required (current Dify): a body without it must never erase a
 * document's values.
 */
const metadataOperation = (op: unknown, i: number) => {
  const at = `operation_data.${i}`;
  const item = dictionary(op, at);
  requiredString(item, 'document_id', `${at}.document_id`);
  const values = list(item.metadata_list, `${at}.metadata_list`).map((m, j) => {
    const value = dictionary(m, `${at}.metadata_list.${j}`);
    return pick(value, { id: ['id'], name: ['name'], value: ['value'] });
  });
  if (item.partial_update !== undefined && item.partial_update !== null && typeof item.partial_update !== 'boolean') {
    throw invalidParam(`${at}.partial_update: Input should be a valid boolean`);
  }
  return { ...(pick(item, { document_id: ['documentId'], partial_update: ['partialUpdate'] }) as Record<string, unknown>), metadataList: values };
};

export function metadataRoutes(router: RestRouter) {
  router.route(`${DATASET}/metadata`, {
    GET: async (c) => {
      const data = await runOperation(c.var.gql, RestListMetadataDocument, { datasetId: pathParam(c, 'dataset_id') });
      if (!data.dataset) throw notFound('Dataset not found.');
      return c.json({
        doc_metadata: data.dataset.metadataFields.map((f) => ({ id: f.id, name: f.name, type: f.type, count: f.count, use_count: f.count })),
        built_in_field_enabled: data.dataset.builtInFieldEnabled,
      });
    },
    POST: async (c) => {
      const body = await readJsonObject(c);
      const { createMetadataField: result } = await runOperation(c.var.gql, RestCreateMetadataFieldDocument, {
        datasetId: pathParam(c, 'dataset_id'),
        type: requiredString(body, 'type'),
        name: requiredString(body, 'name'),
      });
      return c.json(fieldJson(payloadOf(result, 'CreateMetadataFieldPayload').metadataField), 201);
    },
  });

  router.route(`${DATASET}/metadata/:metadata_id${UUID_PARAM}`, {
    PATCH: async (c) => {
      const body = await readJsonObject(c);
      const { renameMetadataField: result } = await runOperation(c.var.gql, RestRenameMetadataFieldDocument, {
        datasetId: pathParam(c, 'dataset_id'),
        metadataId: pathParam(c, 'metadata_id'),
        name: requiredString(body, 'name'),
      });
      return c.json(fieldJson(payloadOf(result, 'RenameMetadataFieldPayload').metadataField));
    },
    DELETE: async (c) => {
      const { deleteMetadataField: result } = await runOperation(c.var.gql, RestDeleteMetadataFieldDocument, {
        datasetId: pathParam(c, 'dataset_id'),
        metadataId: pathParam(c, 'metadata_id'),
      });
      payloadOf(result, 'DeleteMetadataFieldPayload');
      return c.body(null, 204);
    },
  });

  router.route(`${DATASET}/metadata/built-in`, {
    GET: async (c) => {
      const data = await runOperation(c.var.gql, RestListMetadataDocument, { datasetId: pathParam(c, 'dataset_id') });
      if (!data.dataset) throw notFound('Dataset not found.');
      return c.json({ fields: data.dataset.builtInMetadataFields });
    },
  });

  router.route(`${DATASET}/metadata/built-in/:action`, {
    POST: async (c) => {
      const action = pathParam(c, 'action');
      const datasetId = pathParam(c, 'dataset_id');
      if (action !== 'enable' && action !== 'disable') {
        // Dify does nothing for other actions and still answers success; the dataset must exist all the same.
        const data = await runOperation(c.var.gql, RestListMetadataDocument, { datasetId });
        if (!data.dataset) throw notFound('Dataset not found.');
        return c.json({ result: 'success' });
      }
      const { setBuiltInMetadataFields: result } = await runOperation(c.var.gql, RestSetBuiltInMetadataDocument, {
        datasetId,
        enabled: action === 'enable',
      });
      payloadOf(result, 'SetBuiltInMetadataFieldsPayload');
      return c.json({ result: 'success' });
    },
  });

  router.route(`${DATASET}/documents/metadata`, {
    POST: async (c) => {
      const body = await readJsonObject(c);
      const operations = list(body.operation_data, 'operation_data').map(metadataOperation);
      const { setDocumentsMetadata: result } = await runOperation(c.var.gql, RestSetDocumentsMetadataDocument, {
        datasetId: pathParam(c, 'dataset_id'),
        operations,
      } as never);
      payloadOf(result, 'SetDocumentsMetadataPayload');
      return c.json({ result: 'success' });
    },
  });
}
