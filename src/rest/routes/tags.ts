import type { Context as HonoContext } from 'hono';
import {
  RestBindTagsDocument,
  RestCreateTagDocument,
  RestDatasetTagsDocument,
  RestDeleteTagDocument,
  RestListTagsDocument,
  RestRenameTagDocument,
  RestUnbindTagsDocument,
  type TagFieldsFragment,
} from '../../generated/graphql.ts';
import { invalidParam, notFound } from '../errors.ts';
import { runOperation } from '../execute.ts';
import { requiredString } from '../fields.ts';
import { readJsonObject } from '../request.ts';
import { pathParam, payloadOf, type RestEnv, type RestRouter, UUID_PARAM, written } from '../router.ts';

type C = HonoContext<RestEnv>;

/** Dify's tag JSON; `binding_count` is a string, as current Dify sends it. */
const toDifyTag = (tag: TagFieldsFragment) => ({ id: tag.uuid, name: tag.name, type: tag.type, binding_count: String(tag.bindingCount) });



const tagIds = (body: Record<string, unknown>) => {
  const ids = body.tag_ids ?? (typeof body.tag_id === 'string' ? [body.tag_id] : undefined);
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) throw invalidParam('Tag IDs is required.');
  return ids as string[];
};

async function datasetTags(c: C) {
  const data = await runOperation(c.var.gql, RestDatasetTagsDocument, { datasetId: pathParam(c, 'dataset_id') });
  if (!data.dataset) throw notFound('Dataset not found.');
  return c.json({ data: data.dataset.tags.map((t) => ({ id: t.uuid, name: t.name })), total: data.dataset.tags.length });
}

export function tagRoutes(router: RestRouter) {
  router.route('/datasets/tags', {
    GET: async (c) => {
      const data = await runOperation(c.var.gql, RestListTagsDocument, {});
      return c.json(data.tags.map(toDifyTag));
    },
    POST: async (c) => {
      const body = await readJsonObject(c);
      const { createTag: result } = await runOperation(c.var.gql, RestCreateTagDocument, { name: requiredString(body, 'name') });
      return c.json(toDifyTag(written(payloadOf(result, 'CreateTagPayload').tag)));
    },
    PATCH: async (c) => {
      const body = await readJsonObject(c);
      const { renameTag: result } = await runOperation(c.var.gql, RestRenameTagDocument, {
        tagId: requiredString(body, 'tag_id'),
        name: requiredString(body, 'name'),
      });
      return c.json(toDifyTag(written(payloadOf(result, 'RenameTagPayload').tag)));
    },
    DELETE: async (c) => {
      const body = await readJsonObject(c);
      const { deleteTag: result } = await runOperation(c.var.gql, RestDeleteTagDocument, { tagId: requiredString(body, 'tag_id') });
      payloadOf(result, 'DeleteTagPayload');
      return c.json({ result: 'success' });
    },
  });
  router.route('/datasets/tags/binding', {
    POST: async (c) => {
      const body = await readJsonObject(c);
      const { bindTags: result } = await runOperation(c.var.gql, RestBindTagsDocument, {
        datasetId: requiredString(body, 'target_id'),
        tagIds: tagIds(body),
      });
      payloadOf(result, 'BindTagsPayload');
      return c.json({ result: 'success' });
    },
  });
  router.route('/datasets/tags/unbinding', {
    POST: async (c) => {
      const body = await readJsonObject(c);
      const { unbindTags: result } = await runOperation(c.var.gql, RestUnbindTagsDocument, {
        datasetId: requiredString(body, 'target_id'),
        tagIds: tagIds(body),
      });
      payloadOf(result, 'UnbindTagsPayload');
      return c.json({ result: 'success' });
    },
  });
  router.route(`/datasets/:dataset_id${UUID_PARAM}/tags`, { GET: datasetTags, POST: datasetTags });
}
