import { extractText, getDocumentProxy } from 'unpdf';
import { ExtractionError } from './extraction-error.ts';

/** One part per page. A scanned PDF (no text layer) has nothing to index. */
export async function extractPdf(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: false });
  if (text.every((page) => page.trim() === '')) {
    throw new ExtractionError('The PDF has no extractable text (a scan without a text layer?).');
  }
  return text;
}
