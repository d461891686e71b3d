/** The file cannot be turned into text; the message is shown to users as the document's error. */
export class ExtractionError extends Error {
  override name = 'ExtractionError';
}

/** A parser read the file but found no text in it; the message says why, without the file's name. */
export class NoTextError extends Error {
  override name = 'NoTextError';
}

/** A failure already put in words for users: shown as the cause after "… could not be read as <format>:". */
export class ReadableFailure extends Error {
  override name = 'ReadableFailure';
}
