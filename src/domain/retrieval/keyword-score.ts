// Dify's keyword side of weighted hybrid scoring (spec §7.3): cosine similarity of TF-IDF vectors of the query's
// keywords and each candidate's words, with IDF computed over the candidate set only: ln((1 + N) / (1 + df)) + 1.
import { extractKeywords } from '../../indexing/text/keywords.ts';
import { tokenize } from '../../indexing/text/tokenize.ts';

export function keywordScores(query: string, candidates: string[]): number[] {
  const queryKeywords = extractKeywords(query, 10);
  if (queryKeywords.length === 0 || candidates.length === 0) return candidates.map(() => 0);
  const counts = candidates.map((text) => {
    const tf = new Map<string, number>();
    for (const term of tokenize(text)) tf.set(term, (tf.get(term) ?? 0) + 1);
    return tf;
  });
  const n = candidates.length;
  const idf = new Map(
    queryKeywords.map((k) => {
      const df = counts.filter((tf) => tf.has(k)).length;
      return [k, Math.log((1 + n) / (1 + df)) + 1] as const;
    }),
  );
  const queryVector = queryKeywords.map((k) => idf.get(k) as number);
  const queryNorm = Math.hypot(...queryVector);
  return counts.map((tf) => {
    const docVector = queryKeywords.map((k) => (tf.get(k) ?? 0) * (idf.get(k) as number));
    const docNorm = Math.hypot(...docVector);
    if (docNorm === 0) return 0;
    return docVector.reduce((s, v, i) => s + v * (queryVector[i] as number), 0) / (queryNorm * docNorm);
  });
}
