// Descriptions for the parts of the schema that follow a convention (plugin-generated payload, result, edge and
// connection types, Relay's own fields, id arguments and input fields, timestamps), written once here rather than on each of dozens of fields.
// Anything described in code keeps its own description.
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
} from 'graphql';

const lowerFirst = (name: string) => `${name.slice(0, 1).toLowerCase()}${name.slice(1)}`;
const words = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** `datasetId` → "dataset", `childChunkIds` → "child chunks". */
function idArgument(name: string): string | null {
  const many = /^(\w+)Ids$/.exec(name);
  if (many?.[1]) return `The ${words(many[1])}s (global IDs or UUIDs).`;
  const one = /^(\w+)Id$/.exec(name);
  return one?.[1] ? `The ${words(one[1])} (global ID or UUID).` : null;
}

const ARGUMENTS: Record<string, string> = {
  id: 'The global ID (or the plain UUID where the type is known).',
  ids: 'Global IDs, at most 100.',
  first: 'Returns the first n items (at most 100).',
  last: 'Returns the last n items (at most 100).',
  after: 'Returns the items after this cursor (from the same connection and ordering).',
  before: 'Returns the items before this cursor (from the same connection and ordering).',
  input: 'The fields to write.',
  file: 'The file, as a part of a multipart request.',
};

const FIELDS: Record<string, string> = {
  uuid: 'The plain UUID, as the REST API shows it.',
  createdAt: 'When it was created.',
  updatedAt: 'When it last changed.',
  createdBy: 'The account that created it (UUID).',
  updatedBy: 'The account that last changed it (UUID).',
  position: 'Its place in its list, from 1.',
  wordCount: 'Characters of its content, as Dify counts words.',
  content: 'The text.',
  enabled: 'False when disabled: retrieval skips it.',
  disabledAt: 'When it was disabled.',
  disabledBy: 'The account that disabled it (UUID).',
  completedAt: 'When indexing completed.',
  stoppedAt: 'When indexing stopped on an error.',
  error: 'Why indexing failed.',
  name: 'The name.',
  keywords: 'Keywords for keyword search.',
  answer: 'The answer (question-and-answer documents).',
  tokens: 'Tokens of its content.',
  hitCount: 'How often retrieval returned it.',
  docLanguage: 'The language of the document, when known.',
  embeddingModel: 'The embedding model name.',
  embeddingModelProvider: 'The embedding model provider.',
  retrievalModel: 'Retrieval settings.',
  topK: 'How many results at most.',
  scoreThreshold: 'The lowest score a result may have.',
  scoreThresholdEnabled: 'Whether scoreThreshold applies.',
  description: 'A description for people.',
  processRule: 'How to clean and split.',
  indexingTechnique: 'Embeddings (HIGH_QUALITY) or keywords only (ECONOMY).',
  permission: 'Who in the workspace may see it.',
  provider: 'Where it lives: here (VENDOR) or an external knowledge API.',
  summaryIndexSetting: 'Summary index settings (stored for Dify clients).',
  externalKnowledgeId: 'The knowledge base id at the external knowledge API.',
  externalKnowledgeApiId: 'The external knowledge API to use.',
  externalRetrievalModel: 'Retrieval settings of the external knowledge base.',
  rerankingEnable: 'Whether results are reranked by a rerank model.',
  rerankingMode: 'How hybrid results are combined.',
  rerankingModel: 'The rerank model.',
  rerankingModelName: 'The rerank model name.',
  rerankingProviderName: 'The rerank model provider.',
  searchMethod: 'How to search.',
  weights: 'Weights of a weighted hybrid search.',
  weightType: 'A preset of weights.',
  keywordSetting: 'The keyword part of the score.',
  vectorSetting: 'The semantic part of the score.',
  keywordWeight: 'The weight of the keyword score, 0 to 1.',
  vectorWeight: 'The weight of the semantic score, 0 to 1.',
  embeddingModelName: 'The embedding model name.',
  embeddingProviderName: 'The embedding model provider.',
  enable: 'Whether it is on.',
  modelName: 'The model name.',
  modelProviderName: 'The model provider.',
  summaryPrompt: 'The prompt for summaries.',
  processingStartedAt: 'When a worker started indexing.',
  parsingCompletedAt: 'When text extraction finished.',
  cleaningCompletedAt: 'When cleaning finished.',
  splittingCompletedAt: 'When splitting finished.',
  pausedAt: 'When indexing was paused.',
  batch: 'The batch: the documents of one create request, to follow with indexingProgress.',
  document: 'The document.',
  segment: 'The segment.',
  dataset: 'The dataset.',
  query: 'The query text.',
  score: 'The score: higher is better.',
  message: 'For people.',
  text: 'The text of the document.',
  rules: 'The rules.',
  segmentation: 'How to cut into chunks.',
  subchunkSegmentation: 'How to cut parent segments into child chunks (hierarchical).',
  preProcessingRules: 'Cleaning rules to turn on or off.',
  conditions: 'The conditions.',
  model: 'The model name.',
  modelType: 'The model type.',
  models: 'Its configured models.',
  records: 'The segments found, best first.',
  type: 'Its type.',
};

