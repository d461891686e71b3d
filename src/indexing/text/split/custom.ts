// Custom mode (spec §6.3): the text is cut at every occurrence of the separator; each piece that fits is a chunk of
// its own (pieces are not merged), longer pieces go through the recursive splitter.
import { codePointLength } from './length.ts';
import { recursiveSplit } from './recursive.ts';

/**
 * The separator as the user meant it: `\n`, `\t`, `\uXXXX` and `\\` escapes are decoded (Dify's unicode_escape step,
 * without its mojibake: `。` or `第` work). A separator written as `/pattern/` is a regular expression.
 */
export function parseSeparator(raw: string): string | RegExp {
  if (raw.length > 2 && raw.startsWith('/') && raw.endsWith('/')) {
    try {
      return new RegExp(raw.slice(1, -1), 'gu');
    } catch {
      // Not a valid pattern: fall back to the literal text.
    }
  }
  return raw.replace(/\\(u[0-9a-fA-F]{4}|[ntr\\])/g, (_m, esc: string) => {
    if (esc.startsWith('u')) return String.fromCharCode(Number.parseInt(esc.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r', '\\': '\\' }[esc] as string;
  });
}

export function customSplit(text: string, separator: string, maxTokens: number, overlap: number): string[] {
  const parsed = parseSeparator(separator);
  const pieces = typeof parsed === 'string' ? text.split(parsed) : text.split(parsed);
  return pieces.flatMap((piece) =>
    codePointLength(piece) <= maxTokens ? [piece] : recursiveSplit(piece, maxTokens, overlap),
  );
}
