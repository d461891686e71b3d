// Segments and child chunks edited through the API (spec §5). Every change reaches the search indexes before the call
// returns: new or edited content is embedded (high_quality) or keyword-indexed (economy) and written to the full-text
// index; deleted content leaves both.
import { rejectNul } from '../text.ts';
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../db/database.ts';
import type { IndexNode, SearchIndexes } from '../../indexing/search-indexes.ts';
import type { CpuPool } from '../../indexing/cpu/cpu-pool.ts';
import { contentHash, countCharacters } from '../../indexing/text/chunk-document.ts';
import { NotFoundError, ProviderNotInitializedError, ValidationError } from '../errors.ts';
import { getDocumentForApi } from '../documents/service.ts';
import { normalizeProcessRule } from '../documents/process-rule.ts';
import type { Viewer } from '../viewer.ts';

export interface SegmentServiceDeps {
  prisma: Prisma;
  indexes: SearchIndexes;
  cpu: CpuPool;
}


export const SEGMENT_CONTENT_MAX = 100_000;
export const SEGMENTS_PER_REQUEST_MAX = 1000;

const NO_EMBEDDING =
  'No Embedding Model available. Please configure a valid provider in the Settings -> Model Provider.';

type Dataset = Awaited<ReturnType<Prisma['dataset']['findUniqueOrThrow']>>;
type Document = Awaited<ReturnType<typeof getDocumentForApi>>;

async function context(deps: SegmentServiceDeps, viewer: Viewer, datasetId: string, documentId: string) {
  const document = await getDocumentForApi(deps.prisma, viewer, datasetId, documentId);
  const dataset = await deps.prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } });
  return { dataset, document };
}

/** High-quality datasets need their embedding model for any segment work, as in Dify. */
function requireEmbedder(deps: SegmentServiceDeps, dataset: Dataset) {
  try {
    deps.indexes.embedderFor(dataset);
  } catch {
    throw new ProviderNotInitializedError(NO_EMBEDDING);
  }
}

export async function getSegmentForApi(deps: SegmentServiceDeps, viewer: Viewer, datasetId: string, documentId: string, segmentId: string) {
  const { dataset, document } = await context(deps, viewer, datasetId, documentId);
  const segment = await deps.prisma.segment.findFirst({ where: { id: segmentId, documentId } });
  if (!segment) throw new NotFoundError('Segment', 'Segment not found.');
  return { dataset, document, segment };
}

function checkContent(content: string | null | undefined, field = 'content'): string {
  if (content == null || content.trim() === '') throw new ValidationError('Content is empty', [{ path: [field], message: 'Content is empty' }]);
  rejectNul(content, [field]);
  if (countCharacters(content) > SEGMENT_CONTENT_MAX) {
    const message = `${field} must have at most ${SEGMENT_CONTENT_MAX} characters`;
    throw new ValidationError(message, [{ path: [field], message }]);
  }
  return content;
}

function checkKeywords(keywords: readonly string[] | null | undefined) {
  if (keywords == null) return null;
  rejectNul(keywords, ['keywords']);
  if (keywords.length > 100 || keywords.some((k) => countCharacters(k) > 255)) {
    throw new ValidationError('keywords: at most 100 keywords of at most 255 characters');
  }
  return [...keywords];
}

const nodeOf = (segment: { id: string; workspaceId: string; datasetId: string; documentId: string; indexNodeId: string | null; content: string }): IndexNode => ({
  nodeId: segment.indexNodeId ?? segment.id,
  workspaceId: segment.workspaceId,
  datasetId: segment.datasetId,
  documentId: segment.documentId,
  segmentId: segment.id,
  content: segment.content,
});

