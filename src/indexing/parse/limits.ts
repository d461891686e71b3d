import { ExtractionError, ReadableFailure } from './extraction-error.ts';
import type { ZipEntry } from './zip-directory.ts';

export interface ExtractionLimits {
  /** Extracted text beyond this is refused (zip bombs, giant sheets). */
  maxCharacters: number;
  /** A docx/xlsx whose ZIP entries declare more than this, uncompressed, is refused before it is expanded. */
  maxUncompressedBytes: number;
  /** Parsing still running by then is abandoned (only work that awaits can be interrupted). */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: ExtractionLimits = {
  maxCharacters: 50_000_000,
  maxUncompressedBytes: 512 * 1024 * 1024,
  timeoutMs: 120_000,
};

const formatCount = (n: number) => n.toLocaleString('en-US');

/** Counts the characters extracted so far and stops the extraction as soon as they pass the limit. */
export class TextBudget {
  readonly #filename: string;
  readonly #limit: number;
  #used = 0;

  constructor(filename: string, limit: number) {
    this.#filename = filename;
    this.#limit = limit;
  }

  /** Records `text`, or throws once the document holds more than the limit. */
  take(text: string): string {
    this.#used += text.length;
    if (this.#used > this.#limit) {
      throw new ExtractionError(
        `${this.#filename} holds more than ${formatCount(this.#limit)} characters of text, the limit for one document.`,
      );
    }
    return text;
  }
}

const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${formatCount(Math.round(bytes / (1024 * 1024)))} MB` : `${formatCount(bytes)} bytes`;

/** A ZIP bomb declares its expanded size: it is refused before a parser expands it. */
export function checkExpansion(entries: ZipEntry[], limit: number) {
  const total = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (total > limit) {
    throw new ReadableFailure(`it would expand to ${formatBytes(total)}, more than the ${formatBytes(limit)} allowed`);
  }
}
