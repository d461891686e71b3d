// xlsx and xls workbooks with SheetJS: every sheet, one text unit per data row (see rows.ts). Cells give the text
// Excel shows (number formats applied); a cell linking to a web address is written `[text](address)`, as in Dify.
import * as XLSX from '@e965/xlsx';
import type { TextBudget } from './limits.ts';
import { type Row, rowParts, spreadsheetCell } from './rows.ts';

function cellText(cell: XLSX.CellObject | null | undefined): string {
  if (!cell || cell.t === 'z') return '';
  const text = XLSX.utils.format_cell(cell);
  const target = cell.l?.Target;
  return target && !target.startsWith('#') && text.trim() ? `[${text}](${target})` : text;
}

/**
 * The rows of a dense sheet, each with only the cells it has: a sheet can declare a huge range, and a row with one
 * cell in column XFD is a sparse array 16,384 long, so indexes are walked with Object.keys, never counted up to.
 */
function* sheetRows(sheet: XLSX.WorkSheet): Generator<Row> {
  const data: (XLSX.CellObject | null | undefined)[][] = sheet['!data'] ?? [];
  for (const row of data) {
    if (!row) continue;
    const cells: Row = [];
    for (const key of Object.keys(row)) {
      const column = Number(key);
      const text = cellText(row[column]);
      if (text) cells.push([column, text]);
    }
    yield cells;
  }
}

/**
 * SheetJS reports the unknown records of a damaged xls on console.error; the caller reports failures itself. The
 * read is synchronous, so nothing else can log while console.error is silenced.
 */
function quietly<T>(read: () => T): T {
  const error = console.error;
  console.error = () => {};
  try {
    return read();
  } finally {
    console.error = error;
  }
}

export function extractSpreadsheet(bytes: Uint8Array, budget: TextBudget): string[] {
  const options: XLSX.ParsingOptions = {
    type: 'array',
    dense: true,
    cellFormula: false,
    cellHTML: false,
    cellStyles: false,
    bookVBA: false,
  };
  const workbook = quietly(() => XLSX.read(bytes, options));
  const parts: string[] = [];
  for (const name of workbook.SheetNames) {
    const sheet = workbook.Sheets[name];
    if (!sheet) continue;
    for (const part of rowParts(sheetRows(sheet), spreadsheetCell)) parts.push(budget.take(part));
  }
  return parts;
}
