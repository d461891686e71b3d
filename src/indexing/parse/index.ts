// The extraction stage: an uploaded file becomes text units (Dify's default extractor set). The format comes from the
// content as well as the name, so a mislabelled file is read as what it is, or refused with a readable message.
import { fileTypeFromBuffer } from 'file-type';
import { extractCsv } from './csv.ts';
import { ExtractionError } from './extraction-error.ts';
import { extractDocx } from './docx.ts';
import { extractHtml } from './html.ts';
import { extractPdf } from './pdf.ts';
import { extractSpreadsheet } from './spreadsheet.ts';
import { decodeText } from './text.ts';

export interface ExtractInput {
  bytes: Uint8Array;
  filename: string;
  mimeType?: string;
  /** The extension to go by, when the name has none (text documents are named freely). */
  extension?: string;
}

export interface ExtractedText {
  /** The format actually parsed (after content sniffing). */
  format: string;
  /** Text units in document order (one per PDF page, per table row, or the whole text). */
  parts: string[];
}

export { ExtractionError };

/** Dify's default ETL allow-list. */
export const DOCUMENT_EXTENSIONS = [
  'txt', 'markdown', 'md', 'mdx', 'pdf', 'html', 'htm', 'xlsx', 'xls', 'docx', 'csv', 'vtt', 'properties',
] as const;

const MIME_TYPES: Record<string, string> = {
  txt: 'text/plain',
  markdown: 'text/markdown',
  md: 'text/markdown',
  mdx: 'text/markdown',
  pdf: 'application/pdf',
  html: 'text/html',
  htm: 'text/html',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv',
  vtt: 'text/vtt',
  properties: 'text/plain',
};

/** Extracted text beyond this is refused (zip bombs, giant sheets). */
export const MAX_EXTRACTED_CHARACTERS = 50_000_000;

export const fileExtension = (filename: string) => {
  const dot = filename.lastIndexOf('.');
  return dot < 0 ? '' : filename.slice(dot + 1).toLowerCase();
};

export const isAllowedDocumentExtension = (filename: string) =>
  (DOCUMENT_EXTENSIONS as readonly string[]).includes(fileExtension(filename));

export const mimeTypeFor = (extension: string) => MIME_TYPES[extension.toLowerCase()] ?? 'application/octet-stream';

type Format = 'pdf' | 'docx' | 'xlsx' | 'xls' | 'html' | 'markdown' | 'text' | 'csv';

const BY_EXTENSION: Record<string, Format> = {
  pdf: 'pdf', docx: 'docx', xlsx: 'xlsx', xls: 'xls', html: 'html', htm: 'html', csv: 'csv',
  md: 'markdown', markdown: 'markdown', mdx: 'markdown', txt: 'text', vtt: 'text', properties: 'text',
};

const DESCRIPTIONS: Record<Format, string> = {
  pdf: 'a PDF document', docx: 'a Word document', xlsx: 'an Excel workbook', xls: 'an Excel 97-2003 workbook',
  html: 'an HTML page', markdown: 'a Markdown file', text: 'a text file', csv: 'a CSV file',
};

/** What the content says the file is: a supported format, or a description of the unsupported thing it is. */
async function sniff(bytes: Uint8Array, claimed: Format): Promise<Format | { unsupported: string }> {
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) {
    // No binary signature: text formats are told apart by the name; binary ones must have their signature.
    return claimed === 'pdf' || claimed === 'docx' || claimed === 'xlsx' || claimed === 'xls' ? { unsupported: 'not a valid file of that type' } : claimed;
  }
  switch (detected.ext) {
    case 'pdf':
      return 'pdf';
    case 'docx':
      return 'docx';
    case 'xlsx':
      return 'xlsx';
    case 'cfb':
    case 'xls':
      return 'xls';
    case 'zip':
      // A zip without Office parts file-type could name; trust the name for docx/xlsx and let the parser judge.
      return claimed === 'docx' || claimed === 'xlsx' ? claimed : { unsupported: 'a ZIP archive' };
    case 'xml':
      return claimed === 'html' ? 'html' : claimed === 'markdown' || claimed === 'text' ? claimed : { unsupported: 'an XML file' };
    default:
      return { unsupported: `${detected.mime} content (.${detected.ext})` };
  }
}

export async function extractText(input: ExtractInput): Promise<ExtractedText> {
  const { bytes, filename } = input;
  if (bytes.byteLength === 0) throw new ExtractionError(`${filename} is empty.`);
  const claimed = BY_EXTENSION[input.extension ?? fileExtension(filename)];
  if (!claimed) throw new ExtractionError(`${filename}: the file type is not supported.`);
  const format = await sniff(bytes, claimed);
  if (typeof format !== 'string') {
    throw new ExtractionError(`${filename} is not ${DESCRIPTIONS[claimed]}: it looks like ${format.unsupported}.`);
  }
  let parts: string[];
  try {
    parts = await extractFormat(format, bytes, filename);
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    const cause = error instanceof Error ? error.message : String(error);
    throw new ExtractionError(`${filename} could not be read as ${DESCRIPTIONS[format]}: ${cause}`);
  }
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  if (total > MAX_EXTRACTED_CHARACTERS) {
    throw new ExtractionError(`${filename} holds more than ${MAX_EXTRACTED_CHARACTERS} characters of text, over the limit.`);
  }
  parts = parts.filter((p) => p.trim() !== '');
  if (parts.length === 0) throw new ExtractionError(`${filename} contains no extractable text.`);
  return { format, parts };
}

async function extractFormat(format: Format, bytes: Uint8Array, filename: string): Promise<string[]> {
  switch (format) {
    case 'pdf':
      return extractPdf(bytes);
    case 'docx':
      return [await extractDocx(bytes)];
    case 'xlsx':
    case 'xls':
      return extractSpreadsheet(bytes);
    case 'csv':
      return extractCsv(decodeText(bytes, filename));
    case 'html':
      return [extractHtml(decodeText(bytes, filename))];
    case 'markdown':
    case 'text':
      return [decodeText(bytes, filename)];
  }
}
