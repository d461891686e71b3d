import { INDEXING_TECHNIQUES, PERMISSIONS, PROVIDERS } from '../domain/datasets/input.ts';
import { RERANKING_MODES, SEARCH_METHODS, WEIGHT_TYPES } from '../domain/datasets/retrieval-model.ts';
import { builder } from './builder.ts';

/** GraphQL enums spelled in GraphQL's style whose internal values are Dify's snake_case strings. */
export const difyEnum = <const V extends readonly string[]>(name: string, values: V, description?: string) =>
  builder.enumType(name, {
    description,
    values: Object.fromEntries(values.map((value) => [value.toUpperCase().replace(/-/g, '_'), { value }])) as {
      [K in V[number]]: { value: K };
    },
  });

export const SearchMethod = difyEnum('SearchMethod', SEARCH_METHODS, 'How retrieval searches.');
export const RerankingMode = difyEnum('RerankingMode', RERANKING_MODES, 'How hybrid results are combined.');
export const WeightType = difyEnum('WeightType', WEIGHT_TYPES, 'A preset of hybrid weights.');
export const IndexingTechnique = difyEnum('IndexingTechnique', INDEXING_TECHNIQUES, 'How a dataset is indexed: embeddings (high quality) or keywords only (economy).');
export const DatasetPermission = difyEnum('DatasetPermission', PERMISSIONS, 'Who in the workspace may see a dataset.');
export const DatasetProvider = difyEnum('DatasetProvider', PROVIDERS, 'Where a dataset lives: here (vendor) or an external knowledge API.');

/** Enums whose values each carry a description (Dify's string is the internal value). */
const describedEnum = <const V extends string>(name: string, description: string, values: Record<string, [V, string]>) =>
  builder.enumType(name, {
    description,
    values: Object.fromEntries(
      Object.entries(values).map(([key, [value, text]]) => [key, { value, description: text }]),
    ) as { [K in keyof typeof values]: { value: V; description: string } },
  });

export const IndexingStatus = describedEnum('IndexingStatus', 'Where a document is in indexing, in stage order.', {
  WAITING: ['waiting', 'Queued; no worker has started on it.'],
  PARSING: ['parsing', 'Its text is being extracted.'],
  CLEANING: ['cleaning', 'Its text is being cleaned.'],
  SPLITTING: ['splitting', 'Its text is being split into segments.'],
  INDEXING: ['indexing', 'Its segments are being embedded and indexed.'],
  COMPLETED: ['completed', 'Indexed and searchable.'],
  ERROR: ['error', 'Indexing failed; see the error.'],
  PAUSED: ['paused', 'Paused by a user.'],
});

export const DocumentDisplayStatus = describedEnum('DocumentDisplayStatus', "A document's state as Dify's UI shows it.", {
  QUEUING: ['queuing', 'Waiting for indexing.'],
  INDEXING: ['indexing', 'Being indexed.'],
  PAUSED: ['paused', 'Indexing paused.'],
  ERROR: ['error', 'Indexing failed.'],
  AVAILABLE: ['available', 'Indexed, enabled and not archived: retrieval finds it.'],
  DISABLED: ['disabled', 'Indexed but disabled.'],
  ARCHIVED: ['archived', 'Archived.'],
});

export const DocForm = describedEnum('DocForm', 'How a document is chunked.', {
  TEXT_MODEL: ['text_model', 'Plain segments.'],
  HIERARCHICAL_MODEL: ['hierarchical_model', 'Parent segments with child chunks (parent-child retrieval).'],
  QA_MODEL: ['qa_model', 'Question and answer pairs.'],
});

export const SegmentStatus = describedEnum('SegmentStatus', 'Where a segment is in indexing.', {
  WAITING: ['waiting', 'Not indexed yet.'],
  INDEXING: ['indexing', 'Being indexed.'],
  COMPLETED: ['completed', 'Indexed.'],
  ERROR: ['error', 'Indexing failed.'],
  RE_SEGMENT: ['re_segment', 'To be replaced by a new split of its document.'],
});

export const ProcessRuleMode = describedEnum('ProcessRuleMode', 'How a document is cleaned and split.', {
  AUTOMATIC: ['automatic', "Dify's default rules."],
  CUSTOM: ['custom', 'The rules given.'],
  HIERARCHICAL: ['hierarchical', 'Parent segments and child chunks, with the rules given.'],
});

