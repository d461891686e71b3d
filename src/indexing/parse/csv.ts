import { parse } from 'csv-parse/sync';
import { rowsToParts } from './rows.ts';

export function extractCsv(text: string): string[] {
  const rows = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  return rowsToParts(rows);
}
