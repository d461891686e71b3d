/**
 * Tables the way Dify's Excel and CSV extractors render them: the first row names the columns and every following
 * non-empty row becomes one text unit `"header":"value";"header":"value"`, so each row is findable on its own.
 */
export function rowsToParts(rows: string[][]): string[] {
  const [header, ...data] = rows;
  if (!header) return [];
  const names = header.map((h, i) => h.trim() || `column_${i + 1}`);
  return data
    .filter((row) => row.some((cell) => cell.trim() !== ''))
    .map((row) =>
      row
        .map((cell, i) => [names[i] ?? `column_${i + 1}`, cell.trim()] as const)
        .filter(([, value]) => value !== '')
        .map(([name, value]) => `"${name}":"${value}"`)
        .join(';'),
    );
}
