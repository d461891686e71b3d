// The cleaning and splitting stage: text units in, chunks out (segments; with children for parent-child documents).
import { createHash } from 'node:crypto';
import { cleanText } from './clean.ts';
import { customSplit } from './split/custom.ts';
import { codePointLength } from './split/length.ts';
import { recursiveSplit } from './split/recursive.ts';

export interface Segmentation {
  separator: string;
  maxTokens: number;
  chunkOverlap: number;
}

export interface NormalizedProcessRule {
  mode: 'automatic' | 'custom' | 'hierarchical';
  preProcessing: { removeExtraSpaces: boolean; removeUrlsEmails: boolean };
  segmentation: Segmentation;
  parentMode: 'paragraph' | 'full-doc' | null;
  subchunk: Segmentation | null;
}

export interface Chunk {
  content: string;
  children: string[];
}

export class SegmentationError extends Error {
  override name = 'SegmentationError';
}

export const AUTOMATIC_SIZE = 500;
export const AUTOMATIC_OVERLAP = 50;
const MIN_SEGMENT_LENGTH = 50;

export const countCharacters = codePointLength;

/** Dify's index_node_hash. */
export const contentHash = (text: string) => createHash('sha256').update(`${text}None`).digest('hex');

const PARAGRAPH_LEADING = /^[\u2000-\u206F\u2E00-\u2E7F\u3000-\u303F"#$%&'()*+,./:;<=>?@^_`~]+/u;

const tidyParagraph = (chunks: string[]) =>
  chunks.map((c) => c.replace(PARAGRAPH_LEADING, '').trim()).filter((c) => c !== '');
const tidyParentChild = (chunks: string[]) =>
  chunks.map((c) => c.replace(/^[.。]/u, '').trim()).filter((c) => c !== '');

function checkSegmentation(s: Segmentation, max: number) {
  if (s.maxTokens < MIN_SEGMENT_LENGTH || s.maxTokens > max) {
    throw new SegmentationError(`Custom segment length should be between ${MIN_SEGMENT_LENGTH} and ${max}.`);
  }
  if (s.chunkOverlap > s.maxTokens) {
    throw new SegmentationError(
      `Got a larger chunk overlap (${s.chunkOverlap}) than chunk size (${s.maxTokens}), should be smaller.`,
    );
  }
}

const split = (text: string, s: Segmentation) => customSplit(text, s.separator, s.maxTokens, s.chunkOverlap);

export function chunkDocument(
  parts: string[],
  rule: NormalizedProcessRule,
  options: { maxSegmentationTokens?: number } = {},
): Chunk[] {
  const max = options.maxSegmentationTokens ?? 4000;
  const clean = (text: string) => cleanText(text, rule.preProcessing);
  const leaf = (content: string): Chunk => ({ content, children: [] });

  if (rule.mode === 'automatic') {
    return parts.flatMap((p) => tidyParagraph(recursiveSplit(clean(p), AUTOMATIC_SIZE, AUTOMATIC_OVERLAP))).map(leaf);
  }
  if (rule.mode === 'custom') {
    checkSegmentation(rule.segmentation, max);
    return parts.flatMap((p) => tidyParagraph(split(clean(p), rule.segmentation))).map(leaf);
  }
  const sub = rule.subchunk ?? { separator: '\n', maxTokens: 200, chunkOverlap: 0 };
  checkSegmentation(sub, max);
  const withChildren = (parent: string): Chunk => ({ content: parent, children: tidyParentChild(split(parent, sub)) });
  if (rule.parentMode === 'full-doc') {
    const whole = parts.join('\n').trim();
    return whole ? [withChildren(whole)] : [];
  }
  checkSegmentation(rule.segmentation, max);
  return parts.flatMap((p) => tidyParentChild(split(clean(p), rule.segmentation))).map(withChildren);
}

/** Child chunks of one parent with a sub-chunk rule (segments added or edited through the API). */
export function splitChildren(parent: string, sub: Segmentation): string[] {
  return tidyParentChild(split(parent, sub));
}
