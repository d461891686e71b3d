// OLE compound files (Office 97-2003 and encrypted Office files) are told apart by the streams they hold.
import * as XLSX from '@e965/xlsx';

// SheetJS types its bundled CFB library as `any`; this is the part used here.
interface CompoundFile {
  FullPaths: string[];
}
const cfb = XLSX.CFB as { read(data: Uint8Array, options: { type: 'array' }): CompoundFile };

export type OleKind = 'xls' | 'doc' | 'ppt' | 'encrypted' | 'msg' | 'other';

/** The stream names of the compound file, without their storage path; throws when the container is damaged. */
function streamNames(bytes: Uint8Array): Set<string> {
  const { FullPaths } = cfb.read(bytes, { type: 'array' });
  return new Set(FullPaths.map((path) => path.replace(/\/$/, '').split('/').pop() ?? ''));
}

export function oleKind(bytes: Uint8Array): OleKind {
  const names = streamNames(bytes);
  if (names.has('EncryptedPackage')) return 'encrypted';
  if (names.has('Workbook') || names.has('Book')) return 'xls';
  if (names.has('WordDocument')) return 'doc';
  if (names.has('PowerPoint Document')) return 'ppt';
  if ([...names].some((name) => name.startsWith('__substg1.0_'))) return 'msg';
  return 'other';
}
