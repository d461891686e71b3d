import { describe, expect, it } from 'vitest';
import { decodeEscapes, parseSeparator } from '../../../src/indexing/text/split/separator.ts';

describe('decodeEscapes (Python unicode_escape without the mojibake)', () => {
  it('decodes \\n, \\t, \\r, \\\\ and \\uXXXX, \\xhh, \\UXXXXXXXX and octal escapes', () => {
    expect(decodeEscapes('\\n\\n')).toBe('\n\n');
    expect(decodeEscapes('a\\tb\\rc\\\\d')).toBe('a\tb\rc\\d');
    expect(decodeEscapes('\\u3002')).toBe('。');
    expect(decodeEscapes('\\x41\\101')).toBe('AA');
    expect(decodeEscapes('\\U0001F600')).toBe('😀');
  });

  it('leaves non-ASCII characters and unknown escapes as they are', () => {
    expect(decodeEscapes('。')).toBe('。');
    expect(decodeEscapes('第')).toBe('第');
    expect(decodeEscapes('【')).toBe('【');
    expect(decodeEscapes('\\d\\q')).toBe('\\d\\q');
  });
});

describe('parseSeparator: a separator is a regex only when written /pattern/ (flags i, m, s allowed)', () => {
  it('reads /pattern/ and /pattern/flags as regular expressions', () => {
    expect(parseSeparator('/\\d+\\./')).toEqual(/\d+\./gu);
    expect(parseSeparator('/chapter \\d+/i')).toEqual(/chapter \d+/giu);
  });

  it('matches everything else literally, after escape decoding', () => {
    expect(parseSeparator('.')).toBe('.');
    expect(parseSeparator('***')).toBe('***');
    expect(parseSeparator('\\n\\n')).toBe('\n\n');
    expect(parseSeparator('/')).toBe('/');
    expect(parseSeparator('//')).toBe('//');
    expect(parseSeparator('/a/b')).toBe('/a/b');
    expect(parseSeparator('/a/g')).toBe('/a/g');
  });

  it('falls back to the literal text when the pattern does not compile', () => {
    expect(parseSeparator('/+/')).toBe('/+/');
    expect(parseSeparator('/[/')).toBe('/[/');
  });
});