export const ParentMode = describedEnum('ParentMode', 'What a parent segment is, in hierarchical mode.', {
  PARAGRAPH: ['paragraph', 'Each paragraph (split by the segmentation rule).'],
  FULL_DOC: ['full-doc', 'The whole document.'],
});

export const DocumentStatusAction = describedEnum('DocumentStatusAction', 'A change applied to several documents at once.', {
  ENABLE: ['enable', 'Make retrieval find them again.'],
  DISABLE: ['disable', 'Hide them from retrieval (indexed documents only).'],
  ARCHIVE: ['archive', 'Archive them (hidden from retrieval, read-only).'],
  UN_ARCHIVE: ['un_archive', 'Bring them back from the archive.'],
});

export const MetadataType = describedEnum('MetadataType', 'The type of a metadata field.', {
  STRING: ['string', 'Text.'],
  NUMBER: ['number', 'A number.'],
  TIME: ['time', 'A time, as Unix seconds.'],
});

export const DataSourceType = describedEnum('DataSourceType', 'Where a document came from.', {
  UPLOAD_FILE: ['upload_file', 'An uploaded file or text.'],
  NOTION_IMPORT: ['notion_import', 'A Notion page.'],
  WEBSITE_CRAWL: ['website_crawl', 'A crawled web page.'],
});

export const LogicalOperator = describedEnum('LogicalOperator', 'How metadata conditions combine.', {
  AND: ['and', 'Every condition holds.'],
  OR: ['or', 'At least one condition holds.'],
});

export const ComparisonOperator = describedEnum('ComparisonOperator', 'How a metadata condition compares.', {
  CONTAINS: ['contains', 'The string contains the value.'],
  NOT_CONTAINS: ['not contains', 'The string does not contain the value.'],
  START_WITH: ['start with', 'The string starts with the value.'],
  END_WITH: ['end with', 'The string ends with the value.'],
  IS: ['is', 'The string equals the value.'],
  IS_NOT: ['is not', 'The string differs from the value.'],
  EQ: ['=', 'The number equals the value.'],
  NE: ['≠', 'The number differs from the value.'],
  EMPTY: ['empty', 'No value.'],
  NOT_EMPTY: ['not empty', 'Any value.'],
  GT: ['>', 'The number is greater.'],
  LT: ['<', 'The number is smaller.'],
  GE: ['≥', 'The number is greater or equal.'],
  LE: ['≤', 'The number is smaller or equal.'],
  AFTER: ['after', 'The time is later.'],
  BEFORE: ['before', 'The time is earlier.'],
  IN: ['in', 'The value is one of the list.'],
  NOT_IN: ['not in', 'The value is none of the list.'],
});

export const TagType = describedEnum('TagType', 'What a tag is bound to.', {
  KNOWLEDGE: ['knowledge', 'Datasets (the only kind this gateway makes).'],
  APP: ['app', "Dify's apps (none here)."],
});

export const DocumentCreatedFrom = describedEnum('DocumentCreatedFrom', 'Where a document was created.', {
  API: ['api', 'Through the API (this gateway).'],
  WEB: ['web', "In Dify's UI."],
});

export const RuntimeMode = describedEnum('RuntimeMode', "How Dify runs a dataset's indexing.", {
  GENERAL: ['general', 'The built-in pipeline (always, here).'],
  RAG_PIPELINE: ['rag_pipeline', "A Dify RAG pipeline (not supported here)."],
});

export const ChildChunkType = describedEnum('ChildChunkType', 'How a child chunk came to be.', {
  AUTOMATIC: ['automatic', 'Split from its parent segment.'],
  CUSTOMIZED: ['customized', 'Added or edited by a user.'],
});

export const PreProcessingRuleId = describedEnum('PreProcessingRuleId', 'A cleaning rule.', {
  REMOVE_EXTRA_SPACES: ['remove_extra_spaces', 'Collapse runs of spaces and blank lines.'],
  REMOVE_URLS_EMAILS: ['remove_urls_emails', 'Remove URLs and e-mail addresses.'],
  REMOVE_STOPWORDS: ['remove_stopwords', 'Remove stop words.'],
});

export const IndexingErrorCode = describedEnum('IndexingErrorCode', 'Why indexing stopped, for programs.', {
  INDEXING_FAILED: ['INDEXING_FAILED', 'Indexing ended in an error; `error` says why.'],
});
