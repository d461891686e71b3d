// Word tokenizer shared by keyword extraction, the built-in embedding model and the embedded full-text index, so that
// a query is cut into the same terms as the text it should find. ICU's word segmenter (Intl.Segmenter) splits Chinese
// and Japanese with its dictionary, which whitespace splitting cannot do.

const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/u;

/** V8's segment iterator slows down quadratically with the string's length, so long text goes in blocks. */
const BLOCK = 2000;
const BOUNDARY = /[\s.,;:!?。！？，、；：]/u;

function cutPoint(text: string, start: number): number {
  const end = start + BLOCK;
  if (end >= text.length) return text.length;
  for (let at = end; at > start + BLOCK / 2; at--) {
    if (BOUNDARY.test(text[at - 1] ?? '')) return at;
  }
  // No boundary nearby: cut anyway, but not inside a surrogate pair.
  return /[\uD800-\uDBFF]/.test(text[end - 1] ?? '') ? end - 1 : end;
}

function segmentBlock(block: string, terms: string[]) {
  for (const { segment, isWordLike } of wordSegmenter.segment(block)) {
    if (isWordLike) terms.push(segment);
  }
}

/**
 * The last texts cut, with their terms: indexing cuts each segment three times (the built-in embedder, keywords, the
 * full-text entry) and the segmenter is most of their cost. The arrays are frozen, since callers share them.
 */
const recent = new Map<string, string[]>();
const RECENT_TEXTS = 256;
/** Longer texts are cut every time: keeping them would hold megabytes for a hit that rarely comes. */
const MAX_REMEMBERED_LENGTH = 20_000;

/** Normalised word-like terms of `text`, in order: NFKC, lower case, punctuation and spaces dropped. */
export function tokenize(text: string): string[] {
  if (text.length > MAX_REMEMBERED_LENGTH) return cut(text);
  let terms = recent.get(text);
  if (terms) return terms;
  terms = Object.freeze(cut(text)) as string[];
  if (recent.size >= RECENT_TEXTS) recent.delete(recent.keys().next().value as string);
  recent.set(text, terms);
  return terms;
}

function cut(text: string): string[] {
  const normalized = text.normalize('NFKC').toLowerCase();
  const terms: string[] = [];
  for (let start = 0; start < normalized.length; ) {
    const end = cutPoint(normalized, start);
    segmentBlock(normalized.slice(start, end), terms);
    start = end;
  }
  return terms;
}

/** Whether a term is written in a CJK script (such terms are often a single meaningful character). */
export function isCjk(term: string): boolean {
  return CJK.test(term);
}
