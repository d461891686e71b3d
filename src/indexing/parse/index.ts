// The extraction stage: an uploaded file becomes text units (Dify's default extractor set). The format comes from the
// content as well as the name, so a mislabelled file is read as what it is, or refused with a readable message.
import { extractCsv } from './csv.ts';
import { withDeadline } from './deadline.ts';
import { extractDocx } from './docx.ts';
import { ExtractionError } from './extraction-error.ts';
import { documentOrRefusal, explainFailure, type SniffedDocument, unreadable } from './failures.ts';
import { fileExtension, type Format, formatForExtension, formatForMimeType } from './formats.ts';
import { htmlToText } from './html-text.ts';
import { checkExpansion, DEFAULT_LIMITS, type ExtractionLimits, TextBudget } from './limits.ts';
import { extractPdf } from './pdf.ts';
import { type Sniffed, sniff } from './sniff.ts';
import { extractSpreadsheet } from './spreadsheet.ts';
import { verifyZipEntries } from './zip-verify.ts';

export { DOCUMENT_EXTENSIONS, fileExtension, isAllowedDocumentExtension, mimeTypeFor } from './formats.ts';
export type { Format } from './formats.ts';
export { DEFAULT_LIMITS, type ExtractionLimits } from './limits.ts';
export { ExtractionError };

export interface ExtractInput {
  bytes: Uint8Array;
  filename: string;
  mimeType?: string;
  /** The extension to go by instead of the name's (text documents are named freely). */
  extension?: string;
}

export interface ExtractedText {
  /** The format actually parsed (after content sniffing): pdf, docx, xlsx, xls, html, markdown, text or csv. */
  format: Format;
  /** Text units in document order: one per PDF page, one per table row, or the whole text. */
  parts: string[];
}

/** Extracted text beyond this is refused (zip bombs, giant sheets). */
export const MAX_EXTRACTED_CHARACTERS = DEFAULT_LIMITS.maxCharacters;

/** Reads the file as what its content is; every failure is an ExtractionError whose message names the file. */
export async function extractText(
  input: ExtractInput,
  limits: Partial<ExtractionLimits> = {},
): Promise<ExtractedText> {
  const { bytes, filename } = input;
  const { maxCharacters, maxUncompressedBytes, timeoutMs } = { ...DEFAULT_LIMITS, ...limits };
  if (bytes.byteLength === 0) throw new ExtractionError(`${filename}: the file is empty.`);

  const extension = (input.extension ?? fileExtension(filename)).toLowerCase().replace(/^\./, '');
  const claimed = extension
    ? formatForExtension(extension)
    : input.mimeType
      ? formatForMimeType(input.mimeType)
      : undefined;
  if (extension && !claimed) throw new ExtractionError(`${filename}: .${extension} files are not supported.`);

  let sniffed: Sniffed;
  try {
    sniffed = await sniff(bytes, claimed);
  } catch (error) {
    throw unreadable(error, filename);
  }
  const document = documentOrRefusal(sniffed, filename, claimed);
  const budget = new TextBudget(filename, maxCharacters);
  let parts: string[];
  try {
    if (document.zipEntries) {
      checkExpansion(document.zipEntries, maxUncompressedBytes);
      verifyZipEntries(bytes, document.zipEntries);
    }
    parts = await withDeadline(timeoutMs, (signal) => parse(document, bytes, budget, signal));
  } catch (error) {
    throw explainFailure(error, filename, document.format);
  }
  parts = parts.filter((part) => part.trim() !== '');
  if (parts.length === 0) throw new ExtractionError(`${filename} contains no text.`);
  return { format: document.format, parts };
}

async function parse(
  document: SniffedDocument,
  bytes: Uint8Array,
  budget: TextBudget,
  signal: AbortSignal,
): Promise<string[]> {
  const text = () => {
    if (document.text === undefined) throw new Error(`no text was decoded for a ${document.format} file`);
    return document.text;
  };
  switch (document.format) {
    case 'pdf':
      return extractPdf(bytes, budget, signal);
    case 'docx':
      return [budget.take(await extractDocx(bytes))];
    case 'xlsx':
    case 'xls':
      return extractSpreadsheet(bytes, budget);
    case 'csv':
      return extractCsv(text(), budget);
    case 'html':
      return [budget.take(htmlToText(text(), { markdown: false }))];
    case 'markdown':
    case 'text':
      return [budget.take(text())];
  }
}
