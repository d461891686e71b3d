// One run of the indexing pipeline over a document: parse → clean and split → save segments → embed and index →
// completed, recording each stage as Dify does (spec §2.2) and publishing progress. A run is idempotent: it starts
// by replacing whatever an earlier, interrupted run left, so a crashed worker's job can simply run again.
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/database.ts';
import { normalizeProcessRule } from '../domain/documents/process-rule.ts';
import { type ProgressDocument, progressOf, sendProgress } from '../domain/documents/progress.ts';
import { type StageChange, writeStage } from './document-stage.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../logger.ts';
import type { CpuPool } from './cpu/cpu-pool.ts';
import { ExtractionError } from './parse/extraction-error.ts';
import type { ChatConfig } from './qa.ts';
import { generateQaPairs } from './qa.ts';
import type { ClaimedJob, IndexingQueue } from './queue.ts';
import type { StatisticsRefresher } from '../db/statistics.ts';
import type { Embedded, IndexNode, SearchIndexes } from './search-indexes.ts';
import { upsertVectorsParams, upsertVectorsSql } from '../search/vector/pgvector-store.ts';
import { type Chunk, contentHash, countCharacters, SegmentationError, usesSeparatorPattern } from './text/chunk-document.ts';
import { extractKeywords } from './text/keywords.ts';

export interface PipelineDeps {
  prisma: Prisma;
  queue: IndexingQueue;
  indexes: SearchIndexes;
  pubsub: PubSub;
  /** Parsing, splitting, keywords and the built-in embedder run here, never on the thread that serves requests. */
  cpu: CpuPool;
  logger: Logger;
  chat: ChatConfig | null;
  /** Segments embedded and marked completed per step (each step publishes progress). */
  batchSize?: number;
  /** Runs of one job before the document is failed (a document that crashes its worker every time). */
  maxAttempts?: number;
  /** More segments than this fail the document (a small file can split into a vast number of tiny segments). */
  maxSegments?: number;
  /** Told how many rows a document added to the search tables (the embedded engine refreshes its statistics). */
  statistics?: StatisticsRefresher;
  /**
   * Segments (with their child chunks and answers) holding more than this many times the document's characters fail
   * it: an overlap close to the chunk size repeats the text over and over, and all of it would be embedded.
   */
  maxExpansion?: number;
}

/** Characters any document may split into beyond `maxExpansion` times its own (short texts, Q&A answers). */
const EXPANSION_ALLOWANCE = 100_000;

/** Segments written per statement (see the segment writes in runIndexingJob). */
const SEGMENT_ROWS = 500;

/** The job is no longer this worker's: the document changed, was paused or deleted, or the lease was lost. */
class StaleJobError extends Error {}

/** Failures that are the document's fault: they end it in `error` with this message. */
const isDocumentError = (error: unknown) =>
  error instanceof ExtractionError || error instanceof SegmentationError || error instanceof UserFacingError;

class UserFacingError extends Error {}

interface NewSegment {
  id: string;
  nodeId: string;
  content: string;
  answer: string | null;
  children: Array<{ id: string; nodeId: string; content: string }>;
}

/** What a run reads besides the document row: its dataset's indexing settings, process rule and file. */
interface Sources {
  workspace_id: string;
  dataset_id: string;
  created_by: string;
  doc_form: string;
  doc_language: string | null;
  indexing_technique: string | null;
  embedding_model: string | null;
  embedding_model_provider: string | null;
  keyword_number: number;
  rule_mode: string | null;
  rule_rules: unknown;
  file_name: string | null;
  file_mime_type: string | null;
  file_extension: string | null;
  file_data: Uint8Array | null;
}

