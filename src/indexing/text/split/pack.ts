import { codePointLength } from './length.ts';

/**
 * Custom mode's character level (spec §6.3 point 5): characters fill a chunk up to `size - overlap`, then go on into
 * an overlap buffer up to `size`; the next chunk starts with that buffer.
 */
export function packCharacters(characters: string[], size: number, overlap: number): string[] {
  const chunks: string[] = [];
  let current = '';
  let currentLength = 0;
  let carry = '';
  let carryLength = 0;
  for (const character of characters) {
    const length = codePointLength(character);
    if (currentLength + length <= size - overlap) {
      current += character;
      currentLength += length;
    } else if (currentLength + length <= size) {
      current += character;
      currentLength += length;
      carry += character;
      carryLength += length;
    } else {
      if (current) chunks.push(current);
      // A grapheme cluster longer than one code point may not fit after the carried overlap.
      const keep = carryLength + length <= size;
      current = keep ? carry + character : character;
      currentLength = keep ? carryLength + length : length;
      carry = '';
      carryLength = 0;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}
