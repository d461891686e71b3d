// The content decides what a file is: a mislabelled document is read as what it is when that is supported, and
// refused with a message naming the file and what it looks like when it is not.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExtractionError, extractText } from '../../../src/indexing/parse/index.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/files/${name}`, import.meta.url)));
const extractAs = (fixtureName: string, filename: string) => extractText({ bytes: fixture(fixtureName), filename });

describe('mislabelled files of a supported type are read as what they are', () => {
  it.each([
    ['sample.pdf', 'report.docx', 'pdf'],
    ['sample.pdf', 'actually.txt', 'pdf'],
    ['sample.docx', 'letter.pdf', 'docx'],
    ['sample.docx', 'letter.xlsx', 'docx'],
    ['sample.xlsx', 'table.docx', 'xlsx'],
    ['sample.xlsx', 'table.csv', 'xlsx'],
    ['sample.xls', 'old-table.xlsx', 'xls'],
    ['sample.xls', 'old-table.pdf', 'xls'],
  ])('%s named %s is parsed as %s', async (fixtureName, filename, format) => {
    const extracted = await extractAs(fixtureName, filename);
    expect(extracted.format).toBe(format);
    expect(extracted.parts.length).toBeGreaterThan(0);
  });

  it('a PDF named .docx gives the PDF text', async () => {
    expect((await extractAs('sample.pdf', 'report.docx')).parts[0]).toBe('Quarterly Report\nRevenue grew by 12 percent.');
  });

  it('text named as a binary format is read as text, HTML as HTML', async () => {
    expect(await extractAs('sample.txt', 'export.xls')).toMatchObject({ format: 'text', parts: [expect.stringContaining('中文')] });
    expect(await extractAs('sample.html', 'page.pdf')).toMatchObject({
      format: 'html',
      parts: [expect.stringMatching(/^Company & Culture\n/)],
    });
  });

  it('a text extension keeps its own reader: HTML named .txt stays text, a .csv stays CSV', async () => {
    expect(await extractAs('sample.htm', 'snippet.txt')).toMatchObject({ format: 'text', parts: [expect.stringMatching(/^<html>/)] });
    expect(await extractAs('sample.csv', 'rows.csv')).toMatchObject({ format: 'csv' });
  });
});

describe('mislabelled files of an unsupported type are refused with a readable message', () => {
  it.each([
    ['image.png', 'notes.docx', 'notes.docx is not a Word document: it looks like a PNG image.'],
    ['image.png', 'photo.pdf', 'photo.pdf is not a PDF document: it looks like a PNG image.'],
    ['image.png', 'notes.txt', 'notes.txt is not a text file: it looks like a PNG image.'],
    ['image.png', 'table.csv', 'table.csv is not a CSV file: it looks like a PNG image.'],
    ['slides.pptx', 'deck.docx', 'deck.docx is not a Word document: it looks like a PowerPoint presentation.'],
    ['archive.zip', 'bundle.xlsx', 'bundle.xlsx is not an Excel workbook: it looks like a ZIP archive.'],
    ['legacy.doc', 'old.docx', 'old.docx is not a Word document: it looks like a Word 97-2003 document (.doc); save it as .docx.'],
    ['encrypted.docx', 'secret.docx', 'secret.docx is password-protected; remove the password and upload it again.'],
    ['encrypted.docx', 'secret.xlsx', 'secret.xlsx is password-protected; remove the password and upload it again.'],
  ])('%s named %s', async (fixtureName, filename, message) => {
    const failure = extractAs(fixtureName, filename);
    await expect(failure).rejects.toBeInstanceOf(ExtractionError);
    await expect(failure).rejects.toThrow(message);
  });

  it('an extension outside the allow-list is refused by name', async () => {
    await expect(extractAs('image.png', 'image.png')).rejects.toThrow('image.png: .png files are not supported.');
  });

  it('content of an unknown binary kind, with no name to go by', async () => {
    await expect(extractText({ bytes: new Uint8Array([0, 1, 2, 3, 0xff, 0xfe, 0x80, 0]), filename: 'blob' })).rejects.toThrow(
      'blob is not a supported document: it looks like binary data of an unknown kind.',
    );
  });
});
