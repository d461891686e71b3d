// The recursive splitter (spec §6.3): split on the first separator of the cascade found in the text, keep separators
// at the end of their piece, merge small pieces up to the chunk size with an overlap made of whole pieces, and split
// oversized pieces with the rest of the cascade.
import { codePointLength } from './length.ts';
import { mergePieces } from './merge.ts';
import { packCharacters } from './pack.ts';
import { occursIn, type Separator, splitCharacters, splitKeeping } from './pieces.ts';

/**
 * Where Dify has `。`, a sentence end here is any run of full-width 。！？； with the closing quotes or brackets that
 * follow it, so that Chinese and Japanese text splits on every sentence and `」` stays with its sentence (a piece
 * starting with it would lose it to the leading-symbol strip). `" "` matches runs of spaces, as in Dify's custom
 * splitter; `""` means single characters.
 */
const SENTENCE_END = /[。！？；]+[」』”’）》〉】〕)"]*/gu;
const SPACES = / +/g;
export const SEPARATOR_CASCADE: readonly Separator[] = ['\n\n', SENTENCE_END, '. ', SPACES, ''];

/** How the character level joins characters: merged like other pieces (automatic) or packed (custom). */
export type CharacterLevel = 'merge' | 'pack';

export function recursiveSplit(
  text: string,
  size: number,
  overlap: number,
  characterLevel: CharacterLevel = 'merge',
  separators: readonly Separator[] = SEPARATOR_CASCADE,
): string[] {
  const index = separators.findIndex((s) => s === '' || occursIn(text, s));
  const separator = separators[index] ?? '';
  if (separator === '') {
    const characters = splitCharacters(text, size);
    if (characterLevel === 'pack') return packCharacters(characters, size, overlap);
    return mergePieces(characters, size, overlap);
  }
  const rest = separators.slice(index + 1);
  const chunks: string[] = [];
  let small: string[] = [];
  for (const piece of splitKeeping(text, separator)) {
    if (piece === '' || piece === '\n') continue;
    if (codePointLength(piece) < size) {
      small.push(piece);
      continue;
    }
    chunks.push(...mergePieces(small, size, overlap));
    small = [];
    chunks.push(...(rest.length === 0 ? [piece] : recursiveSplit(piece, size, overlap, characterLevel, rest)));
  }
  chunks.push(...mergePieces(small, size, overlap));
  return chunks;
}
