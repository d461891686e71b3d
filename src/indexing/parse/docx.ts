import mammoth from 'mammoth';

/** The document's text with paragraph breaks (tables' cells come out as paragraphs). */
export async function extractDocx(bytes: Uint8Array): Promise<string> {
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
  return value;
}
