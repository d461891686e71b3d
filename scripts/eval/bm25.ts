// The reference the engines are measured against: plain Okapi BM25 (Lucene's IDF, k1 0.9, b 0.4, as Anserini's
// BEIR baseline) over lower-cased alphanumeric words, English stop words removed (the `stopword` package's list) and
// Porter-stemmed (the `stemmer` package). In memory, exhaustive, deliberately independent of the code it checks.
import { stemmer } from 'stemmer';
import { eng } from 'stopword';

const STOP = new Set(eng);
const WORD = /[\p{L}\p{N}]+/gu;

export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const [word] of text.toLowerCase().matchAll(WORD)) {
    if (!STOP.has(word)) terms.push(stemmer(word));
  }
  return terms;
}

export class Bm25 {
  private readonly postings = new Map<string, Map<number, number>>();
  private readonly lengths: number[] = [];
  private readonly ids: string[] = [];

  constructor(
    private readonly k1 = 0.9,
    private readonly b = 0.4,
  ) {}

  add(id: string, text: string): void {
    const doc = this.ids.length;
    const terms = analyze(text);
    this.ids.push(id);
    this.lengths.push(terms.length);
    for (const term of terms) {
      const list = this.postings.get(term) ?? new Map<number, number>();
      list.set(doc, (list.get(doc) ?? 0) + 1);
      this.postings.set(term, list);
    }
  }

  /** The best `k` document ids for the query's distinct terms, best first (ties by insertion order). */
  search(query: string, k: number): string[] {
    return this.scored(query, k).map((hit) => hit.id);
  }

  /** As `search`, with each document's BM25 score (for score fusions). */
  scored(query: string, k: number): Array<{ id: string; score: number }> {
    return this.weighted(new Map([...new Set(analyze(query))].map((term) => [term, 1])), k);
  }

  /** As `scored`, for analysed terms each weighted (a term's BM25 contribution times its weight; for query expansion). */
  weighted(terms: ReadonlyMap<string, number>, k: number): Array<{ id: string; score: number }> {
    const n = this.ids.length;
    const avgdl = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, n);
    const scores = new Map<number, number>();
    for (const [term, weight] of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = weight * Math.log(1 + (n - list.size + 0.5) / (list.size + 0.5));
      for (const [doc, tf] of list) {
        const norm = tf + this.k1 * (1 - this.b + (this.b * (this.lengths[doc] as number)) / avgdl);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (this.k1 + 1)) / norm);
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([doc, score]) => ({ id: this.ids[doc] as string, score }));
  }
}
