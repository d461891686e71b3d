// The cleaning and splitting stage: a document's extracted text units in, chunks out (segments, with their child
// chunks for parent-child documents), spec §6.2–6.4.
import { createHash } from 'node:crypto';
import { cleanText } from './clean.ts';
import { tidyParagraphChunks, tidyParentChildChunks } from './post-process.ts';
import { checkSegmentation, DEFAULT_MAX_SEGMENT_LENGTH, type Segmentation, SegmentationError } from './segmentation.ts';
import { customSplit } from './split/custom.ts';
import { codePointLength } from './split/length.ts';
import { recursiveSplit } from './split/recursive.ts';
import { parseSeparator } from './split/separator.ts';

export { type Segmentation, SegmentationError } from './segmentation.ts';

export interface NormalizedProcessRule {
  mode: 'automatic' | 'custom' | 'hierarchical';
  preProcessing: { removeExtraSpaces: boolean; removeUrlsEmails: boolean };
  /** The parent segmentation for hierarchical documents; ignored in automatic mode. */
  segmentation: Segmentation;
  parentMode: 'paragraph' | 'full-doc' | null;
  /** Hierarchical documents only. */
  subchunk: Segmentation | null;
}

export interface Chunk {
  content: string;
  /** Child chunks; non-empty only for hierarchical documents. */
  children: string[];
}

export const AUTOMATIC_SIZE = 500;
export const AUTOMATIC_OVERLAP = 50;
// Automatic mode always cleans with Dify's automatic rule set, whatever rule came with it.
const AUTOMATIC_CLEANING = { removeExtraSpaces: true, removeUrlsEmails: false };
const NO_RULES = { removeExtraSpaces: false, removeUrlsEmails: false };

/**
 * Whether splitting by the rule may run a separator pattern (`/…/`), which can backtrack for ever: without one,
 * splitting is a linear scan with fixed separators.
 */
export function usesSeparatorPattern(rule: NormalizedProcessRule): boolean {
  if (rule.mode === 'automatic') return false;
  return [rule.segmentation, rule.subchunk].some((s) => s !== null && typeof parseSeparator(s.separator) !== 'string');
}

/** Characters as Dify counts them (Python's len): Unicode code points. */
export function countCharacters(text: string): number {
  return codePointLength(text);
}

/** Dify's index_node_hash: SHA-256 hex of the text followed by `None`. */
export function contentHash(text: string): string {
  return createHash('sha256').update(`${text}None`).digest('hex');
}

const split = (text: string, s: Segmentation) =>
  customSplit(text, s.separator, s.maxTokens, Math.max(0, s.chunkOverlap));
const leaf = (content: string): Chunk => ({ content, children: [] });

/** Child chunks of one parent (also for segments added or edited through the API). */
export function splitChildren(parent: string, subchunk: Segmentation): string[] {
  return tidyParentChildChunks(split(parent, subchunk));
}

export function chunkDocument(
  parts: string[],
  rule: NormalizedProcessRule,
  options: { maxSegmentationTokens?: number } = {},
): Chunk[] {
  const maxLength = options.maxSegmentationTokens ?? DEFAULT_MAX_SEGMENT_LENGTH;
  if (rule.mode === 'automatic') {
    const automatic = (text: string) => recursiveSplit(text, AUTOMATIC_SIZE, AUTOMATIC_OVERLAP);
    return parts.flatMap((p) => tidyParagraphChunks(automatic(cleanText(p, AUTOMATIC_CLEANING)))).map(leaf);
  }
  if (rule.mode === 'custom') {
    checkSegmentation(rule.segmentation, maxLength);
    return parts.flatMap((p) => tidyParagraphChunks(split(cleanText(p, rule.preProcessing), rule.segmentation))).map(leaf);
  }

  const subchunk = rule.subchunk;
  if (!subchunk) throw new SegmentationError('No subchunk segmentation found in rules.');
  // Parent first, as Dify builds the parent splitter first; a full-doc parent is never split.
  if (rule.parentMode !== 'full-doc') checkSegmentation(rule.segmentation, maxLength);
  checkSegmentation(subchunk, maxLength);
  const withChildren = (parent: string): Chunk => ({ content: parent, children: splitChildren(parent, subchunk) });
  if (rule.parentMode === 'full-doc') {
    // One parent, whatever its length: the whole document without the pre-processing rules. The always-on base
    // cleaning still runs, since PostgreSQL text cannot hold the NUL characters it removes.
    const whole = cleanText(parts.join('\n'), NO_RULES).trim();
    return whole ? [withChildren(whole)] : [];
  }
  return parts
    .flatMap((p) => tidyParentChildChunks(split(cleanText(p, rule.preProcessing), rule.segmentation)))
    .map(withChildren);
}
