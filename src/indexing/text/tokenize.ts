// Word tokenizer shared by keyword extraction, the built-in embedding model and the embedded full-text index, so that
// a query is cut into the same terms as the text it should find. ICU's word segmenter (Intl.Segmenter) splits Chinese
// and Japanese with its dictionary, which whitespace splitting cannot do.

const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/u;

/** Normalised word-like terms of `text`, in order: NFKC, lower case, punctuation and spaces dropped. */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const { segment, isWordLike } of wordSegmenter.segment(text.normalize('NFKC').toLowerCase())) {
    if (isWordLike) terms.push(segment);
  }
  return terms;
}

/** Whether a term is written in a CJK script (such terms are often a single meaningful character). */
export function isCjk(term: string): boolean {
  return CJK.test(term);
}