/** Creates child chunks for a parent-child segment with the document's sub-chunk rule, and indexes them. */
async function generateChildren(deps: SegmentServiceDeps, dataset: Dataset, document: Document, segment: { id: string; content: string; workspaceId: string; datasetId: string; documentId: string }, createdBy: string) {
  const rule = document.processRuleId ? await deps.prisma.processRule.findUnique({ where: { id: document.processRuleId } }) : null;
  const normalized = normalizeProcessRule(rule?.mode ?? 'hierarchical', rule?.rules);
  const texts = await deps.cpu.splitChildren(
    segment.content,
    normalized.subchunk ?? { separator: '\n', maxTokens: 200, chunkOverlap: 0 },
    { forRequest: true },
  );
  const now = new Date();
  const rows = texts.map((content, i) => ({
    id: randomUUID(),
    workspaceId: segment.workspaceId,
    datasetId: segment.datasetId,
    documentId: segment.documentId,
    segmentId: segment.id,
    position: i + 1,
    content,
    wordCount: countCharacters(content),
    indexNodeId: randomUUID(),
    indexNodeHash: contentHash(content),
    type: 'automatic',
    createdBy,
    indexingAt: now,
    completedAt: now,
  }));
  if (rows.length) await deps.prisma.childChunk.createMany({ data: rows });
  await deps.indexes.add(
    dataset,
    rows.map((r) => ({ ...nodeOf({ ...segment, indexNodeId: r.indexNodeId, content: r.content }), childChunkId: r.id })),
  );
}

async function removeChildren(deps: SegmentServiceDeps, segmentId: string) {
  const children = await deps.prisma.childChunk.findMany({ where: { segmentId }, select: { indexNodeId: true } });
  await deps.indexes.removeNodes(children.map((c) => c.indexNodeId).filter((id): id is string => id !== null));
  await deps.prisma.childChunk.deleteMany({ where: { segmentId } });
}

/** Indexes one segment; failures mark it as Dify does instead of failing the request. */
async function indexSegment(deps: SegmentServiceDeps, dataset: Dataset, document: Document, segmentId: string, viewer: Viewer, keywordsGiven: boolean) {
  const segment = await deps.prisma.segment.findUniqueOrThrow({ where: { id: segmentId } });
  try {
    if (document.docForm === 'hierarchical_model') {
      await generateChildren(deps, dataset, document, segment, viewer.accountId);
      return;
    }
    const tokens = await deps.indexes.add(dataset, [nodeOf(segment)]);
    const data: { tokens: number; keywords?: string[] } = { tokens: tokens[0] ?? 0 };
    if (dataset.indexingTechnique === 'economy' && !keywordsGiven) [data.keywords] = await deps.cpu.keywords([segment.content], dataset.keywordNumber);
    await deps.prisma.segment.update({ where: { id: segmentId }, data });
  } catch (error) {
    await deps.prisma.segment.update({
      where: { id: segmentId },
      data: { status: 'error', enabled: false, disabledAt: new Date(), error: error instanceof Error ? error.message : String(error) },
    });
  }
}

export interface NewSegmentInput {
  content?: string | null;
  answer?: string | null;
  keywords?: readonly string[] | null;
}

