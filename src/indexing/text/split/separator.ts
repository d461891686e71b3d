// The custom-mode separator as the user meant it (spec §6.3 point 2, without Dify's mojibake).
import type { Separator } from './pieces.ts';

const ESCAPE = /\\(?:([\\'"abfnrtv])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{1,3}))/g;
const SIMPLE: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * Python's unicode_escape on a string, not on its Latin-1 bytes: `\n`, `\t`, `\xhh`, `\uXXXX`, `\UXXXXXXXX`, octal
 * and the quote/backslash escapes are decoded; other characters (`。`, `第`) and unknown escapes are left as they are.
 */
export function decodeEscapes(raw: string): string {
  return raw.replace(
    ESCAPE,
    (whole, simple?: string, hex2?: string, hex4?: string, hex8?: string, octal?: string) => {
      if (simple !== undefined) return SIMPLE[simple] ?? whole;
      if (hex4 !== undefined) return String.fromCharCode(Number.parseInt(hex4, 16));
      const code = Number.parseInt(hex2 ?? hex8 ?? octal ?? '', hex2 ?? hex8 ? 16 : 8);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    },
  );
}

// `/pattern/` with optional flags i, m, s. The pattern is not escape-decoded: the regex engine reads `\n`, `\d`, ….
const REGEX_LITERAL = /^\/(.+)\/([ims]*)$/s;

function compile(pattern: string, flags: string): RegExp | null {
  for (const base of ['gu', 'g']) {
    try {
      return new RegExp(pattern, base + flags);
    } catch {
      // Try without the u flag (it rejects some escapes older patterns use), then give up.
    }
  }
  return null;
}

/**
 * A separator is a regular expression exactly when it is written `/pattern/` (optionally followed by flags from
 * `ims`) and the pattern compiles; everything else (`.`, `***`, `\n\n`, `/`, `//`, or `/+/` whose pattern does not
 * compile) is matched literally after escape decoding, so only a literal that starts and ends with a slash could be
 * mistaken for a pattern.
 */
export function parseSeparator(raw: string): Separator {
  const wrapped = REGEX_LITERAL.exec(raw);
  const regex = wrapped ? compile(wrapped[1] ?? '', wrapped[2] ?? '') : null;
  return regex ?? decodeEscapes(raw);
}