/** One statement instead of a read per relation. */
const SOURCES_SQL = `
  SELECT d.workspace_id, d.dataset_id, d.created_by, d.doc_form, d.doc_language,
         ds.indexing_technique, ds.embedding_model, ds.embedding_model_provider, ds.keyword_number,
         pr.mode AS rule_mode, pr.rules AS rule_rules,
         f.name AS file_name, f.mime_type AS file_mime_type, f.extension AS file_extension, f.data AS file_data
    FROM documents d
    JOIN datasets ds ON ds.id = d.dataset_id
    LEFT JOIN process_rules pr ON pr.id = d.dataset_process_rule_id
    LEFT JOIN upload_files f ON f.id = d.file_id
   WHERE d.id = $1::uuid`;

/**
 * Below this many characters a document's split is not worth its own progress event (and the statements that write
 * and publish it): the document goes from parsing to indexing.
 */
const QUIET_SPLIT_CHARACTERS = 100_000;

/**
 * Below this many characters a batch's keywords are extracted on this thread (the worker's own, not the requests'):
 * the trip to the CPU pool costs more than the work, and the built-in embedder has just cut the same texts into words
 * here (tokenize remembers them). The same bound as the embedder's (off-thread-embedder.ts).
 */
const INLINE_KEYWORD_CHARACTERS = 4_000;

/** A batch's segments with the work done on the CPU pool (vectors, keywords), ready to write. */
interface PreparedBatch {
  start: number;
  segments: NewSegment[];
  nodes: IndexNode[];
  embedded: Embedded | null;
  keywords: string[][];
}

