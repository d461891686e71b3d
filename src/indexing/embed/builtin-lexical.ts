// The first built-in embedding model (`builtin-lexical-384`), kept so that datasets embedded with it still match their
// queries; new datasets get `builtin-lexical-stem-1024` (builtin-stemmed.ts). No download, deterministic, lexical.
// Each text becomes a 384-dimensional signed
// feature-hashing vector of its words (ICU segmentation, so CJK words count), character trigrams of latin words (for
// inflections) and CJK character unigrams and bigrams (for partial words), weighted 1 + log(tf) and L2-normalised.
// Texts that share words (stop words aside) have a clearly higher cosine than unrelated ones; it knows no synonyms.
//
// Changing any feature, weight or the hash changes every vector: datasets embedded before would no longer match
// their queries. Such a change needs a new model name.
import { LEXICAL_384_EMBEDDING } from '../../domain/models/registry.ts';
import { STOP_WORDS } from '../text/stop-words.ts';
import { isCjk, tokenize } from '../text/tokenize.ts';
import { hashedVector, inProcessProvider, symbolFeatures } from './feature-hashing.ts';
import type { EmbeddingProvider } from './provider.ts';

interface Feature {
  weight: number;
  count: number;
}

/** Each feature with its kind's weight and how often it occurs. */
function features(terms: string[], text: string): Map<string, Feature> {
  const counts = new Map<string, Feature>();
  const add = (feature: string, weight: number) => {
    const entry = counts.get(feature);
    if (entry) entry.count++;
    else counts.set(feature, { weight, count: 1 });
  };
  const content = terms.filter((t) => !STOP_WORDS.has(t));
  for (const term of content.length > 0 ? content : terms) {
    add(`w:${term}`, 1);
    const chars = [...term];
    if (isCjk(term)) {
      for (const c of chars) add(`c:${c}`, 0.5);
      for (let i = 0; i + 1 < chars.length; i++) add(`b:${chars[i]}${chars[i + 1]}`, 0.5);
    } else if (chars.length > 3) {
      const padded = `<${term}>`;
      for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, 0.3);
    }
  }
  if (terms.length === 0) for (const [feature, count] of symbolFeatures(text)) counts.set(feature, { weight: 1, count });
  return counts;
}

/** The vector of one text, and its number of terms. Only a blank text gets the zero vector. */
export function embedLexical(text: string, dimension = LEXICAL_384_EMBEDDING.dimension): { vector: number[]; tokens: number } {
  const terms = tokenize(text);
  const values = [...features(terms, text)].map(([feature, { weight, count }]): [string, number] => [
    feature,
    weight * (1 + Math.log(count)),
  ]);
  return { vector: hashedVector(values, dimension), tokens: terms.length };
}

export const lexical384Provider: EmbeddingProvider = inProcessProvider(LEXICAL_384_EMBEDDING, (text) => embedLexical(text));
