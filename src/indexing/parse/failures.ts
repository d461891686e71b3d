// Every way extraction can fail becomes an ExtractionError whose message names the file and says why in words a
// user can act on; a parser's own message is kept as the cause when there is nothing better to say.
import { DeadlineExceededError } from './deadline.ts';
import { ExtractionError, NoTextError, ReadableFailure } from './extraction-error.ts';
import { describeFormat, type Format, isTextFormat } from './formats.ts';
import type { Sniffed } from './sniff.ts';

export type SniffedDocument = Extract<Sniffed, { kind: 'document' }>;

const passwordProtected = (filename: string) =>
  new ExtractionError(`${filename} is password-protected; remove the password and upload it again.`);

/** The document to parse, or the refusal of content that is not one. */
export function documentOrRefusal(sniffed: Sniffed, filename: string, claimed: Format | undefined): SniffedDocument {
  switch (sniffed.kind) {
    case 'document':
      return sniffed;
    case 'unsupported': {
      const expected = claimed ? describeFormat(claimed) : 'a supported document';
      throw new ExtractionError(`${filename} is not ${expected}: it looks like ${sniffed.what}.`);
    }
    case 'protected':
      throw passwordProtected(filename);
    case 'damaged': {
      const as = claimed && !isTextFormat(claimed) ? ` as ${describeFormat(claimed)}` : '';
      throw new ExtractionError(`${filename} could not be read${as}: ${sniffed.cause}.`);
    }
    case 'not-text':
      throw new ExtractionError(`${filename} is not UTF-8 text; save it as UTF-8 and upload it again.`);
  }
}

const MAX_CAUSE_LENGTH = 300;

/** A failure before the format was known (the content checks themselves). */
export function unreadable(error: unknown, filename: string): ExtractionError {
  if (error instanceof ExtractionError) return error;
  const cause = error instanceof Error ? error.message : String(error);
  return new ExtractionError(`${filename} could not be read: ${cause.slice(0, MAX_CAUSE_LENGTH).replace(/\.$/, '')}.`);
}

/** A parser's failure, in words. */
export function explainFailure(error: unknown, filename: string, format: Format): ExtractionError {
  const reading = `read as ${describeFormat(format)}`;
  if (error instanceof ExtractionError) return error;
  if (error instanceof NoTextError) return new ExtractionError(`${filename} has no extractable text: ${error.message}.`);
  if (error instanceof DeadlineExceededError) {
    return new ExtractionError(`${filename} took too long to ${reading} (${error.message}); it may be damaged.`);
  }
  const name = error instanceof Error ? error.name : '';
  let cause = error instanceof Error ? error.message : String(error);
  // pdf.js names its exceptions; SheetJS says "File is password-protected".
  if (name === 'PasswordException' || /password.?protected/i.test(cause)) return passwordProtected(filename);
  cause = cause.replace(/^Bug\s*:\s*/, '').replace(/\s+/g, ' ').trim().replace(/\.$/, '') || name || 'unknown error';
  if (cause.length > MAX_CAUSE_LENGTH) cause = `${cause.slice(0, MAX_CAUSE_LENGTH)}…`;
  if (name === 'InvalidPDFException') cause = `the file is damaged or truncated (${cause})`;
  else if (error instanceof RangeError) cause = `it is too large or too complex to read (${cause})`;
  else if (!isTextFormat(format) && !(error instanceof ReadableFailure)) {
    // Past the container checks, a binary parser failing means a damaged file; its own words are only a detail.
    cause = `the file is damaged or malformed (${cause})`;
  }
  return new ExtractionError(`${filename} could not be ${reading}: ${cause}.`);
}
