// What the CPU pool's threads run: the stages of indexing that compute without waiting (parsing, cleaning and
// splitting, keywords, the built-in embedder). Failures that are the document's fault come back as values, since
// error classes do not survive the trip between threads.
import { workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../../threads/lower-priority.ts';
import { builtinProvider } from '../embed/index.ts';
import { ExtractionError, type ExtractInput, type ExtractionLimits, extractText } from '../parse/index.ts';
import { chunkDocument, type NormalizedProcessRule, SegmentationError, splitChildren } from '../text/chunk-document.ts';
import { extractKeywords } from '../text/keywords.ts';
import type { Segmentation } from '../text/segmentation.ts';

if (workerData?.background) lowerThreadPriority();

export type CpuTask =
  | { kind: 'extract'; input: ExtractInput; limits?: Partial<ExtractionLimits> }
  | { kind: 'chunk'; parts: string[]; rule: NormalizedProcessRule }
  | { kind: 'extractAndChunk'; input: ExtractInput; limits?: Partial<ExtractionLimits>; rule: NormalizedProcessRule }
  | { kind: 'splitChildren'; parent: string; subchunk: Segmentation }
  | { kind: 'keywords'; texts: string[]; count: number }
  | { kind: 'embed'; texts: string[]; model: string };

export type CpuOutcome =
  | { ok: true; value: unknown }
  | { ok: false; error: 'extraction' | 'segmentation'; message: string };

async function run(task: CpuTask): Promise<unknown> {
  switch (task.kind) {
    case 'extract':
      return extractText(task.input, task.limits);
    case 'chunk':
      return chunkDocument(task.parts, task.rule);
    case 'extractAndChunk': {
      const extracted = await extractText(task.input, task.limits);
      const parsedAt = Date.now();
      return { extracted, parsedAt, chunks: chunkDocument(extracted.parts, task.rule) };
    }
    case 'splitChildren':
      return splitChildren(task.parent, task.subchunk);
    case 'keywords':
      return task.texts.map((text) => extractKeywords(text, task.count));
    case 'embed': {
      const provider = builtinProvider(task.model);
      if (!provider) throw new Error(`${task.model} is not a built-in embedding model`);
      return provider.embed(task.texts);
    }
  }
}

export default async function runTask(task: CpuTask): Promise<CpuOutcome> {
  try {
    return { ok: true, value: await run(task) };
  } catch (error) {
    if (error instanceof ExtractionError) return { ok: false, error: 'extraction', message: error.message };
    if (error instanceof SegmentationError) return { ok: false, error: 'segmentation', message: error.message };
    throw error;
  }
}
