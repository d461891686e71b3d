// PDF with unpdf (pdf.js): one text unit per page, as Dify's PDF extractor makes them.
import { getDocumentProxy } from 'unpdf';
import { NoTextError } from './extraction-error.ts';
import type { TextBudget } from './limits.ts';

/** pdf.js's VerbosityLevel.ERRORS: its warnings about damaged files would otherwise go to the console. */
const ERRORS_ONLY = 0;

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
}

export async function extractPdf(bytes: Uint8Array, budget: TextBudget, signal: AbortSignal): Promise<string[]> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: ERRORS_ONLY });
  try {
    const pages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      signal.throwIfAborted();
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const text = (content.items as TextItemLike[])
        .map((item) => (item.str ?? '') + (item.hasEOL ? '\n' : ''))
        .join('');
      pages.push(budget.take(text));
      page.cleanup();
    }
    if (pages.every((page) => page.trim() === '')) {
      throw new NoTextError('the PDF has no text layer (is it a scan? Run it through OCR first)');
    }
    return pages;
  } finally {
    await pdf.destroy();
  }
}
