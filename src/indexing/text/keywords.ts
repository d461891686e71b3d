// Keyword extraction for economy datasets (Dify uses jieba's TF-IDF): ICU word segmentation for every script, stop
// words removed, terms ranked by frequency weighted towards longer, rarer-looking words.
import { STOP_WORDS } from './stop-words.ts';
import { isCjk, tokenize } from './tokenize.ts';

const isWeak = (term: string) => /^\d+([.,]\d+)*$/.test(term) || (!isCjk(term) && term.length < 2) || (isCjk(term) && [...term].length < 2);

export function extractKeywords(text: string, topK = 10): string[] {
  const scores = new Map<string, { score: number; first: number }>();
  const terms = tokenize(text).filter((t) => !STOP_WORDS.has(t));
  terms.forEach((term, index) => {
    const weight = isCjk(term) ? Math.min([...term].length, 4) : Math.min(term.length / 4, 3);
    const entry = scores.get(term);
    if (entry) entry.score += weight;
    else scores.set(term, { score: weight, first: index });
  });
  const ranked = [...scores].sort((a, b) => b[1].score - a[1].score || a[1].first - b[1].first).map(([t]) => t);
  const strong = ranked.filter((t) => !isWeak(t));
  return (strong.length > 0 ? strong : ranked).slice(0, topK);
}
