// The recursive splitter of automatic mode (and of custom mode's oversized pieces), spec §6.3: split on the first
// separator of the cascade found in the text, keep separators at the end of their piece, merge small pieces up to
// the chunk size with an overlap made of whole pieces, and split oversized pieces with the rest of the cascade.
import { codePointLength as len } from './length.ts';

/** Dify's cascade, with full-width sentence punctuation so that Chinese and Japanese text splits on sentences. */
export const SEPARATOR_CASCADE = ['\n\n', '。', '！', '？', '；', '. ', '! ', '? ', ' ', ''] as const;

function splitKeepingSeparator(text: string, separator: string): string[] {
  if (separator === '') return [...text];
  const pieces: string[] = [];
  let start = 0;
  for (let at = text.indexOf(separator); at !== -1; at = text.indexOf(separator, start)) {
    pieces.push(text.slice(start, at + separator.length));
    start = at + separator.length;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** Joins pieces into chunks of at most `size`; consecutive chunks share up to `overlap` characters of whole pieces. */
export function mergePieces(pieces: string[], size: number, overlap: number): string[] {
  const chunks: string[] = [];
  const current: string[] = [];
  let total = 0;
  const flush = () => {
    const chunk = current.join('').trim();
    if (chunk) chunks.push(chunk);
  };
  for (const piece of pieces) {
    const length = len(piece);
    if (total + length > size && current.length > 0) {
      flush();
      while (current.length > 0 && (total > overlap || total + length > size)) {
        total -= len(current.shift() as string);
      }
    }
    current.push(piece);
    total += length;
  }
  flush();
  return chunks;
}

export function recursiveSplit(
  text: string,
  size: number,
  overlap: number,
  separators: readonly string[] = SEPARATOR_CASCADE,
): string[] {
  let index = separators.findIndex((s) => s === '' || text.includes(s));
  if (index === -1) index = separators.length - 1;
  const separator = separators[index] ?? '';
  const rest = separators.slice(index + 1);
  const pieces = splitKeepingSeparator(text, separator).filter((p) => p !== '' && p !== '\n');
  const chunks: string[] = [];
  let small: string[] = [];
  for (const piece of pieces) {
    if (len(piece) < size) {
      small.push(piece);
      continue;
    }
    if (small.length) chunks.push(...mergePieces(small, size, overlap));
    small = [];
    if (rest.length === 0) chunks.push(piece);
    else chunks.push(...recursiveSplit(piece, size, overlap, rest));
  }
  if (small.length) chunks.push(...mergePieces(small, size, overlap));
  return chunks;
}
