// graphql-eslint's schema rules (Relay conventions, ids, descriptions, naming) over schema.graphql: zero findings,
// with each exception below and its reason.
import graphqlPlugin from '@graphql-eslint/eslint-plugin';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Types without an `id`, and why: none of them is an entity a client cache should key. */
const TYPES_WITHOUT_ID = {
  suffixes: [
    'Connection', // a page of a list, not an entity
    'Edge', // an item's place in one page
    'Payload', // what a mutation answers: it carries the written objects (which have ids), it is not one itself
    'Success', // a query's result wrapper around what it found
  ],
  types: [
    'PageInfo', // Relay's page metadata
    // Typed errors: values describing one failed call.
    'ArchivedDocument', 'DatasetNameTaken', 'DocumentIndexing', 'FileTooLarge', 'ForbiddenError', 'InvalidAction',
    'ModelNotAvailableError', 'NotFoundError', 'ProviderNotInitialized', 'UnsupportedFileType', 'ValidationError',
    'ValidationIssue',
    // Value objects embedded in an entity (keyed through their parent by normalized caches).
    'DocumentMetadataValue', 'DownloadableFile', 'ExternalRetrievalModel', 'KeywordSetting',
    'RerankingModel', 'RetrievalModel', 'RetrievalWeights', 'SummaryIndexSetting', 'VectorSetting',
    // Snapshots and search results: each event or search is new, there is nothing to update in place.
    'IndexingProgress', 'RetrievalRecord', 'RetrievalResult',
    // Configuration listings (models come from the environment, not from rows).
    'ModelInfo', 'ProviderModels',
  ],
};

describe('graphql-eslint schema rules', () => {
  it('finds nothing in schema.graphql', async () => {
    const eslint = new ESLint({
      cwd: ROOT,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['schema.graphql'],
          languageOptions: { parser: graphqlPlugin.parser, parserOptions: { graphQLConfig: { schema: 'schema.graphql' } } },
          plugins: { '@graphql-eslint': graphqlPlugin as unknown as ESLint.Plugin },
          rules: {
            '@graphql-eslint/relay-connection-types': 'error',
            '@graphql-eslint/relay-page-info': 'error',
            '@graphql-eslint/relay-arguments': ['error', { includeBoth: true }],
            // Short lists (a dataset's tags, a mutation's documents) are plain lists by design, not connections.
            '@graphql-eslint/relay-edge-types': ['error', { withEdgeSuffix: true, shouldImplementNode: true, listTypeCanWrapOnlyEdgeType: false }],
            '@graphql-eslint/strict-id-in-types': ['error', { acceptedIdNames: ['id'], acceptedIdTypes: ['ID'], exceptions: TYPES_WITHOUT_ID }],
            '@graphql-eslint/require-description': [
              'error',
              { types: true, rootField: true, FieldDefinition: true, InputValueDefinition: true, EnumValueDefinition: true },
            ],
            '@graphql-eslint/naming-convention': [
              'error',
              { types: 'PascalCase', FieldDefinition: 'camelCase', InputValueDefinition: 'camelCase', Argument: 'camelCase', EnumValueDefinition: 'UPPER_CASE' },
            ],
          },
        },
      ],
    });
    const [result] = await eslint.lintFiles(['schema.graphql']);
    const findings = (result?.messages ?? []).map((m) => `${m.ruleId} line ${m.line}: ${m.message}`);
    expect(findings).toEqual([]);
  }, 60_000);
});
