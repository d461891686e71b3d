// Custom mode (spec §6.3): the text is cut at every occurrence of the separator (which is dropped); each piece that
// fits is a chunk of its own (pieces are not merged), longer pieces go through the recursive splitter.
import { codePointLength } from './length.ts';
import { splitRemoving } from './pieces.ts';
import { recursiveSplit } from './recursive.ts';
import { parseSeparator } from './separator.ts';

export function customSplit(text: string, separator: string, size: number, overlap: number): string[] {
  const parsed = parseSeparator(separator);
  const pieces = parsed === '' ? [text] : splitRemoving(text, parsed);
  return pieces.flatMap((piece) =>
    codePointLength(piece) > size ? recursiveSplit(piece, size, overlap, 'pack') : [piece],
  );
}
