// Cutting text at a separator. A separator is literal text or a regular expression (always with the `g` flag, which
// matchAll needs).
import { codePointLength } from './length.ts';

export type Separator = string | RegExp;

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

export function occursIn(text: string, separator: Separator): boolean {
  return typeof separator === 'string' ? text.includes(separator) : text.search(separator) !== -1;
}

function matchSpans(text: string, separator: Separator): Array<[start: number, end: number]> {
  if (typeof separator === 'string') {
    const spans: Array<[number, number]> = [];
    for (let at = text.indexOf(separator); at !== -1; at = text.indexOf(separator, at + separator.length)) {
      spans.push([at, at + separator.length]);
    }
    return spans;
  }
  return [...text.matchAll(separator)].map((m) => [m.index, m.index + m[0].length]);
}

/** Pieces between the separators, which are dropped (capture groups are not spliced in as String#split would). */
export function splitRemoving(text: string, separator: Separator): string[] {
  if (typeof separator === 'string') return text.split(separator);
  const pieces: string[] = [];
  let start = 0;
  for (const [from, to] of matchSpans(text, separator)) {
    pieces.push(text.slice(start, from));
    start = to;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** Pieces that end with their separator; the last piece is whatever follows the last separator. */
export function splitKeeping(text: string, separator: Separator): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const [, to] of matchSpans(text, separator)) {
    if (to <= start) continue;
    pieces.push(text.slice(start, to));
    start = to;
  }
  pieces.push(text.slice(start));
  return pieces;
}

// V8's segment iterator gets slower with the length of the string (quadratically: 68,000 characters take seconds),
// so long text is segmented a window at a time. A window's last cluster may be cut short by the window's end, so it
// is segmented again at the start of the next window.
const WINDOW = 256;

function* graphemeClusters(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    const end = start + WINDOW;
    const clusters = [...graphemes.segment(text.slice(start, end))];
    const last = end < text.length && clusters.length > 1 ? clusters.pop() : undefined;
    for (const { segment } of clusters) yield segment;
    start = last ? start + last.index : end;
  }
}

/**
 * The text as single characters. Grapheme clusters (an emoji with modifiers, a flag, a letter with combining marks)
 * stay whole unless one alone is longer than `size` code points.
 */
export function splitCharacters(text: string, size: number): string[] {
  const characters: string[] = [];
  for (const cluster of graphemeClusters(text)) {
    if (codePointLength(cluster) > size) characters.push(...cluster);
    else characters.push(cluster);
  }
  return characters;
}
