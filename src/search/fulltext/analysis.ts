// Text analysis shared by the embedded engine's writes and queries: the ICU word segmenter cuts the text (so Chinese
// and Japanese words are terms), then PostgreSQL's text-search configurations normalise the words: CJK words through
// `simple` (kept as cut), every other word through the language's configuration (`english`: Snowball stemming and
// stop words). Both databases ship the same configurations, so PGlite and PostgreSQL index identical terms.
import { isCjk, tokenize } from '../../indexing/text/tokenize.ts';

/** A PostgreSQL text-search configuration for non-CJK words. */
export type TextSearchConfig = 'english' | 'simple';

export const DEFAULT_TEXT_SEARCH_CONFIG: TextSearchConfig = 'english';

/** The words of a text, split into the part analysed by the language's configuration and the CJK part. */
export interface AnalysisInput {
  words: string;
  cjk: string;
}

export function analysisInput(text: string): AnalysisInput {
  const words: string[] = [];
  const cjk: string[] = [];
  for (const term of tokenize(text)) (isCjk(term) ? cjk : words).push(term);
  return { words: words.join(' '), cjk: cjk.join(' ') };
}

/** SQL for the tsvector of an analysed text, from two text expressions (the two parts of `AnalysisInput`). */
export function tsvectorSql(config: TextSearchConfig, words: string, cjk: string): string {
  return `(to_tsvector('${config}', ${words}) || to_tsvector('simple', ${cjk}))`;
}