export async function createSegments(deps: SegmentServiceDeps, viewer: Viewer, datasetId: string, documentId: string, items: readonly NewSegmentInput[]) {
  const { dataset, document } = await context(deps, viewer, datasetId, documentId);
  if (document.indexingStatus !== 'completed') throw new NotFoundError('Document', 'Document is not completed.');
  if (!document.enabled) throw new NotFoundError('Document', 'Document is disabled.');
  requireEmbedder(deps, dataset);
  if (items.length === 0) throw new ValidationError('segments must have at least 1 item');
  if (items.length > SEGMENTS_PER_REQUEST_MAX) throw new ValidationError(`Exceeded maximum segments limit of ${SEGMENTS_PER_REQUEST_MAX}.`);
  const qa = document.docForm === 'qa_model';
  const checked = items.map((item) => {
    const content = checkContent(item.content);
    if (qa && item.answer == null) throw new ValidationError('Answer is required');
    if (qa && item.answer?.trim() === '') throw new ValidationError('Answer is empty');
    rejectNul(item.answer, ['answer']);
    return { content, answer: qa ? (item.answer as string) : null, keywords: checkKeywords(item.keywords) };
  });
  const now = new Date();
  const created = await deps.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `segments:${documentId}`);
    const max = (await tx.segment.aggregate({ where: { documentId }, _max: { position: true } }))._max.position ?? 0;
    const rows = checked.map((item, i) => ({
      id: randomUUID(),
      workspaceId: document.workspaceId,
      datasetId,
      documentId,
      position: max + i + 1,
      content: item.content,
      answer: item.answer,
      wordCount: countCharacters(item.content) + (item.answer ? countCharacters(item.answer) : 0),
      keywords: item.keywords ?? [],
      indexNodeId: randomUUID(),
      indexNodeHash: contentHash(item.content),
      status: 'completed',
      enabled: true,
      indexingAt: now,
      completedAt: now,
      createdBy: viewer.accountId,
    }));
    await tx.segment.createMany({ data: rows });
    await tx.document.update({
      where: { id: documentId },
      data: { wordCount: { increment: rows.reduce((s, r) => s + r.wordCount, 0) } },
    });
    return rows;
  });
  for (const [i, row] of created.entries()) await indexSegment(deps, dataset, document, row.id, viewer, checked[i]?.keywords != null);
  return deps.prisma.segment.findMany({ where: { id: { in: created.map((r) => r.id) } }, orderBy: { position: 'asc' } });
}

export interface UpdateSegmentInput {
  content?: string | null;
  answer?: string | null;
  keywords?: readonly string[] | null;
  enabled?: boolean | null;
  regenerateChildChunks?: boolean | null;
}

export async function updateSegment(deps: SegmentServiceDeps, viewer: Viewer, datasetId: string, documentId: string, segmentId: string, input: UpdateSegmentInput) {
  const { dataset, document, segment } = await getSegmentForApi(deps, viewer, datasetId, documentId, segmentId);
  requireEmbedder(deps, dataset);
  const { prisma } = deps;
  const now = new Date();
  if (input.enabled === false) {
    if (segment.enabled) {
      await prisma.segment.update({ where: { id: segmentId }, data: { enabled: false, disabledAt: now, disabledBy: viewer.accountId } });
    }
    return prisma.segment.findUniqueOrThrow({ where: { id: segmentId } });
  }
  if (!segment.enabled && input.enabled !== true) throw new ValidationError("Can't update disabled segment");

  const content = input.content != null ? checkContent(input.content) : segment.content;
  const contentChanged = content !== segment.content;
  const keywords = checkKeywords(input.keywords);
  const keywordsChanged = keywords != null && JSON.stringify(keywords) !== JSON.stringify(segment.keywords);
  const qa = document.docForm === 'qa_model';
  const answer = qa ? (input.answer ?? null) : segment.answer;
  rejectNul(answer, ['answer']);
  const wordCount = countCharacters(content) + (qa && answer ? countCharacters(answer) : 0);
  await prisma.$transaction([
    prisma.segment.update({
      where: { id: segmentId },
      data: {
        content,
        answer,
        wordCount,
        enabled: true,
        disabledAt: null,
        disabledBy: null,
        error: null,
        ...(keywords != null ? { keywords } : {}),
        ...(contentChanged
          ? { indexNodeHash: contentHash(content), status: 'completed', indexingAt: now, completedAt: now, updatedBy: viewer.accountId }
          : {}),
      },
    }),
    prisma.document.update({ where: { id: documentId }, data: { wordCount: { increment: wordCount - segment.wordCount } } }),
  ]);

  if (document.docForm === 'hierarchical_model') {
    if (input.regenerateChildChunks) {
      await removeChildren(deps, segmentId);
      await indexSegment(deps, dataset, document, segmentId, viewer, true);
    }
  } else if (contentChanged || keywordsChanged || input.enabled === true) {
    await indexSegment(deps, dataset, document, segmentId, viewer, keywords != null);
  }
  return prisma.segment.findUniqueOrThrow({ where: { id: segmentId } });
}

