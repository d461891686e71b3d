import { ExtractionError } from './extraction-error.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 (BOM stripped), or UTF-16 with a BOM; anything else is not text. */
export function decodeText(bytes: Uint8Array, filename: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ExtractionError(`${filename} is not UTF-8 text.`);
  }
  if (text.includes('\u0000')) throw new ExtractionError(`${filename} is not a text file: it contains binary data.`);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
