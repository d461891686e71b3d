// Expands every entry of a ZIP container once with Node's zlib, checking it against the directory: local header,
// size and CRC-32. Only then are docx/xlsx handed to mammoth or SheetJS, whose own ZIP readers trust the local
// headers and, for SheetJS, can loop forever on a damaged deflate stream. An entry that expands past its declared
// size stops at that size, so a ZIP bomb that lies about its sizes is caught too.
import { crc32, inflateRawSync } from 'node:zlib';
import { DamagedZipError, decodeZipName, type ZipEntry } from './zip-directory.ts';

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR_FLAG = 0x08;
const ENCRYPTED_FLAG = 0x01;

function entryData(bytes: Uint8Array, view: DataView, entry: ZipEntry): Uint8Array {
  const p = entry.localHeaderOffset;
  const damaged = new DamagedZipError(`the file is damaged (its part ${entry.name} is broken)`);
  if (p + 30 > bytes.length || view.getUint32(p, true) !== LOCAL_HEADER) throw damaged;
  if (view.getUint16(p + 8, true) !== entry.method) throw damaged;
  const nameLength = view.getUint16(p + 26, true);
  const start = p + 30 + nameLength + view.getUint16(p + 28, true);
  if (start > bytes.length || decodeZipName(bytes.subarray(p + 30, p + 30 + nameLength)) !== entry.name) throw damaged;
  const localSizes = [view.getUint32(p + 18, true), view.getUint32(p + 22, true)];
  const sizesHere = !(view.getUint16(p + 6, true) & DATA_DESCRIPTOR_FLAG) && !localSizes.includes(0xffffffff);
  if (sizesHere && (localSizes[0] !== entry.compressedSize || localSizes[1] !== entry.uncompressedSize)) throw damaged;
  if (start + entry.compressedSize > bytes.length) throw damaged;
  return bytes.subarray(start, start + entry.compressedSize);
}

function expand(data: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw new DamagedZipError(`its part ${entry.name} uses an unsupported compression method`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (error) {
    const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw new DamagedZipError(
      tooLarge
        ? `the file is damaged or hostile (its part ${entry.name} expands past its declared size)`
        : `the file is damaged (its part ${entry.name} cannot be expanded: ${(error as Error).message})`,
    );
  }
}

export function verifyZipEntries(bytes: Uint8Array, entries: ZipEntry[]) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const entry of entries) {
    if (entry.flags & ENCRYPTED_FLAG) throw new DamagedZipError(`its part ${entry.name} is encrypted`);
    const content = expand(entryData(bytes, view, entry), entry);
    if (content.length !== entry.uncompressedSize || crc32(content) !== entry.crc32) {
      throw new DamagedZipError(`the file is damaged (its part ${entry.name} fails its checksum)`);
    }
  }
}