export async function runIndexingJob(deps: PipelineDeps, job: ClaimedJob): Promise<void> {
  const { prisma, queue, pubsub, logger } = deps;
  const log = logger.child({ jobId: job.id, documentId: job.documentId, attempt: job.attempts });
  // The document as last written, and its segment counts as this run knows them (none until the split, then every
  // batch adds its own): progress events are built from them, without reading the document back.
  let current: ProgressDocument | null = null;
  let counts = { completed: 0, total: 0 };
  const publish = async () => {
    if (current) await sendProgress(pubsub, progressOf(current, counts));
  };
  const checkpoint = async () => {
    if (!(await queue.renew(job.id))) throw new StaleJobError();
  };
  /** Writes under the job's lease (see IndexingQueue.renewAnd); a lost lease stops the run. */
  const leased = async (writes: string, params: unknown[]) => {
    if (!(await queue.renewAnd(job.id, writes, params))) throw new StaleJobError();
  };
  /**
   * Writes the document, in one statement with the check that the job is still this worker's (a paused document
   * has had its job cancelled, and a paused document found at the start stops the run without a change).
   */
  const setDocument = async (change: StageChange, options: { finishJob?: boolean } = {}) => {
    const row = await writeStage(prisma, { id: job.id, documentId: job.documentId, workerId: queue.workerId }, change, options);
    if (!row) throw new StaleJobError();
    current = row;
    await publish();
  };

  try {
    if (job.attempts > (deps.maxAttempts ?? 5)) {
      throw new UserFacingError(`Indexing was interrupted ${job.attempts - 1} times; giving up. Retry the document to start again.`);
    }
    const [[source]] = await Promise.all([
      prisma.$queryRawUnsafe<Sources[]>(SOURCES_SQL, job.documentId),
      setDocument({ indexingStatus: 'parsing', processingStartedAt: new Date(), error: null, stoppedAt: null }),
    ]);
    if (!source) throw new StaleJobError();
    const dataset = {
      indexingTechnique: source.indexing_technique,
      embeddingModel: source.embedding_model,
      embeddingModelProvider: source.embedding_model_provider,
    };
    const document = {
      id: job.documentId,
      workspaceId: source.workspace_id,
      datasetId: source.dataset_id,
      createdBy: source.created_by,
      docForm: source.doc_form,
    };
    const hierarchical = document.docForm === 'hierarchical_model';

    if (!source.file_name || !source.file_data) throw new UserFacingError('The document has no uploaded file to index.');
    const fileName = source.file_name;
    const file = {
      bytes: source.file_data,
      filename: fileName,
      mimeType: source.file_mime_type ?? undefined,
      extension: source.file_extension ?? undefined,
    };
    const rule = normalizeProcessRule(source.rule_mode ?? undefined, source.rule_rules as never);
    let read: number;
    let parsedAt: Date;
    let chunks: Chunk[];
    if (file.bytes.byteLength < QUIET_SPLIT_CHARACTERS && !usesSeparatorPattern(rule)) {
      // A small file whose split cannot run away: read and split in one trip to the CPU pool.
      const done = await deps.cpu.extractAndChunk(file, rule);
      ({ parsedAt, chunks } = done);
      read = done.extracted.parts.reduce((sum, part) => sum + part.length, 0);
      if (read >= QUIET_SPLIT_CHARACTERS) await setDocument({ indexingStatus: 'splitting', parsingCompletedAt: parsedAt });
    } else {
      const extracted = await deps.cpu.extract(file);
      parsedAt = new Date();
      read = extracted.parts.reduce((sum, part) => sum + part.length, 0);
      if (read >= QUIET_SPLIT_CHARACTERS) await setDocument({ indexingStatus: 'splitting', parsingCompletedAt: parsedAt });
      chunks = await deps.cpu.chunk(extracted.parts, rule);
    }
    const segments = await toSegments(deps, document.docForm, source.doc_language ?? 'English', chunks, checkpoint);
    if (segments.length === 0) throw new UserFacingError(`${fileName} contains no text to index once cleaned.`);
    const maxSegments = deps.maxSegments ?? 100_000;
    if (segments.length > maxSegments) {
      throw new UserFacingError(
        `${fileName} would make ${segments.length.toLocaleString('en-US')} segments, more than the ${maxSegments.toLocaleString('en-US')} allowed for one document (INDEXING_MAX_SEGMENTS).`,
      );
    }
    const wordCount = segments.reduce((sum, s) => sum + countCharacters(s.content), 0);
    const written = segments.reduce(
      (sum, s) => sum + s.content.length + (s.answer?.length ?? 0) + s.children.reduce((n, c) => n + c.content.length, 0),
      0,
    );
    const maxExpansion = deps.maxExpansion ?? 5;
    if (written > maxExpansion * read + EXPANSION_ALLOWANCE) {
      throw new UserFacingError(
        `${fileName} would be stored and embedded as ${(written / read).toFixed(1)} times its own length (${written.toLocaleString('en-US')} characters from ${read.toLocaleString('en-US')}), more than the ${maxExpansion} times allowed (INDEXING_MAX_EXPANSION): lower chunk_overlap.`,
      );
    }

    const splitAt = new Date();
    // Written in statements of SEGMENT_ROWS rows rather than one transaction: on the embedded engine a statement or
    // transaction holds its one session, and requests must get in between. A run stopped half-way leaves rows that
    // the next run deletes first (with the first rows, in one statement), as it replaces whatever an earlier run left.
    for (let start = 0; start < segments.length; start += SEGMENT_ROWS) {
      const rows = segments.slice(start, start + SEGMENT_ROWS);
      // unnest() keeps this one statement with a handful of array parameters, however many rows there are.
      await leased(
        `${start === 0 ? 'gone AS (DELETE FROM segments WHERE document_id = $6::uuid AND EXISTS (SELECT 1 FROM lease)),' : ''}
         added AS (
           INSERT INTO segments (id, workspace_id, dataset_id, document_id, position, content, answer, word_count, tokens,
                                 keywords, index_node_id, index_node_hash, enabled, status, created_by)
           SELECT v.id, $4::uuid, $5::uuid, $6::uuid, v.position, v.content, v.answer, v.word_count, 0, '[]'::jsonb,
                  v.node_id, v.hash, false, 'waiting', $7::uuid
             FROM unnest($8::uuid[], $9::int[], $10::text[], $11::text[], $12::int[], $13::text[], $14::text[])
                  AS v(id, position, content, answer, word_count, node_id, hash)
            WHERE EXISTS (SELECT 1 FROM lease)
         )`,
        [
          document.workspaceId,
          document.datasetId,
          document.id,
          document.createdBy,
          rows.map((s) => s.id),
          rows.map((_s, i) => start + i + 1),
          rows.map((s) => s.content),
          rows.map((s) => s.answer),
          rows.map((s) => countCharacters(s.content) + (s.answer ? countCharacters(s.answer) : 0)),
          rows.map((s) => s.nodeId),
          rows.map((s) => contentHash(s.content)),
        ],
      );
      const children = rows.flatMap((s) =>
        s.children.map((c, i) => ({
          id: c.id,
          workspaceId: document.workspaceId,
          datasetId: document.datasetId,
          documentId: document.id,
          segmentId: s.id,
          position: i + 1,
          content: c.content,
          wordCount: countCharacters(c.content),
          indexNodeId: c.nodeId,
          indexNodeHash: contentHash(c.content),
          type: 'automatic',
          createdBy: document.createdBy,
        })),
      );
      if (children.length) await prisma.childChunk.createMany({ data: children });
    }
    await deps.indexes.removeDocumentsOutside([document.id]);
    counts = { completed: 0, total: segments.length };
    await setDocument({
      indexingStatus: 'indexing',
      ...(read < QUIET_SPLIT_CHARACTERS ? { parsingCompletedAt: parsedAt } : {}),
      cleaningCompletedAt: splitAt,
      splittingCompletedAt: splitAt,
      wordCount,
    });

    const started = performance.now();
    let totalTokens = 0;
    const batchSize = deps.batchSize ?? 100;
    const base = { workspaceId: document.workspaceId, datasetId: document.datasetId, documentId: document.id };
    /** The CPU pool's part of a batch: vectors and keywords, computed while the previous batch is being written. */
    const prepare = async (start: number): Promise<PreparedBatch> => {
      const batch = segments.slice(start, start + batchSize);
      const nodes: IndexNode[] = hierarchical
        ? batch.flatMap((s) =>
            s.children.map((c) => ({ ...base, nodeId: c.nodeId, segmentId: s.id, childChunkId: c.id, content: c.content })),
          )
        : batch.map((s) => ({ ...base, nodeId: s.nodeId, segmentId: s.id, content: s.content }));
      // Keywords are built for every dataset, as Dify builds its keyword table for economy and high_quality alike,
      // so keyword_search works on both.
      const texts = batch.map((s) => s.content);
      const [embedded, keywords] = await Promise.all([
        deps.indexes.embed(dataset, nodes),
        texts.reduce((sum, t) => sum + t.length, 0) < INLINE_KEYWORD_CHARACTERS
          ? texts.map((t) => extractKeywords(t, source.keyword_number))
          : deps.cpu.keywords(texts, source.keyword_number),
      ]);
      return { start, segments: batch, nodes, embedded, keywords };
    };
    // Two batches in flight: while one batch's rows are written, the next one's vectors are computed, and its
    // full-text entries are written while the next batch's segments and vectors are.
    let next: Promise<PreparedBatch> | null = quiet(prepare(0));
    let text: Promise<void> = Promise.resolve();
    let textDone = 0;
    while (next) {
      const batch: PreparedBatch = await next;
      const end = batch.start + batch.segments.length;
      next = end < segments.length ? quiet(prepare(end)) : null;
      const tokens = batch.embedded?.tokens ?? batch.nodes.map(() => 0);
      totalTokens += tokens.reduce((a, b) => a + b, 0);
      await writeBatch(deps, leased, batch, tokens, hierarchical);
      // Entries are written once their segments are enabled, so they are searchable as written (a segment enabled
      // afterwards would have its entries updated one by one).
      await text;
      if (textDone > 0 && textDone < segments.length) {
        counts = { completed: textDone, total: segments.length };
        await publish();
      }
      text = quiet(deps.indexes.addText(batch.nodes));
      textDone = end;
    }
    await text;

    counts = { completed: segments.length, total: segments.length };
    await setDocument({
      indexingStatus: 'completed',
      completedAt: new Date(),
      tokens: totalTokens,
      indexingLatency: (performance.now() - started) / 1000,
      error: null,
    }, { finishJob: true });
    log.info({ segments: segments.length, tokens: totalTokens }, 'document indexed');
    await deps.statistics
      ?.changed(segments.length)
      .catch((error: unknown) => log.warn({ err: error }, 'could not refresh the planner statistics'));
  } catch (error) {
    if (error instanceof StaleJobError) {
      log.info('indexing run superseded; stopping');
      await queue.finish(job.id);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (!isDocumentError(error)) log.error({ err: error }, 'indexing failed');
    else log.warn({ error: message }, 'document cannot be indexed');
    try {
      await setDocument({ indexingStatus: 'error', error: message, stoppedAt: new Date() });
    } catch (stale) {
      if (!(stale instanceof StaleJobError)) throw stale;
    }
    await queue.finish(job.id);
  }
}

/** A promise awaited later: its failure must not count as unhandled meanwhile (it is thrown where it is awaited). */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/**
 * One statement per batch, under the job's lease: the segments completed with their tokens and keywords, and their
 * vectors (when the engine takes them in one statement; on the embedded engine they go first, a few rows per statement).
 */
async function writeBatch(
  deps: PipelineDeps,
  leased: (writes: string, params: unknown[]) => Promise<void>,
  batch: PreparedBatch,
  tokens: number[],
  hierarchical: boolean,
) {
  const vectors = batch.embedded?.rows ?? [];
  const inline = vectors.length > 0 && vectors.length <= deps.indexes.vectors.rowsPerStatement;
  if (vectors.length > 0 && !inline) await deps.indexes.vectors.upsert(vectors);
  const now = new Date();
  const ids = batch.segments.map((s) => s.id);
  await leased(
    `done AS (
       UPDATE segments s SET status = 'completed', enabled = true, indexing_at = $4, completed_at = $4, updated_at = $4,
              tokens = v.tokens, keywords = COALESCE(v.keywords, s.keywords)
         FROM unnest($5::uuid[], $6::int[], $7::jsonb[]) AS v(id, tokens, keywords)
        WHERE s.id = v.id AND EXISTS (SELECT 1 FROM lease)
     )${
       hierarchical
         ? `, children AS (
       UPDATE child_chunks SET indexing_at = $4, completed_at = $4 WHERE segment_id = ANY($5::uuid[]) AND EXISTS (SELECT 1 FROM lease)
     )`
         : ''
     }${inline ? `, vectors AS (${upsertVectorsSql(8, 'EXISTS (SELECT 1 FROM lease)')})` : ''}`,
    [
      now,
      ids,
      batch.segments.map((_s, i) => (hierarchical ? 0 : (tokens[i] ?? 0))),
      batch.segments.map((_s, i) => JSON.stringify(batch.keywords[i] ?? [])),
      ...(inline ? upsertVectorsParams(vectors) : []),
    ],
  );
}

async function toSegments(
  deps: PipelineDeps,
  docForm: string,
  language: string,
  chunks: Chunk[],
  checkpoint: () => Promise<void>,
): Promise<NewSegment[]> {
  const segment = (content: string, answer: string | null, children: string[] = []): NewSegment => ({
    id: randomUUID(),
    nodeId: randomUUID(),
    content,
    answer,
    children: children.map((c) => ({ id: randomUUID(), nodeId: randomUUID(), content: c })),
  });
  if (docForm === 'hierarchical_model') return chunks.map((c) => segment(c.content, null, c.children));
  if (docForm !== 'qa_model') return chunks.map((c) => segment(c.content, null));
  if (!deps.chat) throw new UserFacingError('No default LLM model is configured; qa_model documents need one.');
  const out: NewSegment[] = [];
  for (const chunk of chunks) {
    await checkpoint();
    for (const pair of await generateQaPairs(deps.chat, chunk.content, language)) {
      out.push(segment(pair.question, pair.answer));
    }
  }
  return out;
}
