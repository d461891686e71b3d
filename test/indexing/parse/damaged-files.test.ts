// Damaged, empty, non-text and oversized files end in an ExtractionError naming the file and the cause: never a
// crash of another kind, never a hang.
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ExtractionError, extractText } from '../../../src/indexing/parse/index.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/files/${name}`, import.meta.url)));

/** A minimal xlsx whose only sheet declares the whole grid (A1:XFD1048576) and holds the given rows. */
function sparseWorkbook(sheetRows: string): Uint8Array {
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rels = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const relationships = (type: string, target: string) =>
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rels}/${type}" Target="${target}"/></Relationships>`;
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels': relationships('officeDocument', 'xl/workbook.xml'),
    'xl/workbook.xml': `<workbook xmlns="${main}" xmlns:r="${rels}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': relationships('worksheet', 'worksheets/sheet1.xml'),
    'xl/worksheets/sheet1.xml': `<worksheet xmlns="${main}"><dimension ref="A1:XFD1048576"/><sheetData>${sheetRows}</sheetData></worksheet>`,
  };
  return zipSync(Object.fromEntries(Object.entries(parts).map(([name, xml]) => [name, strToU8(xml)])));
}

async function failure(promise: Promise<unknown>): Promise<ExtractionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractionError);
  return error as ExtractionError;
}

describe('empty and non-text files', () => {
  it.each(['empty.txt', 'empty.pdf', 'empty.docx', 'empty.csv'])('%s: the file is empty', async (filename) => {
    expect((await failure(extractText({ bytes: new Uint8Array(0), filename }))).message).toBe(
      `${filename}: the file is empty.`,
    );
  });

  it('whitespace only: no text', async () => {
    const error = await failure(extractText({ bytes: new TextEncoder().encode(' \n\t\n'), filename: 'blank.md' }));
    expect(error.message).toBe('blank.md contains no text.');
  });

  it('a CSV with a header and no rows: no text', async () => {
    const error = await failure(extractText({ bytes: new TextEncoder().encode('a,b\n,\n'), filename: 'header.csv' }));
    expect(error.message).toBe('header.csv contains no text.');
  });

  it('binary garbage labelled .txt is not UTF-8 text', async () => {
    const bytes = new Uint8Array([0x61, 0x62, 0xc3, 0x28, 0xa0, 0xa1, 0x63, 0xff, 0xfe, 0x80]);
    expect((await failure(extractText({ bytes, filename: 'binary.txt' }))).message).toBe(
      'binary.txt is not UTF-8 text; save it as UTF-8 and upload it again.',
    );
  });

  it('Latin-1 text is not UTF-8 text either', async () => {
    const bytes = new Uint8Array(Buffer.from('café crème', 'latin1'));
    expect((await failure(extractText({ bytes, filename: 'menu.md' }))).message).toMatch(/^menu\.md is not UTF-8 text/);
  });

  it('valid UTF-8 with NUL bytes (UTF-16 without a BOM) is not text', async () => {
    const bytes = new Uint8Array(Buffer.from('plain ascii', 'utf16le'));
    expect((await failure(extractText({ bytes, filename: 'wide.txt' }))).message).toMatch(/^wide\.txt is not UTF-8 text/);
  });
});

describe('damaged documents', () => {
  it('a scanned PDF (no text layer) has no extractable text', async () => {
    expect((await failure(extractText({ bytes: fixture('scanned.pdf'), filename: 'scan.pdf' }))).message).toBe(
      'scan.pdf has no extractable text: the PDF has no text layer (is it a scan? Run it through OCR first).',
    );
  });

  it('a PDF that needs a password', async () => {
    expect((await failure(extractText({ bytes: fixture('protected.pdf'), filename: 'locked.pdf' }))).message).toBe(
      'locked.pdf is password-protected; remove the password and upload it again.',
    );
  });

  it.each([20, 200, 600])('a PDF cut after %i bytes', async (length) => {
    const error = await failure(extractText({ bytes: fixture('sample.pdf').subarray(0, length), filename: 'cut.pdf' }));
    expect(error.message).toMatch(/^cut\.pdf (could not be read as a PDF document: the file is damaged or truncated|has no extractable text)/);
  });

  it('a PDF header followed by garbage', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('%PDF-1.7\n'), ...new Uint8Array(2000).fill(0x9c)]);
    expect((await failure(extractText({ bytes, filename: 'junk.pdf' }))).message).toBe(
      'junk.pdf could not be read as a PDF document: the file is damaged or truncated (Invalid PDF structure).',
    );
  });

  it('a docx cut in half: its ZIP directory is missing', async () => {
    const docx = fixture('sample.docx');
    expect((await failure(extractText({ bytes: docx.subarray(0, docx.length / 2), filename: 'half.docx' }))).message).toBe(
      'half.docx could not be read as a Word document: the file is truncated or damaged (its ZIP directory is missing).',
    );
  });

  it('an xlsx whose ZIP directory is overwritten', async () => {
    const bytes = fixture('sample.xlsx').slice();
    const end = bytes.length - 22;
    const directory = new DataView(bytes.buffer).getUint32(end + 16, true);
    bytes.fill(0x41, directory, directory + 40);
    expect((await failure(extractText({ bytes, filename: 'broken.xlsx' }))).message).toBe(
      'broken.xlsx could not be read as an Excel workbook: the file is damaged (its ZIP directory is broken).',
    );
  });

  it('a docx whose compressed document part is corrupted', async () => {
    const bytes = fixture('sample.docx').slice();
    // The last entry written is word/document.xml: scramble the middle of its deflate stream.
    const at = bytes.length - 800;
    bytes.fill(0xff, at, at + 60);
    const error = await failure(extractText({ bytes, filename: 'scrambled.docx' }));
    expect(error.message).toMatch(
      /^scrambled\.docx could not be read as a Word document: the file is damaged \(its part word\/document\.xml .+\)\.$/,
    );
  });

  it('an xlsx whose worksheet part is overwritten (SheetJS alone loops forever on it)', async () => {
    const bytes = fixture('sample.xlsx').slice();
    // Found by robustness.test.ts: the end of the part's local header and the start of its deflate data.
    bytes.set([131, 22, 211, 86, 219, 217, 31, 80, 70, 36, 22, 149, 23, 129, 140], 4791);
    expect((await failure(extractText({ bytes, filename: 'loop.xlsx' }))).message).toBe(
      'loop.xlsx could not be read as an Excel workbook: the file is damaged (its part xl/worksheets/sheet1.xml is broken).',
    );
  });

  it('an xls whose OLE container is damaged', async () => {
    const bytes = fixture('sample.xls').slice();
    bytes.fill(0xff, 48, 512);
    const error = await failure(extractText({ bytes, filename: 'old.xls' }));
    expect(error.message).toMatch(/^old\.xls could not be read as an Excel 97-2003 workbook: the file is damaged /);
  });

  it('a CSV with an unclosed quote', async () => {
    const bytes = new TextEncoder().encode('a,b\n1,"never closed\n2,3\n');
    const error = await failure(extractText({ bytes, filename: 'quote.csv' }));
    expect(error.message).toMatch(/^quote\.csv could not be read as a CSV file: .*quote/i);
  });
});

describe('limits', () => {
  it('extracted text over the character limit is refused', async () => {
    const error = await failure(
      extractText({ bytes: fixture('sample.xlsx'), filename: 'big.xlsx' }, { maxCharacters: 100 }),
    );
    expect(error.message).toBe('big.xlsx holds more than 100 characters of text, the limit for one document.');
    await expect(extractText({ bytes: fixture('sample.txt'), filename: 'a.txt' }, { maxCharacters: 10 })).rejects.toThrow(
      'a.txt holds more than 10 characters',
    );
  });

  it('a ZIP container that would expand past the limit is refused before it is expanded', async () => {
    const error = await failure(
      extractText({ bytes: fixture('sample.docx'), filename: 'bomb.docx' }, { maxUncompressedBytes: 1000 }),
    );
    expect(error.message).toMatch(/^bomb\.docx could not be read as a Word document: it would expand to [\d,]+ bytes, more than the 1,000 bytes allowed\.$/);
  });

  it('a ZIP entry declaring 4 GB is refused with the default limit', async () => {
    const bytes = fixture('sample.docx').slice();
    const view = new DataView(bytes.buffer);
    const directory = view.getUint32(bytes.length - 22 + 16, true);
    view.setUint32(directory + 24, 0xfffffff0, true);
    const error = await failure(extractText({ bytes, filename: 'bomb.docx' }));
    expect(error.message).toBe(
      'bomb.docx could not be read as a Word document: it would expand to 4,096 MB, more than the 512 MB allowed.',
    );
  });

  it('a sheet declaring the whole grid, with 100,000 rows of one cell in the last column, is read in linear time', async () => {
    const rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="XFD1" t="inlineStr"><is><t>far</t></is></c></row>'];
    for (let r = 2; r <= 100_000; r++) rows.push(`<row r="${r}"><c r="XFD${r}"><v>${r}</v></c></row>`);
    const started = Date.now();
    const { format, parts } = await extractText({ bytes: sparseWorkbook(rows.join('')), filename: 'sparse.xlsx' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(format).toBe('xlsx');
    expect(parts).toHaveLength(99_999);
    expect(parts[0]).toBe('"far":"2"');
  });

  it('deeply nested HTML is read without overflowing the stack', async () => {
    const html = `${'<div>'.repeat(5000)}deep${'</div>'.repeat(5000)}<p>shallow text</p>`;
    const { parts } = await extractText({ bytes: new TextEncoder().encode(html), filename: 'deep.html' });
    expect(parts[0]).toContain('shallow text');
  });
});
