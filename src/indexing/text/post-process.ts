// Post-processing of split chunks before they are saved (spec §6.3).

const LEADING_SYMBOLS = /^[\u2000-\u206F\u2E00-\u2E7F\u3000-\u303F"#$%&'()*+,./:;<=>?@^_`~]+/u;

/** Paragraph and Q&A chunks: leading punctuation and symbols stripped, then trimmed; empty chunks dropped. */
export function tidyParagraphChunks(chunks: string[]): string[] {
  return chunks.map((c) => c.replace(LEADING_SYMBOLS, '').trim()).filter((c) => c !== '');
}

/** Parent and child chunks: only a single leading `.` or `。` is removed, then trimmed; empty chunks dropped. */
export function tidyParentChildChunks(chunks: string[]): string[] {
  return chunks.map((c) => c.replace(/^[.。]/u, '').trim()).filter((c) => c !== '');
}
