import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Issue 8, item 8: a key restricted to chosen datasets cannot change workspace tags or count hidden bindings. */
describe('tags and dataset-restricted keys', () => {
  let server: TestServer;
  let full: string;
  let narrow: string;
  let tagId: string;
  let hidden: string;

  const bindings = () => server.prisma.tagBinding.count({ where: { tagId } });

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_WORKER: 'off' });
    full = await server.createKey('tags-scope');
    const visible = (await server.rest('POST', '/v1/datasets', { key: full, json: { name: 'visible' } })).body.id;
    hidden = (await server.rest('POST', '/v1/datasets', { key: full, json: { name: 'hidden' } })).body.id;
    tagId = (await server.rest('POST', '/v1/datasets/tags', { key: full, json: { name: 'shared' } })).body.id;
    for (const target of [visible, hidden]) {
      const bound = await server.rest('POST', '/v1/datasets/tags/binding', { key: full, json: { tag_ids: [tagId], target_id: target } });
      expect(bound.status).toBe(200);
    }
    narrow = await server.createKey('tags-scope', [visible]);
  });
  afterAll(() => server.close());

  it('REST: counts only the bindings on datasets the key can see', async () => {
    const asNarrow = await server.rest('GET', '/v1/datasets/tags', { key: narrow });
    expect(asNarrow.body).toEqual([{ id: tagId, name: 'shared', type: 'knowledge', binding_count: '1' }]);
    const asFull = await server.rest('GET', '/v1/datasets/tags', { key: full });
    expect(asFull.body[0].binding_count).toBe('2');
  });

  it('REST: refuses to create, rename or delete a tag, and leaves every binding in place', async () => {
    const forbidden = { code: 'forbidden', status: 403 };
    const created = await server.rest('POST', '/v1/datasets/tags', { key: narrow, json: { name: 'new' } });
    expect(created.body).toMatchObject(forbidden);
    const renamed = await server.rest('PATCH', '/v1/datasets/tags', { key: narrow, json: { tag_id: tagId, name: 'renamed' } });
    expect(renamed.body).toMatchObject(forbidden);
    const deleted = await server.rest('DELETE', '/v1/datasets/tags', { key: narrow, json: { tag_id: tagId } });
    expect(deleted.body).toMatchObject(forbidden);
    expect(await bindings()).toBe(2);
    expect(await server.prisma.tag.findMany({ select: { name: true } })).toEqual([{ name: 'shared' }]);
  });

  it('REST: may still unbind on its own dataset but not on a hidden one', async () => {
    const foreign = await server.rest('POST', '/v1/datasets/tags/unbinding', { key: narrow, json: { tag_id: tagId, target_id: hidden } });
    expect(foreign.status).toBe(404);
    expect(await bindings()).toBe(2);
  });

  it('GraphQL: the same rules', async () => {
    const list = await server.gql(narrow, '{ tags { uuid bindingCount } }');
    expect(list.body.data).toEqual({ tags: [{ uuid: tagId, bindingCount: 1 }] });
    const fullList = await server.gql(full, '{ tags { uuid bindingCount } }');
    expect(fullList.body.data).toEqual({ tags: [{ uuid: tagId, bindingCount: 2 }] });
    for (const mutation of [
      'mutation { result: createTag(input: { name: "gql" }) { __typename ... on Error { message } } }',
      `mutation { result: renameTag(input: { tagId: "${tagId}", name: "gql" }) { __typename ... on Error { message } } }`,
      `mutation { result: deleteTag(input: { tagId: "${tagId}" }) { __typename ... on Error { message } } }`,
    ]) {
      const res = await server.gql(narrow, mutation);
      expect(res.body.errors, mutation).toBeUndefined();
      expect((res.body.data as { result: { __typename: string } }).result.__typename, mutation).toBe('ForbiddenError');
    }
    expect(await bindings()).toBe(2);
  });
});
