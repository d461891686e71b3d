import { codePointLength } from './length.ts';

/**
 * Dify's _merge_splits (joiner "", separators being kept in the pieces): pieces are joined into chunks of at most
 * `size`; the next chunk starts with as many whole pieces from the end of the previous one as fit in `overlap`.
 * Every piece must be shorter than `size`.
 */
export function mergePieces(pieces: string[], size: number, overlap: number): string[] {
  const chunks: string[] = [];
  const current: Array<{ text: string; length: number }> = [];
  let total = 0;
  for (const text of pieces) {
    const length = codePointLength(text);
    if (total + length > size && current.length > 0) {
      const chunk = current.map((p) => p.text).join('').trim();
      if (chunk) chunks.push(chunk);
      while (total > 0 && (total > overlap || total + length > size)) {
        total -= current.shift()?.length ?? total;
      }
    }
    current.push({ text, length });
    total += length;
  }
  const last = current.map((p) => p.text).join('').trim();
  if (last) chunks.push(last);
  return chunks;
}
