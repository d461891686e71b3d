import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DamagedZipError, readZipDirectory } from '../../../src/indexing/parse/zip-directory.ts';

const archive = () =>
  zipSync({ 'word/document.xml': new Uint8Array(5000).fill(65), 'a/名前.txt': new TextEncoder().encode('hi') }, { level: 9 });

describe('readZipDirectory', () => {
  it('lists names and declared sizes without expanding anything', () => {
    expect(readZipDirectory(archive())).toEqual([
      expect.objectContaining({ name: 'word/document.xml', method: 8, uncompressedSize: 5000, localHeaderOffset: 0 }),
      expect.objectContaining({ name: 'a/名前.txt', uncompressedSize: 2, crc32: 0xd8932aac }),
    ]);
  });

  it('reads an archive with a trailing comment, and refuses one with data before it (parsers would misread it)', () => {
    const zip = archive();
    const commented = zip.slice();
    const comment = new TextEncoder().encode('a comment');
    new DataView(commented.buffer).setUint16(commented.length - 2, comment.length, true);
    expect(readZipDirectory(new Uint8Array([...commented, ...comment]))).toHaveLength(2);
    const prefixed = new Uint8Array([...new Uint8Array(100).fill(7), ...zip]);
    expect(() => readZipDirectory(prefixed)).toThrow('its ZIP directory is broken');
  });

  it('refuses a truncated archive, a broken directory and an entry count past the data', () => {
    const zip = archive();
    expect(() => readZipDirectory(zip.subarray(0, zip.length - 10))).toThrow(DamagedZipError);
    const broken = zip.slice();
    const directory = new DataView(broken.buffer).getUint32(broken.length - 22 + 16, true);
    broken[directory] = 0;
    expect(() => readZipDirectory(broken)).toThrow('its ZIP directory is broken');
    const counted = zip.slice();
    new DataView(counted.buffer).setUint16(counted.length - 22 + 10, 0xfffe, true);
    expect(() => readZipDirectory(counted)).toThrow(DamagedZipError);
  });

  it('returns no entries for an empty archive and refuses data that is no archive', () => {
    expect(readZipDirectory(zipSync({}))).toEqual([]);
    expect(() => readZipDirectory(new Uint8Array(10))).toThrow(DamagedZipError);
  });
});