export async function deleteSegment(deps: SegmentServiceDeps, viewer: Viewer, datasetId: string, documentId: string, segmentId: string) {
  const { dataset, segment } = await getSegmentForApi(deps, viewer, datasetId, documentId, segmentId);
  requireEmbedder(deps, dataset);
  await removeChildren(deps, segmentId);
  if (segment.indexNodeId) await deps.indexes.removeNodes([segment.indexNodeId]);
  await deps.prisma.$transaction([
    deps.prisma.segment.delete({ where: { id: segmentId } }),
    deps.prisma.document.update({ where: { id: documentId }, data: { wordCount: { decrement: segment.wordCount } } }),
  ]);
  return segment;
}

async function childChunkContext(deps: SegmentServiceDeps, viewer: Viewer, datasetId: string, documentId: string, segmentId: string, childChunkId: string) {
  const found = await getSegmentForApi(deps, viewer, datasetId, documentId, segmentId);
  const child = await deps.prisma.childChunk.findFirst({ where: { id: childChunkId, segmentId } });
  if (!child) throw new NotFoundError('ChildChunk', 'Child chunk not found.');
  return { ...found, child };
}

async function indexChild(deps: SegmentServiceDeps, dataset: Dataset, child: { id: string; indexNodeId: string | null; content: string; workspaceId: string; datasetId: string; documentId: string; segmentId: string }) {
  try {
    await deps.indexes.add(dataset, [
      { nodeId: child.indexNodeId ?? child.id, workspaceId: child.workspaceId, datasetId: child.datasetId, documentId: child.documentId, segmentId: child.segmentId, childChunkId: child.id, content: child.content },
    ]);
  } catch (error) {
    throw new ValidationError(error instanceof Error ? error.message : String(error));
  }
}

export async function createChildChunk(deps: SegmentServiceDeps, viewer: Viewer, datasetId: string, documentId: string, segmentId: string, rawContent: string | null | undefined) {
  const { dataset, segment } = await getSegmentForApi(deps, viewer, datasetId, documentId, segmentId);
  requireEmbedder(deps, dataset);
  const content = checkContent(rawContent);
  const now = new Date();
  const child = await deps.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `child_chunks:${segmentId}`);
    const max = (await tx.childChunk.aggregate({ where: { segmentId }, _max: { position: true } }))._max.position ?? 0;
    return tx.childChunk.create({
      data: {
        workspaceId: segment.workspaceId,
        datasetId,
        documentId,
        segmentId,
        position: max + 1,
        content,
        wordCount: countCharacters(content),
        indexNodeId: randomUUID(),
        indexNodeHash: contentHash(content),
        type: 'customized',
        createdBy: viewer.accountId,
        indexingAt: now,
        completedAt: now,
      },
    });
  });
  try {
    await indexChild(deps, dataset, child);
  } catch (error) {
    await deps.prisma.childChunk.delete({ where: { id: child.id } });
    throw error;
  }
  return child;
}

export async function updateChildChunk(deps: SegmentServiceDeps, viewer: Viewer, datasetId: string, documentId: string, segmentId: string, childChunkId: string, rawContent: string | null | undefined) {
  const { dataset, child } = await childChunkContext(deps, viewer, datasetId, documentId, segmentId, childChunkId);
  requireEmbedder(deps, dataset);
  const content = checkContent(rawContent);
  const updated = await deps.prisma.childChunk.update({
    where: { id: child.id },
    data: { content, wordCount: countCharacters(content), indexNodeHash: contentHash(content), type: 'customized', updatedBy: viewer.accountId },
  });
  await indexChild(deps, dataset, updated);
  return updated;
}

export async function deleteChildChunk(deps: SegmentServiceDeps, viewer: Viewer, datasetId: string, documentId: string, segmentId: string, childChunkId: string) {
  const { child } = await childChunkContext(deps, viewer, datasetId, documentId, segmentId, childChunkId);
  if (child.indexNodeId) await deps.indexes.removeNodes([child.indexNodeId]);
  await deps.prisma.childChunk.delete({ where: { id: child.id } });
  return child;
}
