// English word forms folded to one term (Porter's stemmer): "infections", "infected" and "infection" all become
// "infect". Used by keyword extraction and the built-in embedding model; the full-text engine stems in the database
// (PostgreSQL's `english` configuration).
import { stemmer } from 'stemmer';

const LATIN_WORD = /^[a-z]+$/;

/** The Porter stem of a lower-case Latin word; any other term (CJK, digits, accents) as it is. */
export const stem = (term: string) => (LATIN_WORD.test(term) ? stemmer(term) : term);
