// Text files must be UTF-8 (a BOM is dropped) or UTF-16 with a BOM. Line ends become '\n', as Python's universal
// newlines make them for Dify's extractors.

const decoders = {
  utf8: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }),
  utf16le: new TextDecoder('utf-16le', { fatal: true, ignoreBOM: false }),
  utf16be: new TextDecoder('utf-16be', { fatal: true, ignoreBOM: false }),
};

/** More NUL characters than this share of the text means binary data (or UTF-16 without a BOM), not text. */
const MAX_NUL_SHARE = 0.01;
const MAX_STRAY_NULS = 4;

/**
 * The text the bytes encode, or undefined when they are not text (invalid UTF-8, or NUL bytes beyond a stray few:
 * those are kept here and removed by cleaning, as PostgreSQL text cannot hold them).
 */
export function decodeText(bytes: Uint8Array): string | undefined {
  const decoder =
    bytes[0] === 0xff && bytes[1] === 0xfe ? decoders.utf16le
    : bytes[0] === 0xfe && bytes[1] === 0xff ? decoders.utf16be
    : decoders.utf8;
  let text: string;
  try {
    // The decoders strip their own BOM (ignoreBOM: false).
    text = decoder.decode(bytes);
  } catch {
    return undefined;
  }
  let nuls = 0;
  for (let at = text.indexOf('\u0000'); at >= 0; at = text.indexOf('\u0000', at + 1)) nuls++;
  if (nuls > Math.max(MAX_STRAY_NULS, text.length * MAX_NUL_SHARE)) return undefined;
  return text.replace(/\r\n?/g, '\n');
}
