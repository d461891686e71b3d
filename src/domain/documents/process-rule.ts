// Process rules: how a document is cleaned and split (spec §2.5). Input arrives camelCased (GraphQL, or REST after
// key conversion); it is validated with Dify's messages and stored in Dify's JSON shape, which the REST detail route
// returns verbatim and the indexing pipeline reads back through normalizeProcessRule.
import { ValidationError } from '../errors.ts';

export const PROCESS_RULE_MODES = ['automatic', 'custom', 'hierarchical'] as const;
export type ProcessRuleMode = (typeof PROCESS_RULE_MODES)[number];
// Dify accepts remove_stopwords and, like Dify's cleaner, the pipeline ignores it (normalizeProcessRule reads only
// the other two).
export const PRE_PROCESSING_RULE_IDS = ['remove_extra_spaces', 'remove_urls_emails', 'remove_stopwords'] as const;
export const PARENT_MODES = ['paragraph', 'full-doc'] as const;

export interface SegmentationInput {
  separator?: string | null;
  maxTokens?: number | null;
  chunkOverlap?: number | null;
}

export interface ProcessRuleInput {
  mode?: string | null;
  rules?: {
    preProcessingRules?: Array<{ id?: string | null; enabled?: boolean | null }> | null;
    segmentation?: SegmentationInput | null;
    parentMode?: string | null;
    subchunkSegmentation?: SegmentationInput | null;
  } | null;
}

/** Dify's stored rule JSON. */
export interface StoredRules {
  pre_processing_rules: Array<{ id: string; enabled: boolean }>;
  segmentation: { separator?: string; delimiter?: string; max_tokens: number; chunk_overlap: number };
  parent_mode?: string | null;
  subchunk_segmentation?: { separator: string; max_tokens: number; chunk_overlap: number } | null;
}

export interface ValidProcessRule {
  mode: ProcessRuleMode;
  rules: StoredRules;
}

/** What `mode: automatic` means, stored verbatim (Dify's key really is `delimiter` here). */
export const AUTOMATIC_RULES: StoredRules = {
  pre_processing_rules: [
    { id: 'remove_extra_spaces', enabled: true },
    { id: 'remove_urls_emails', enabled: false },
  ],
  segmentation: { delimiter: '\n', max_tokens: 500, chunk_overlap: 50 },
};

/** Shown as the dataset's rule when it has none (Dify's DocumentService.DEFAULT_RULES). */
export const DEFAULT_DISPLAY_RULE = {
  mode: 'custom',
  rules: {
    pre_processing_rules: [
      { id: 'remove_extra_spaces', enabled: true },
      { id: 'remove_urls_emails', enabled: false },
    ],
    segmentation: { delimiter: '\n', max_tokens: 1024, chunk_overlap: 50 },
  },
  limits: { indexing_max_segmentation_tokens_length: 4000 },
};

const invalid = (message: string, path: string[] = ['processRule']) =>
  new ValidationError(message, [{ path, message }]);

function segmentation(input: SegmentationInput | null | undefined, requireMaxTokens: boolean, path: string[]) {
  if (!input) throw invalid('Process rule segmentation is required', path);
  const separator = input.separator ?? '\n';
  if (separator === '') throw invalid('Process rule segmentation separator is required', [...path, 'separator']);
  if (separator.length > 255) throw invalid('Process rule segmentation separator is too long', [...path, 'separator']);
  const maxTokens = input.maxTokens ?? 0;
  if (requireMaxTokens && !maxTokens) {
    throw invalid('Process rule segmentation max_tokens is required', [...path, 'maxTokens']);
  }
  const overlap = input.chunkOverlap ?? 0;
  for (const [name, difyName, value] of [
    ['maxTokens', 'max_tokens', maxTokens],
    ['chunkOverlap', 'chunk_overlap', overlap],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 1_000_000) {
      throw invalid(`Process rule segmentation ${difyName} must be a non-negative integer`, [...path, name]);
    }
  }
  return { separator, max_tokens: maxTokens, chunk_overlap: overlap };
}

