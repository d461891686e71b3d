// Standard IR metrics over a ranked list of document ids and graded judgments (trec_eval's definitions).

export type Judged = ReadonlyMap<string, number>;

/** nDCG@k with gain = grade and log2 discount. */
export function ndcgAt(k: number, ranked: readonly string[], judged: Judged): number {
  const dcg = ranked.slice(0, k).reduce((sum, id, i) => sum + (judged.get(id) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...judged.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, i) => sum + grade / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Share of the relevant documents found in the first k. */
export function recallAt(k: number, ranked: readonly string[], judged: Judged): number {
  const relevant = [...judged].filter(([, grade]) => grade > 0).length;
  if (relevant === 0) return 0;
  return ranked.slice(0, k).filter((id) => (judged.get(id) ?? 0) > 0).length / relevant;
}

/** Reciprocal rank of the first relevant document within the first k (0 if none). */
export function mrrAt(k: number, ranked: readonly string[], judged: Judged): number {
  const at = ranked.slice(0, k).findIndex((id) => (judged.get(id) ?? 0) > 0);
  return at < 0 ? 0 : 1 / (at + 1);
}

export const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
