// A custom segmentation (custom mode, and both levels of parent-child) and the checks Dify makes when indexing.

export interface Segmentation {
  separator: string;
  maxTokens: number;
  chunkOverlap: number;
}

/** The indexing job fails with this message (Dify's), which becomes the document's error. */
export class SegmentationError extends Error {
  override name = 'SegmentationError';
}

export const MIN_SEGMENT_LENGTH = 50;
export const DEFAULT_MAX_SEGMENT_LENGTH = 4000;

export function checkSegmentation(s: Segmentation, maxLength: number): void {
  if (!(s.maxTokens >= MIN_SEGMENT_LENGTH && s.maxTokens <= maxLength)) {
    throw new SegmentationError(`Custom segment length should be between ${MIN_SEGMENT_LENGTH} and ${maxLength}.`);
  }
  // Dify only refuses a larger overlap; an equal one lets chunks grow past the size, so it is refused too.
  if (!(s.chunkOverlap < s.maxTokens)) {
    throw new SegmentationError(
      `Got a larger chunk overlap (${s.chunkOverlap}) than chunk size (${s.maxTokens}), should be smaller.`,
    );
  }
}
