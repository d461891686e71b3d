// English word forms folded to one term (Porter's stemmer): "infections", "infected" and "infection" all become
// "infect". Used by keyword extraction and the built-in embedding model; the full-text engine stems in the database
// (PostgreSQL's `english` configuration).
import { stemmer } from 'stemmer';

const LATIN_WORD = /^[a-z]+$/;

/** Stems already computed: a collection's vocabulary repeats, and the embedder and keywords stem the same words. */
const known = new Map<string, string>();
const MAX_KNOWN = 100_000;

/** The Porter stem of a lower-case Latin word; any other term (CJK, digits, accents) as it is. */
export function stem(term: string): string {
  let stemmed = known.get(term);
  if (stemmed !== undefined) return stemmed;
  stemmed = LATIN_WORD.test(term) ? stemmer(term) : term;
  if (known.size >= MAX_KNOWN) known.clear();
  known.set(term, stemmed);
  return stemmed;
}
