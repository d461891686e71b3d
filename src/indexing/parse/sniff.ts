// What a file really is, from its content: binary documents by their signature (ZIP and OLE containers by the entries
// they hold), text by decoding. A name can lie; the content decides, and the name only says which text format to use.
import { fileTypeFromBuffer } from 'file-type';
import { describeDetected, OLE_NAMES } from './describe-content.ts';
import { type Format, isTextFormat } from './formats.ts';
import { oleKind } from './ole-streams.ts';
import { decodeText } from './text.ts';
import { DamagedZipError, readZipDirectory, type ZipEntry } from './zip-directory.ts';

export type Sniffed =
  | { kind: 'document'; format: Format; text?: string; zipEntries?: ZipEntry[] }
  /** A readable description of what the content is instead, e.g. 'a PNG image'. */
  | { kind: 'unsupported'; what: string }
  | { kind: 'protected' }
  | { kind: 'damaged'; cause: string }
  /** Claimed to be text, but neither text nor anything recognizable. */
  | { kind: 'not-text' };

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const RTF = [0x7b, 0x5c, 0x72, 0x74, 0x66]; // {\rtf

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);

/** PDF readers accept a header anywhere in the first kilobyte (some mail gateways prepend junk). */
const pdfHeaderNearStart = (bytes: Uint8Array) => {
  for (let at = 1; at < Math.min(bytes.length, 1024); at++) if (startsWith(bytes, PDF, at)) return true;
  return false;
};

const HTML_START = /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b/i;

export async function sniff(bytes: Uint8Array, claimed: Format | undefined): Promise<Sniffed> {
  if (startsWith(bytes, PDF)) return { kind: 'document', format: 'pdf' };
  if (startsWith(bytes, ZIP) || startsWith(bytes, EMPTY_ZIP)) return sniffZip(bytes);
  if (startsWith(bytes, OLE)) return sniffOle(bytes);

  const text = startsWith(bytes, RTF) ? undefined : decodeText(bytes);
  if (text !== undefined) {
    const format = claimed && isTextFormat(claimed) ? claimed : HTML_START.test(text) ? 'html' : 'text';
    return { kind: 'document', format, text };
  }
  if (pdfHeaderNearStart(bytes)) return { kind: 'document', format: 'pdf' };
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected && claimed && isTextFormat(claimed)) return { kind: 'not-text' };
  return { kind: 'unsupported', what: describeDetected(detected) };
}

async function sniffZip(bytes: Uint8Array): Promise<Sniffed> {
  let entries: ZipEntry[];
  try {
    entries = readZipDirectory(bytes);
  } catch (error) {
    if (error instanceof DamagedZipError) return { kind: 'damaged', cause: error.message };
    throw error;
  }
  // Office Open XML keeps each application's parts under its own folder.
  if (entries.some((e) => e.name.startsWith('word/'))) return { kind: 'document', format: 'docx', zipEntries: entries };
  if (entries.some((e) => e.name.startsWith('xl/'))) return { kind: 'document', format: 'xlsx', zipEntries: entries };
  if (entries.length === 0) return { kind: 'unsupported', what: 'an empty ZIP archive' };
  const detected = (await fileTypeFromBuffer(bytes)) ?? { ext: 'zip', mime: 'application/zip' };
  return { kind: 'unsupported', what: describeDetected(detected) };
}

function sniffOle(bytes: Uint8Array): Sniffed {
  let kind: ReturnType<typeof oleKind>;
  try {
    kind = oleKind(bytes);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    return { kind: 'damaged', cause: `the file is damaged (its OLE container cannot be read: ${cause})` };
  }
  if (kind === 'xls') return { kind: 'document', format: 'xls' };
  if (kind === 'encrypted') return { kind: 'protected' };
  return { kind: 'unsupported', what: OLE_NAMES[kind] };
}
