// Word documents with mammoth, through its HTML so that the structure survives: headings become `#` lines, lists
// keep their items, tables become Markdown tables (as Dify's Word extractor writes them), links keep their address.
import mammoth from 'mammoth';
import { htmlToText } from './html-text.ts';

// Images carry no text; an empty source spares mammoth from base64-encoding every picture into the HTML.
const dropImages = mammoth.images.imgElement(async () => ({ src: '' }));

export async function extractDocx(bytes: Uint8Array): Promise<string> {
  const { value: html } = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
    { convertImage: dropImages, ignoreEmptyParagraphs: true },
  );
  return htmlToText(html, { markdown: true });
}
