/** The file cannot be turned into text; the message is shown to users as the document's error. */
export class ExtractionError extends Error {
  override name = 'ExtractionError';
}
