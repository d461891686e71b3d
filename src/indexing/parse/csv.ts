// CSV as Dify's CSV extractor reads it: the first row names the columns, each later row is one text unit of
// `name: value` pairs joined by ';' (see rows.ts). The delimiter is the one of , ; tab | that the first line uses most.
import { parse } from 'csv-parse/sync';
import type { TextBudget } from './limits.ts';
import { csvCell, denseRow, rowParts } from './rows.ts';

const DELIMITERS = [',', ';', '\t', '|'];

/** Counts each candidate on the first line, outside quotes; a tie or no candidate means ','. */
function guessDelimiter(text: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '\n') break;
    else if (!quoted && DELIMITERS.includes(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const delimiter of DELIMITERS) if ((counts.get(delimiter) ?? 0) > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

export function extractCsv(text: string, budget: TextBudget): string[] {
  const rows = parse(text, {
    delimiter: guessDelimiter(text),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  }) as string[][];
  return [...rowParts(rows.map(denseRow), csvCell)].map((part) => budget.take(part));
}
