// Reads a ZIP archive's central directory (names, methods, checksums, declared sizes) without expanding anything,
// with every offset checked against the data: a damaged or hostile archive is refused here, before a parser
// spends time on it.
import { ReadableFailure } from './extraction-error.ts';

export interface ZipEntry {
  name: string;
  /** General-purpose flags: bit 0 encryption, bit 3 sizes in a data descriptor after the data. */
  flags: number;
  /** 0 stored, 8 deflated. */
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export class DamagedZipError extends ReadableFailure {
  override name = 'DamagedZipError';
}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_ENTRY = 0x02014b50;
const MAX_COMMENT = 0xffff;
const UNSET32 = 0xffffffff;

const BROKEN = 'the file is damaged (its ZIP directory is broken)';

export const decodeZipName = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes);

export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfDirectory(view);
  if (end < 0) throw new DamagedZipError('the file is truncated or damaged (its ZIP directory is missing)');

  let count = view.getUint16(end + 10, true);
  let size = view.getUint32(end + 12, true);
  let offset = view.getUint32(end + 16, true);
  let directoryEnd = end;
  if (count === 0xffff || size === UNSET32 || offset === UNSET32) {
    const zip64 = readZip64End(view, end);
    if (zip64) ({ count, size, offset, directoryEnd } = zip64);
  }
  // Parsers read the directory where its offset says (they do not look for data prepended to the archive), so the
  // offset must be exactly where the directory is.
  if (offset + size !== directoryEnd) throw new DamagedZipError(BROKEN);

  const entries: ZipEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > directoryEnd || view.getUint32(p, true) !== DIRECTORY_ENTRY) throw new DamagedZipError(BROKEN);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const next = p + 46 + nameLength + extraLength + view.getUint16(p + 32, true);
    if (next > directoryEnd) throw new DamagedZipError(BROKEN);
    const entry: ZipEntry = {
      name: decodeZipName(bytes.subarray(p + 46, p + 46 + nameLength)),
      flags: view.getUint16(p + 8, true),
      method: view.getUint16(p + 10, true),
      crc32: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      uncompressedSize: view.getUint32(p + 24, true),
      localHeaderOffset: view.getUint32(p + 42, true),
    };
    readZip64Extra(view, p + 46 + nameLength, p + 46 + nameLength + extraLength, entry);
    if (entry.localHeaderOffset + 30 > offset) {
      throw new DamagedZipError('the file is truncated or damaged (its ZIP directory points past the data)');
    }
    entries.push(entry);
    p = next;
  }
  return entries;
}

/** The last end record, as parsers find it: scanning back from the end of the file. */
function findEndOfDirectory(view: DataView): number {
  const last = view.byteLength - 22;
  for (let p = last; p >= 0 && p >= last - MAX_COMMENT; p--) {
    if (view.getUint32(p, true) === END_OF_DIRECTORY) {
      return p + 22 + view.getUint16(p + 20, true) <= view.byteLength ? p : -1;
    }
  }
  return -1;
}

function readZip64End(view: DataView, end: number) {
  const locator = end - 20;
  if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR) return undefined;
  const record = Number(view.getBigUint64(locator + 8, true));
  if (record + 56 > locator || view.getUint32(record, true) !== ZIP64_END_OF_DIRECTORY) {
    throw new DamagedZipError('the file is damaged (its ZIP64 directory is broken)');
  }
  return {
    count: Number(view.getBigUint64(record + 32, true)),
    size: Number(view.getBigUint64(record + 40, true)),
    offset: Number(view.getBigUint64(record + 48, true)),
    directoryEnd: record,
  };
}

/** The ZIP64 extra field (id 1) holds, in this order, the 64-bit values that the entry marked 0xffffffff. */
function readZip64Extra(view: DataView, start: number, end: number, entry: ZipEntry) {
  const fields = ['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const;
  if (!fields.some((field) => entry[field] === UNSET32)) return;
  for (let p = start; p + 4 <= end; ) {
    const id = view.getUint16(p, true);
    const length = view.getUint16(p + 2, true);
    if (id === 1) {
      let q = p + 4;
      const fieldEnd = Math.min(q + length, end);
      for (const field of fields) {
        if (entry[field] !== UNSET32 || q + 8 > fieldEnd) continue;
        entry[field] = Number(view.getBigUint64(q, true));
        q += 8;
      }
      return;
    }
    p += 4 + length;
  }
}
