// One run of the indexing pipeline over a document: parse → clean and split → save segments → embed and index →
// completed, recording each stage as Dify does (spec §2.2) and publishing progress. A run is idempotent: it starts
// by replacing whatever an earlier, interrupted run left, so a crashed worker's job can simply run again.
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/database.ts';
import { normalizeProcessRule } from '../domain/documents/process-rule.ts';
import { progressOf, sendProgress } from '../domain/documents/progress.ts';
import type { Document as DocumentRow } from '../db/generated/prisma/client.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../logger.ts';
import type { CpuPool } from './cpu/cpu-pool.ts';
import { ExtractionError } from './parse/extraction-error.ts';
import type { ChatConfig } from './qa.ts';
import { generateQaPairs } from './qa.ts';
import type { ClaimedJob, IndexingQueue } from './queue.ts';
import type { StatisticsRefresher } from '../db/statistics.ts';
import type { SearchIndexes } from './search-indexes.ts';
import { type Chunk, contentHash, countCharacters, SegmentationError } from './text/chunk-document.ts';

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

export async function runIndexingJob(deps: PipelineDeps, job: ClaimedJob): Promise<void> {
  const { prisma, queue, pubsub, logger } = deps;
  const log = logger.child({ jobId: job.id, documentId: job.documentId, attempt: job.attempts });
  const document = await prisma.document.findUnique({
    where: { id: job.documentId },
    include: { dataset: true, processRule: true, uploadFile: { omit: { data: false } } },
  });
  if (!document || document.isPaused) {
    await queue.finish(job.id);
    return;
  }
  // The document as last written, and its segment counts as this run knows them (none until the split, then every
  // batch adds its own): progress events are built from them, without reading the document back.
  let current: DocumentRow = document;
  let counts = { completed: 0, total: 0 };
  const publish = () => sendProgress(pubsub, progressOf(current, counts));
  const checkpoint = async () => {
    if (!(await queue.renew(job.id))) throw new StaleJobError();
  };
  /** Writes the document, in one statement with the check that the job is still this worker's. */
  const setDocument = async (data: Parameters<Prisma['document']['updateManyAndReturn']>[0]['data']) => {
    const [row] = await prisma.document.updateManyAndReturn({
      where: { id: document.id, indexingJobs: { some: { id: job.id, lockedBy: queue.workerId, status: 'running' } } },
      data,
    });
    if (!row) throw new StaleJobError();
    current = row;
    await publish();
  };

  try {
    if (job.attempts > (deps.maxAttempts ?? 5)) {
      throw new UserFacingError(`Indexing was interrupted ${job.attempts - 1} times; giving up. Retry the document to start again.`);
    }
    const dataset = document.dataset;
    await setDocument({ indexingStatus: 'parsing', processingStartedAt: new Date(), error: null, stoppedAt: null });

    const file = document.uploadFile;
    if (!file) throw new UserFacingError('The document has no uploaded file to index.');
    const extracted = await deps.cpu.extract({
      bytes: file.data,
      filename: file.name,
      mimeType: file.mimeType,
      extension: file.extension,
    });
    await setDocument({ indexingStatus: 'splitting', parsingCompletedAt: new Date() });

    const rule = normalizeProcessRule(document.processRule?.mode, document.processRule?.rules);
    const chunks: Chunk[] = await deps.cpu.chunk(extracted.parts, rule);
    const segments = await toSegments(deps, document.docForm, document.docLanguage ?? 'English', chunks, checkpoint);
    if (segments.length === 0) throw new UserFacingError(`${file.name} contains no text to index once cleaned.`);
    const maxSegments = deps.maxSegments ?? 100_000;
    if (segments.length > maxSegments) {
      throw new UserFacingError(
        `${file.name} would make ${segments.length.toLocaleString('en-US')} segments, more than the ${maxSegments.toLocaleString('en-US')} allowed for one document (INDEXING_MAX_SEGMENTS).`,
      );
    }
    const wordCount = segments.reduce((sum, s) => sum + countCharacters(s.content), 0);
    const written = segments.reduce(
      (sum, s) => sum + s.content.length + (s.answer?.length ?? 0) + s.children.reduce((n, c) => n + c.content.length, 0),
      0,
    );
    const read = extracted.parts.reduce((sum, part) => sum + part.length, 0);
    const maxExpansion = deps.maxExpansion ?? 5;
    if (written > maxExpansion * read + EXPANSION_ALLOWANCE) {
      throw new UserFacingError(
        `${file.name} would be stored and embedded as ${(written / read).toFixed(1)} times its own length (${written.toLocaleString('en-US')} characters from ${read.toLocaleString('en-US')}), more than the ${maxExpansion} times allowed (INDEXING_MAX_EXPANSION): lower chunk_overlap.`,
      );
    }

    const splitAt = new Date();
    // Written in statements of SEGMENT_ROWS rows rather than one transaction: on the embedded engine a statement or
    // transaction holds its one session, and requests must get in between. A run stopped half-way leaves rows that
    // the next run deletes first, as it replaces whatever an earlier run left.
    await checkpoint();
    await prisma.segment.deleteMany({ where: { documentId: document.id } });
    for (let start = 0; start < segments.length; start += SEGMENT_ROWS) {
      await checkpoint();
      const rows = segments.slice(start, start + SEGMENT_ROWS);
      // unnest() keeps this one statement with a handful of array parameters, however many rows there are.
      await prisma.$executeRawUnsafe(
        `INSERT INTO segments (id, workspace_id, dataset_id, document_id, position, content, answer, word_count, tokens,
                               keywords, index_node_id, index_node_hash, enabled, status, created_by)
         SELECT v.id, $1::uuid, $2::uuid, $3::uuid, v.position, v.content, v.answer, v.word_count, 0, '[]'::jsonb,
                v.node_id, v.hash, false, 'waiting', $4::uuid
           FROM unnest($5::uuid[], $6::int[], $7::text[], $8::text[], $9::int[], $10::text[], $11::text[])
                AS v(id, position, content, answer, word_count, node_id, hash)`,
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
    // Entries of earlier runs whose rows are gone (the embedded engine drops them with the rows; Meilisearch not).
    await deps.indexes.removeDocuments([document.id]);
    counts = { completed: 0, total: segments.length };
    await setDocument({ indexingStatus: 'indexing', cleaningCompletedAt: splitAt, splittingCompletedAt: splitAt, wordCount });

    const started = performance.now();
    let totalTokens = 0;
    const batchSize = deps.batchSize ?? 100;
    for (let start = 0; start < segments.length; start += batchSize) {
      await checkpoint();
      const batch = segments.slice(start, start + batchSize);
      const base = { workspaceId: document.workspaceId, datasetId: document.datasetId, documentId: document.id };
      const nodes =
        document.docForm === 'hierarchical_model'
          ? batch.flatMap((s) =>
              s.children.map((c) => ({ ...base, nodeId: c.nodeId, segmentId: s.id, childChunkId: c.id, content: c.content })),
            )
          : batch.map((s) => ({ ...base, nodeId: s.nodeId, segmentId: s.id, content: s.content }));
      const tokens = await deps.indexes.add(dataset, nodes);
      totalTokens += tokens.reduce((a, b) => a + b, 0);
      const now = new Date();
      await checkpoint();
      // One statement per batch: segments completed with their tokens and keywords (built for every dataset, as Dify
      // builds its keyword table for economy and high_quality alike, so keyword_search works on both).
      const keywords = await deps.cpu.keywords(batch.map((s) => s.content), dataset.keywordNumber);
      await prisma.$executeRawUnsafe(
        `UPDATE segments s SET status = 'completed', enabled = true, indexing_at = $1, completed_at = $1, updated_at = $1,
                tokens = v.tokens, keywords = COALESCE(v.keywords, s.keywords)
           FROM unnest($2::uuid[], $3::int[], $4::jsonb[]) AS v(id, tokens, keywords)
          WHERE s.id = v.id`,
        now,
        batch.map((s) => s.id),
        batch.map((_s, i) => (document.docForm === 'hierarchical_model' ? 0 : (tokens[i] ?? 0))),
        batch.map((_s, i) => JSON.stringify(keywords[i] ?? [])),
      );
      if (document.docForm === 'hierarchical_model') {
        await prisma.childChunk.updateMany({
          where: { segmentId: { in: batch.map((s) => s.id) } },
          data: { indexingAt: now, completedAt: now },
        });
      }
      counts = { completed: start + batch.length, total: segments.length };
      await publish();
    }

    await setDocument({
      indexingStatus: 'completed',
      completedAt: new Date(),
      tokens: totalTokens,
      indexingLatency: (performance.now() - started) / 1000,
      error: null,
    });
    await queue.finish(job.id);
    log.info({ segments: segments.length, tokens: totalTokens }, 'document indexed');
    await deps.statistics
      ?.wrote(segments.length)
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
