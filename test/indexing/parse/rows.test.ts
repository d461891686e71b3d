import { describe, expect, it } from 'vitest';
import { csvCell, denseRow, rowParts, spreadsheetCell } from '../../../src/indexing/parse/rows.ts';

describe('rowParts', () => {
  it('names cells by the first non-empty row, skips empty rows and cells, and trims', () => {
    const rows = [[], ['', ''], [' Name ', 'Age'], ['Ann', ' 31 '], ['', ''], ['Bo', '']].map(denseRow);
    expect([...rowParts(rows, spreadsheetCell)]).toEqual(['"Name":"Ann";"Age":"31"', '"Name":"Bo"']);
    expect([...rowParts(rows, csvCell)]).toEqual(['Name: Ann;Age: 31', 'Name: Bo']);
  });

  it('calls a column without a name column_N, including cells past the header', () => {
    expect([...rowParts([['id', ''], ['1', 'x', 'extra']].map(denseRow), csvCell)]).toEqual([
      'id: 1;column_2: x;column_3: extra',
    ]);
  });

  it('gives nothing for a header alone', () => {
    expect([...rowParts([['a', 'b']].map(denseRow), csvCell)]).toEqual([]);
  });

  it('takes sparse rows: only the cells a row has, by column index', () => {
    const rows = [[[0, 'id'], [16383, 'last']], [[16383, 'far']], [[2, 'unnamed']]] as Array<Array<[number, string]>>;
    expect([...rowParts(rows, spreadsheetCell)]).toEqual(['"last":"far"', '"column_3":"unnamed"']);
  });
});
