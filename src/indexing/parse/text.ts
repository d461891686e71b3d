// Text files must be UTF-8 (a BOM is dropped) or UTF-16 with a BOM. Line ends become '\n', as Python's universal
// newlines make them for Dify's extractors.

const decoders = {
  utf8: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }),
  utf16le: new TextDecoder('utf-16le', { fatal: true, ignoreBOM: false }),
  utf16be: new TextDecoder('utf-16be', { fatal: true, ignoreBOM: false }),
};

/** The text the bytes encode, or undefined when they are not text (invalid UTF-8, or NUL bytes). */
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
  if (text.includes('\u0000')) return undefined;
  return text.replace(/\r\n?/g, '\n');
}
