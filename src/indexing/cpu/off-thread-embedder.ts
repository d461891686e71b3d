import type { EmbeddingProvider } from '../embed/provider.ts';
import type { CpuPool } from './cpu-pool.ts';

/** Below this many characters a batch is embedded in place: a query costs less than a trip to another thread. */
const INLINE_CHARACTERS = 4_000;

/** A built-in model, computed on the CPU pool for anything larger than a query. */
export function embedOffThread(builtin: EmbeddingProvider, pool: CpuPool): EmbeddingProvider {
  return {
    ...builtin,
    embed: (texts, options) =>
      texts.reduce((sum, text) => sum + text.length, 0) < INLINE_CHARACTERS
        ? builtin.embed(texts, options)
        : pool.embedBuiltin(texts, builtin.model),
  };
}
