// Tables become one text unit per data row, as Dify's Excel and CSV extractors make them: the first non-empty row
// names the columns, every later non-empty row becomes its cells joined by ';', each cell with its column's name.
// Empty cells are left out, and a column without a name is called `column_N` (N counted from 1).

/** A row's cells as [column index from 0, text], in column order; a sparse row lists only the cells it has. */
export type Row = Array<[column: number, text: string]>;

/** How one cell is written: Dify's Excel extractor writes `"name":"value"`, its CSV extractor `name: value`. */
export type CellWriter = (column: string, value: string) => string;

export const spreadsheetCell: CellWriter = (column, value) => `"${column}":"${value}"`;
export const csvCell: CellWriter = (column, value) => `${column}: ${value}`;

export const denseRow = (cells: string[]): Row => cells.map((text, column) => [column, text]);

export function* rowParts(rows: Iterable<Row>, writeCell: CellWriter): Generator<string> {
  let columns: Map<number, string> | undefined;
  for (const row of rows) {
    const cells = row.map(([column, text]): [number, string] => [column, text.trim()]).filter(([, text]) => text !== '');
    if (cells.length === 0) continue;
    if (!columns) {
      columns = new Map(cells);
      continue;
    }
    const names = columns;
    yield cells.map(([column, value]) => writeCell(names.get(column) ?? `column_${column + 1}`, value)).join(';');
  }
}
