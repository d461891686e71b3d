import * as XLSX from '@e965/xlsx';
import { rowsToParts } from './rows.ts';

/** Every sheet of an xlsx or xls workbook, one part per data row (see rows.ts). */
export function extractSpreadsheet(bytes: Uint8Array): string[] {
  const workbook = XLSX.read(bytes, { type: 'array', dense: true });
  return workbook.SheetNames.flatMap((name) => {
    const sheet = workbook.Sheets[name];
    if (!sheet) return [];
    const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: false, defval: '' });
    return rowsToParts(rows.map((row) => row.map((cell) => String(cell ?? ''))));
  });
}
