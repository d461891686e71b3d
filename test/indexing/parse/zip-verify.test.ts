import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readZipDirectory } from '../../../src/indexing/parse/zip-directory.ts';
import { verifyZipEntries } from '../../../src/indexing/parse/zip-verify.ts';

const text = new TextEncoder().encode('x'.repeat(10_000));
const archive = () => zipSync({ 'xl/a.xml': text, 'xl/b.xml': new TextEncoder().encode('short') }, { level: 9 });
const verify = (bytes: Uint8Array) => verifyZipEntries(bytes, readZipDirectory(bytes));

/** Sets the uncompressed size of the first entry, in its local header and in the directory. */
function declareSize(zip: Uint8Array, size: number) {
  const view = new DataView(zip.buffer);
  view.setUint32(22, size, true);
  view.setUint32(view.getUint32(zip.length - 22 + 16, true) + 24, size, true);
}

describe('verifyZipEntries', () => {
  it('accepts a sound archive', () => {
    expect(() => verify(archive())).not.toThrow();
  });

  it('stops an entry that expands past its declared size (a bomb lying about its size)', () => {
    const zip = archive();
    declareSize(zip, 100);
    expect(() => verify(zip)).toThrow('its part xl/a.xml expands past its declared size');
  });

  it('refuses an entry whose content does not match its checksum', () => {
    const zip = zipSync({ 'xl/a.xml': [text, { level: 0 }] });
    zip[30 + 'xl/a.xml'.length + 5] = 0x79; // stored: the content is right there
    expect(() => verify(zip)).toThrow('its part xl/a.xml fails its checksum');
  });

  it('refuses a damaged deflate stream and a local header that disagrees with the directory', () => {
    const zip = archive();
    zip.fill(0xff, 40, 60);
    expect(() => verify(zip)).toThrow(/its part xl\/a\.xml (cannot be expanded|fails its checksum)/);
    const renamed = archive();
    renamed[30] = 'y'.charCodeAt(0);
    expect(() => verify(renamed)).toThrow('its part xl/a.xml is broken');
  });
});
