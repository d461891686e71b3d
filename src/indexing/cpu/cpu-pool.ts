// A pool of worker threads for the CPU-bound stages of indexing, so that a large file never stalls the thread that
// serves requests. Every task has a deadline and every thread a heap limit: a runaway parser or a backtracking
// separator pattern is terminated (its thread is replaced), and the document fails with a message saying why.
import { Piscina } from 'piscina';
import { moduleUrl, TYPESCRIPT_WORKER } from '../../threads/typescript-worker.ts';
import type { EmbeddingResult } from '../embed/provider.ts';
import { ExtractionError } from '../parse/extraction-error.ts';
import type { ExtractedText, ExtractInput, ExtractionLimits } from '../parse/index.ts';
import { type Chunk, type NormalizedProcessRule, SegmentationError } from '../text/chunk-document.ts';
import type { Segmentation } from '../text/segmentation.ts';
import type { CpuOutcome, CpuTask } from './tasks.ts';

export interface CpuPoolOptions {
  threads: number;
  /** Parsing a file longer than this fails the document. */
  extractTimeoutMs: number;
  /** Splitting longer than this fails the document (indexing) or the request (segment edits). */
  splitTimeoutMs: number;
  /** Heap of each thread; a file whose parsing needs more fails instead of exhausting the process. */
  maxHeapMb: number;
  /** Threads of indexing (not of requests): they run at a lower priority than the threads that answer requests. */
  background?: boolean;
}

const REQUEST_SPLIT_TIMEOUT_MS = 10_000;

/** What a failure is called in the error a task's caller sees. */
type Failure = (reason: string) => Error;

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export class CpuPool {
  private readonly pool: Piscina;

  constructor(private readonly options: CpuPoolOptions) {
    this.pool = new Piscina({
      filename: TYPESCRIPT_WORKER,
      workerData: { module: moduleUrl('./tasks.ts', import.meta.url), background: options.background === true },
      minThreads: 0,
      maxThreads: Math.max(1, options.threads),
      idleTimeout: 30_000,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
    });
  }

  extract(input: ExtractInput, limits: Partial<ExtractionLimits> = {}): Promise<ExtractedText> {
    const timeoutMs = limits.timeoutMs ?? this.options.extractTimeoutMs;
    return this.run({ kind: 'extract', input, limits: { ...limits, timeoutMs } }, timeoutMs, (reason) =>
      new ExtractionError(`${input.filename}: ${reason} while reading it; gave up.`),
    );
  }

  chunk(parts: string[], rule: NormalizedProcessRule): Promise<Chunk[]> {
    return this.run({ kind: 'chunk', parts, rule }, this.options.splitTimeoutMs, splitFailure);
  }

  /**
   * Extraction and splitting in one trip to a thread, for a rule without separator patterns (see
   * usesSeparatorPattern): such a split is a linear scan that cannot run away, so the deadline is the extraction's
   * (plus the split's, as a margin) and a task that outlives it is reported as the extraction that ran away. A small
   * document costs about as much in trips between threads as in work, and this saves one.
   */
  async extractAndChunk(input: ExtractInput, rule: NormalizedProcessRule): Promise<{ extracted: ExtractedText; parsedAt: Date; chunks: Chunk[] }> {
    const timeoutMs = this.options.extractTimeoutMs;
    const read = await this.run<{ extracted: ExtractedText; parsedAt: number; chunks: Chunk[] }>(
      { kind: 'extractAndChunk', input, limits: { timeoutMs }, rule },
      timeoutMs + this.options.splitTimeoutMs,
      (reason) => {
        const said = reason.startsWith('it took longer') ? `it took longer than ${seconds(timeoutMs)}` : reason;
        return new ExtractionError(`${input.filename}: ${said} while reading it; gave up.`);
      },
    );
    return { ...read, parsedAt: new Date(read.parsedAt) };
  }

  /** `forRequest`: a client waits for the answer, so the deadline is at most REQUEST_SPLIT_TIMEOUT_MS. */
  splitChildren(parent: string, subchunk: Segmentation, options: { forRequest?: boolean } = {}): Promise<string[]> {
    const timeoutMs = options.forRequest
      ? Math.min(REQUEST_SPLIT_TIMEOUT_MS, this.options.splitTimeoutMs)
      : this.options.splitTimeoutMs;
    return this.run({ kind: 'splitChildren', parent, subchunk }, timeoutMs, splitFailure);
  }

  keywords(texts: string[], count: number): Promise<string[][]> {
    return this.run({ kind: 'keywords', texts, count }, this.options.splitTimeoutMs, (reason) =>
      new Error(`Keyword extraction failed: ${reason}.`),
    );
  }

  /** `model`: the name of a built-in model. */
  embedBuiltin(texts: string[], model: string): Promise<EmbeddingResult> {
    return this.run({ kind: 'embed', texts, model }, this.options.splitTimeoutMs, (reason) =>
      new Error(`The built-in embedding model failed: ${reason}.`),
    );
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }

  private async run<T>(task: CpuTask, timeoutMs: number, failure: Failure): Promise<T> {
    let outcome: CpuOutcome;
    try {
      outcome = await this.pool.run(task, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const name = (error as Error).name;
      if (name === 'AbortError' || name === 'TimeoutError') throw failure(`it took longer than ${seconds(timeoutMs)}`);
      if (code === 'ERR_WORKER_OUT_OF_MEMORY') throw failure(`it needed more than ${this.options.maxHeapMb} MB of memory`);
      throw error;
    }
    if (outcome.ok) return outcome.value as T;
    throw outcome.error === 'extraction' ? new ExtractionError(outcome.message) : new SegmentationError(outcome.message);
  }
}

const splitFailure: Failure = (reason) =>
  new SegmentationError(`Splitting the text failed: ${reason} (a separator pattern that backtracks?); gave up.`);
