import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_EXTENSIONS,
  fileExtension,
  isAllowedDocumentExtension,
  mimeTypeFor,
} from '../../../src/indexing/parse/index.ts';

describe('file names and types', () => {
  it("accepts Dify's default ETL allow-list", () => {
    expect([...DOCUMENT_EXTENSIONS].sort()).toEqual(
      ['csv', 'docx', 'htm', 'html', 'markdown', 'md', 'mdx', 'pdf', 'properties', 'txt', 'vtt', 'xls', 'xlsx'],
    );
    expect(Object.isFrozen(DOCUMENT_EXTENSIONS)).toBe(true);
  });

  it('fileExtension: the lower-cased text after the last dot, or nothing', () => {
    expect(fileExtension('Report.Final.PDF')).toBe('pdf');
    expect(fileExtension('notes')).toBe('');
    expect(fileExtension('trailing.')).toBe('');
    expect(fileExtension('.env')).toBe('env');
    expect(fileExtension('年度报告.DOCX')).toBe('docx');
  });

  it('isAllowedDocumentExtension goes by the extension, in any case', () => {
    expect(isAllowedDocumentExtension('a.MD')).toBe(true);
    expect(isAllowedDocumentExtension('sheet.xls')).toBe(true);
    expect(isAllowedDocumentExtension('slides.pptx')).toBe(false);
    expect(isAllowedDocumentExtension('docx')).toBe(false);
    expect(isAllowedDocumentExtension('archive.tar.gz')).toBe(false);
  });

  it('mimeTypeFor names the type of each accepted extension', () => {
    expect(mimeTypeFor('pdf')).toBe('application/pdf');
    expect(mimeTypeFor('MD')).toBe('text/markdown');
    expect(mimeTypeFor('mdx')).toBe('text/markdown');
    expect(mimeTypeFor('txt')).toBe('text/plain');
    expect(mimeTypeFor('properties')).toBe('text/plain');
    expect(mimeTypeFor('vtt')).toBe('text/vtt');
    expect(mimeTypeFor('htm')).toBe('text/html');
    expect(mimeTypeFor('csv')).toBe('text/csv');
    expect(mimeTypeFor('xls')).toBe('application/vnd.ms-excel');
    expect(mimeTypeFor('xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(mimeTypeFor('docx')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(mimeTypeFor('exe')).toBe('application/octet-stream');
    expect(DOCUMENT_EXTENSIONS.every((ext) => mimeTypeFor(ext) !== 'application/octet-stream')).toBe(true);
  });
});
