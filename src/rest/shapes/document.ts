// Dify's JSON for documents (spec §4): the list/create representation, the detail one, and request mapping.
import type { DocumentFieldsFragment } from '../../generated/graphql.ts';
import { pick, unixSeconds } from './convert.ts';
import { retrievalModelInput } from './dataset.ts';

const segmentationInput = (value: unknown) =>
  pick(value, { separator: ['separator'], max_tokens: ['maxTokens'], chunk_overlap: ['chunkOverlap'] });

export const processRuleInput = (value: unknown) =>
  pick(value, {
    mode: ['mode'],
    rules: [
      'rules',
      (rules) =>
        pick(rules, {
          pre_processing_rules: [
            'preProcessingRules',
            (list) => (Array.isArray(list) ? list.map((r) => pick(r, { id: ['id'], enabled: ['enabled'] })) : list),
          ],
          segmentation: ['segmentation', segmentationInput],
          parent_mode: ['parentMode'],
          subchunk_segmentation: ['subchunkSegmentation', segmentationInput],
        }),
    ],
  });

const documentSettings = {
  doc_form: ['docForm'],
  doc_language: ['docLanguage'],
  process_rule: ['processRule', processRuleInput],
} as const;

const createOptions = {
  ...documentSettings,
  indexing_technique: ['indexingTechnique'],
  retrieval_model: ['retrievalModel', retrievalModelInput],
  embedding_model: ['embeddingModel'],
  embedding_model_provider: ['embeddingModelProvider'],
  original_document_id: ['originalDocumentId'],
  doc_metadata: ['docMetadata'],
} as const;

export const createByTextInput = (body: Record<string, unknown>) =>
  pick(body, { name: ['name'], text: ['text'], ...createOptions }) as Record<string, unknown>;

// Dify refuses a first file without a process rule; GraphQL gives it the automatic rule when `processRule` is
// omitted, so REST sends an explicit null.
export const createByFileInput = (data: Record<string, unknown>) =>
  ({ processRule: null, ...(pick(data, { ...createOptions, duplicate: ['duplicate'] }) as object) }) as Record<string, unknown>;

// An explicit `processRule: null` keeps Dify's rule that an update needs a source or a rule: GraphQL treats an
// input with nothing but a name as a rename.
export const updateByTextInput = (body: Record<string, unknown>) =>
  ({ processRule: null, ...(pick(body, { name: ['name'], text: ['text'], ...documentSettings }) as object) }) as Record<string, unknown>;

export const updateByFileInput = (data: Record<string, unknown>) =>
  ({ processRule: null, ...(pick(data, { name: ['name'], ...documentSettings }) as object) }) as Record<string, unknown>;

const uploadFileDetail = (d: DocumentFieldsFragment) =>
  d.dataSourceType === 'upload_file' && d.uploadFile
    ? {
        upload_file: {
          id: d.uploadFile.id,
          name: d.uploadFile.name,
          size: d.uploadFile.size,
          extension: d.uploadFile.extension,
          mime_type: d.uploadFile.mimeType,
          created_by: d.uploadFile.createdBy,
          created_at: new Date(d.uploadFile.createdAt).getTime() / 1000,
        },
      }
    : {};

const metadataList = (d: DocumentFieldsFragment) =>
  d.metadata.map((m) => ({ id: m.id, name: m.name, type: m.type, value: m.value ?? null }));

/** The list/create representation. */
export function toDifyDocument(d: DocumentFieldsFragment) {
  return {
    id: d.uuid,
    position: d.position,
    data_source_type: d.dataSourceType,
    data_source_info: d.dataSourceInfo ?? null,
    data_source_detail_dict: uploadFileDetail(d),
    dataset_process_rule_id: d.processRule?.id ?? null,
    name: d.name,
    created_from: d.createdFrom,
    created_by: d.createdBy,
    created_at: unixSeconds(d.createdAt),
    tokens: d.tokens,
    indexing_status: d.indexingStatus,
    error: d.error,
    enabled: d.enabled,
    disabled_at: unixSeconds(d.disabledAt),
    disabled_by: d.disabledBy,
    archived: d.archived,
    display_status: d.displayStatus,
    word_count: d.wordCount,
    hit_count: d.hitCount,
    doc_form: d.docForm,
    doc_metadata: metadataList(d),
    summary_index_status: null,
    need_summary: d.needSummary,
  };
}

export const METADATA_VIEWS = ['all', 'only', 'without'] as const;

/** The detail representation (`metadata=all|only|without`). */
export function toDifyDocumentDetail(
  d: DocumentFieldsFragment,
  datasetProcessRule: unknown,
  view: (typeof METADATA_VIEWS)[number],
) {
  if (view === 'only') return { id: d.uuid, doc_type: d.docType, doc_metadata: metadataList(d) };
  const detail: Record<string, unknown> = {
    id: d.uuid,
    position: d.position,
    data_source_type: d.dataSourceType,
    data_source_info: uploadFileDetail(d),
    dataset_process_rule_id: d.processRule?.id ?? null,
    dataset_process_rule: datasetProcessRule,
    document_process_rule: d.processRule
      ? { id: d.processRule.id, dataset_id: d.processRule.dataset.uuid, mode: d.processRule.mode, rules: d.processRule.rules }
      : {},
    name: d.name,
    created_from: d.createdFrom,
    created_by: d.createdBy,
    created_at: unixSeconds(d.createdAt),
    tokens: d.tokens,
    indexing_status: d.indexingStatus,
    completed_at: unixSeconds(d.completedAt),
    updated_at: unixSeconds(d.updatedAt),
    indexing_latency: d.indexingLatency,
    error: d.error,
    enabled: d.enabled,
    disabled_at: unixSeconds(d.disabledAt),
    disabled_by: d.disabledBy,
    archived: d.archived,
    doc_type: d.docType,
    doc_metadata: metadataList(d),
    segment_count: d.segmentCount,
    average_segment_length: d.averageSegmentLength,
    hit_count: d.hitCount,
    display_status: d.displayStatus,
    doc_form: d.docForm,
    doc_language: d.docLanguage,
    summary_index_status: null,
    need_summary: d.needSummary,
  };
  if (view === 'without') {
    delete detail.doc_type;
    delete detail.doc_metadata;
  }
  return detail;
}