function describeField(
  typeName: string,
  field: GraphQLField<unknown, unknown> | { name: string; description?: string | null },
  isNode = false,
) {
  if (field.description) return;
  if (/^Query\w+Success$/.test(typeName) && field.name === 'data') {
    field.description = 'What the operation wrote or found.';
  } else if (/Edge$/.test(typeName)) {
    field.description = field.name === 'cursor' ? 'Pass as `after` (or `before`) to page from here.' : 'The item.';
  } else if (/Connection$/.test(typeName)) {
    field.description = field.name === 'edges' ? 'The items of the page, with their cursors.' : 'Where the page is in the list.';
  } else if (typeName === 'PageInfo') {
    field.description = {
      hasNextPage: 'More items follow the page.',
      hasPreviousPage: 'More items precede the page.',
      startCursor: 'The cursor of the first item.',
      endCursor: 'The cursor of the last item.',
    }[field.name];
  } else if (field.name === 'id' && isNode) {
    field.description = 'The global ID: pass it to node(id:), and use it as the cache key.';
  } else {
    field.description = FIELDS[field.name];
  }
}

function describeArgument(argument: GraphQLArgument) {
  argument.description ??= ARGUMENTS[argument.name] ?? idArgument(argument.name);
}

export function describeByConvention(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const operation = /^(Query)?(\w+?)(Success|Payload|Result)$/.exec(type.name);
    const mutation = operation && lowerFirst(operation[2] ?? '');
    if (!type.description) {
      if (operation?.[3] === 'Success' || operation?.[3] === 'Payload') type.description = `What ${mutation} answers when it succeeds.`;
      else if (operation?.[3] === 'Result' && isUnionType(type)) type.description = `What ${mutation} answers: its ${operation[1] ? 'success type' : 'payload'} or a typed error.`;
      else if (type.name.endsWith('ConnectionEdge')) type.description = `An item of a ${type.name.replace('ConnectionEdge', '')} page.`;
      else if (type.name.endsWith('Connection')) type.description = `A page of ${words(type.name.replace('Connection', ''))}s.`;
      else if (type.name === 'PageInfo') type.description = 'Where a page is in its list (Relay).';
      else if (type.name === 'Node') type.description = 'Anything with a global ID, refetchable with node(id:).';
      else if (type.name === 'Query') type.description = 'Reads.';
      else if (type.name === 'Mutation') type.description = 'Writes; each answers its result or a typed error.';
      else if (type.name === 'Subscription') type.description = 'Streams.';
    }
    if (isObjectType(type) || isInterfaceType(type)) {
      const isNode = type.name === 'Node' || type.getInterfaces().some((i) => i.name === 'Node');
      for (const field of Object.values(type.getFields())) {
        describeField(type.name, field, isNode);
        for (const argument of field.args) describeArgument(argument);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        describeField(type.name, field);
        field.description ??= ARGUMENTS[field.name] ?? idArgument(field.name);
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) value.description ??= `Dify's \`${String(value.value)}\`.`;
    }
    if (isUnionType(type)) type.description ??= `One of: ${type.getTypes().map((t) => t.name).join(', ')}.`;
  }
  return schema;
}