/** Validates a process rule as Dify does at request time (the 50…4000 range is checked when indexing, as in Dify). */
export function validateProcessRule(input: ProcessRuleInput): ValidProcessRule {
  if (!input.mode) throw invalid('Process rule mode is required', ['processRule', 'mode']);
  if (!(PROCESS_RULE_MODES as readonly string[]).includes(input.mode)) {
    throw invalid('Process rule mode is invalid', ['processRule', 'mode']);
  }
  const mode = input.mode as ProcessRuleMode;
  if (mode === 'automatic') return { mode, rules: AUTOMATIC_RULES };

  const rules = input.rules;
  if (!rules) throw invalid('Process rule rules is required', ['processRule', 'rules']);
  if (!rules.preProcessingRules) {
    throw invalid('Process rule pre_processing_rules is required', ['processRule', 'rules', 'preProcessingRules']);
  }
  const byId = new Map<string, boolean>();
  for (const rule of rules.preProcessingRules) {
    if (!rule.id) throw invalid('Process rule pre_processing_rules id is required');
    if (!(PRE_PROCESSING_RULE_IDS as readonly string[]).includes(rule.id)) {
      throw invalid('Process rule pre_processing_rules id is invalid');
    }
    if (typeof rule.enabled !== 'boolean') throw invalid('Process rule pre_processing_rules enabled is invalid');
    byId.set(rule.id, rule.enabled);
  }
  const stored: StoredRules = {
    pre_processing_rules: [...byId].map(([id, enabled]) => ({ id, enabled })),
    segmentation: { separator: '\n', max_tokens: 0, chunk_overlap: 0 },
  };
  if (mode === 'hierarchical') {
    const parentMode = rules.parentMode ?? 'paragraph';
    if (!(PARENT_MODES as readonly string[]).includes(parentMode)) {
      throw invalid('Process rule parent_mode is invalid', ['processRule', 'rules', 'parentMode']);
    }
    stored.parent_mode = parentMode;
    stored.segmentation = segmentation(rules.segmentation ?? (parentMode === 'full-doc' ? {} : null), parentMode !== 'full-doc', [
      'processRule',
      'rules',
      'segmentation',
    ]);
    stored.subchunk_segmentation = segmentation(rules.subchunkSegmentation, true, [
      'processRule',
      'rules',
      'subchunkSegmentation',
    ]);
  } else {
    stored.segmentation = segmentation(rules.segmentation, true, ['processRule', 'rules', 'segmentation']);
  }
  return { mode, rules: stored };
}

export interface NormalizedSegmentation {
  separator: string;
  maxTokens: number;
  chunkOverlap: number;
}

export interface NormalizedProcessRule {
  mode: ProcessRuleMode;
  preProcessing: { removeExtraSpaces: boolean; removeUrlsEmails: boolean };
  segmentation: NormalizedSegmentation;
  parentMode: 'paragraph' | 'full-doc' | null;
  subchunk: NormalizedSegmentation | null;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

function normalizedSegmentation(value: unknown): NormalizedSegmentation {
  const s = asRecord(value);
  return {
    separator: typeof s.separator === 'string' ? s.separator : typeof s.delimiter === 'string' ? s.delimiter : '\n',
    maxTokens: typeof s.max_tokens === 'number' ? s.max_tokens : 500,
    chunkOverlap: typeof s.chunk_overlap === 'number' ? s.chunk_overlap : 0,
  };
}

/** A stored rule (or none: automatic) in the form the splitter takes. */
export function normalizeProcessRule(mode: string | null | undefined, rulesJson: unknown): NormalizedProcessRule {
  const effectiveMode = (PROCESS_RULE_MODES as readonly string[]).includes(mode ?? '')
    ? (mode as ProcessRuleMode)
    : 'automatic';
  const rules = effectiveMode === 'automatic' ? AUTOMATIC_RULES : asRecord(rulesJson);
  const pre = Array.isArray(rules.pre_processing_rules) ? rules.pre_processing_rules.map(asRecord) : [];
  const enabled = (id: string) => pre.some((r) => r.id === id && r.enabled === true);
  return {
    mode: effectiveMode,
    preProcessing: { removeExtraSpaces: enabled('remove_extra_spaces'), removeUrlsEmails: enabled('remove_urls_emails') },
    segmentation: normalizedSegmentation(rules.segmentation),
    parentMode:
      effectiveMode === 'hierarchical' ? (rules.parent_mode === 'full-doc' ? 'full-doc' : 'paragraph') : null,
    subchunk: effectiveMode === 'hierarchical' ? normalizedSegmentation(rules.subchunk_segmentation) : null,
  };
}
