// Retrieval (spec §7): semantic (pgvector), full-text (Meilisearch or the embedded engine), keyword (economy index)
// and hybrid search with weighted scores or a rerank model. Metadata filters decide the allowed documents first, and
// every channel searches only those; disabled or archived content never comes back.
import { rejectNul } from '../text.ts';
import type { Prisma } from '../../db/database.ts';
import type { SearchIndexes } from '../../indexing/search-indexes.ts';
import { extractKeywords } from '../../indexing/text/keywords.ts';
import type { Reranker } from '../../search/rerank/http-reranker.ts';
import { getDatasetForApi } from '../datasets/service.ts';
import { type RetrievalModel, RetrievalModelSchema } from '../datasets/retrieval-model.ts';
import { parseInput } from '../datasets/input.ts';
import { ProviderNotInitializedError, ValidationError } from '../errors.ts';
import type { Viewer } from '../viewer.ts';
import { keywordScores } from './keyword-score.ts';
import { type MetadataFilter, metadataPredicate } from './metadata-filter.ts';

export const QUERY_MAX = 250;

export interface RetrievalDeps {
  prisma: Prisma;
  indexes: SearchIndexes;
  resolveReranker: (provider: string, model: string) => Reranker | undefined;
}

export interface RetrieveInput {
  query: string;
  retrievalModel?: RetrievalModel | null;
  metadataFilter?: MetadataFilter | null;
}

interface Hit {
  nodeId: string;
  segmentId: string;
  childChunkId: string | null;
  score: number;
}

export interface RetrievedChildChunk {
  id: string;
  content: string;
  position: number;
  score: number;
}

export interface RetrievedRecord {
  segmentId: string;
  /** The segment with its document, loaded for every record in one query. */
  segment: Awaited<ReturnType<typeof loadSegments>>[number];
  score: number;
  childChunks: RetrievedChildChunk[];
}

const loadSegments = (prisma: Prisma, ids: string[]) =>
  prisma.segment.findMany({ where: { id: { in: ids } }, include: { document: true } });

/** What retrieval uses for a dataset with no stored model (Dify's default, top_k 4). */
export const DEFAULT_RETRIEVAL_MODEL: RetrievalModel = {
  searchMethod: 'semantic_search',
  rerankingEnable: false,
  rerankingModel: { rerankingProviderName: '', rerankingModelName: '' },
  topK: 4,
  scoreThresholdEnabled: false,
};

const NO_RERANK =
  'No Rerank Model available. Please configure a valid provider in the Settings -> Model Provider.';
const USABLE_DOCUMENT = `d.enabled AND NOT d.archived AND d.indexing_status = 'completed'`;

/** Candidates each hybrid channel fetches before fusion (Dify: clamp(max(50, top_k), ≤ 200)). */
const candidatesFor = (topK: number) => Math.min(Math.max(50, topK), 200);

export async function retrieve(deps: RetrievalDeps, viewer: Viewer, datasetId: string, input: RetrieveInput) {
  const dataset = await getDatasetForApi(deps.prisma, viewer, datasetId);
  const query = input.query ?? '';
  rejectNul(query, ['query']);
  rejectNul(input.metadataFilter, ['metadataFilter']);
  if (query.trim() === '') throw new ValidationError('Query is required');
  if ([...query].length > QUERY_MAX) throw new ValidationError(`Query cannot exceed ${QUERY_MAX} characters`);
  const stored = RetrievalModelSchema.safeParse(dataset.retrievalModel);
  const model: RetrievalModel = input.retrievalModel
    ? parseInput(RetrievalModelSchema, input.retrievalModel)
    : stored.success
      ? stored.data
      : DEFAULT_RETRIEVAL_MODEL;
  const empty = { query, records: [] as RetrievedRecord[] };
  if (!dataset.indexingTechnique) return empty;

  const predicate = metadataPredicate(input.metadataFilter, 2);
  let documentIds: string[] | null = null;
  if (predicate) {
    const rows = await deps.prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT d.id FROM documents d WHERE d.dataset_id = $1::uuid AND ${USABLE_DOCUMENT} AND ${predicate.sql}`,
      datasetId,
      ...predicate.params,
    );
    documentIds = rows.map((r) => r.id);
    if (documentIds.length === 0) return empty;
  }

  const reranker = rerankerFor(deps, model);
  const method = dataset.indexingTechnique === 'economy' && model.searchMethod !== 'full_text_search' ? 'keyword_search' : model.searchMethod;
  const topK = model.topK;
  const threshold = model.scoreThresholdEnabled ? (model.scoreThreshold ?? 0) : null;
  let hits: Hit[];

  switch (method) {
    case 'keyword_search':
      hits = await keywordSearch(deps.prisma, datasetId, query, topK, documentIds);
      break;
    case 'semantic_search':
      hits = await deps.indexes.vectors.searchUsable(
        datasetId,
        await queryVector(deps, dataset, query),
        reranker ? candidatesFor(topK) : topK,
        documentIds,
      );
      break;
    case 'full_text_search':
      hits = await fullTextSearch(deps, datasetId, query, reranker ? candidatesFor(topK) : topK, documentIds);
      break;
    case 'hybrid_search': {
      const n = candidatesFor(topK);
      const vector = await queryVector(deps, dataset, query);
      const [vectorHits, textHits] = await Promise.all([
        deps.indexes.vectors.searchUsable(datasetId, vector, n, documentIds),
        fullTextSearch(deps, datasetId, query, n, documentIds),
      ]);
      hits = dedupe([...vectorHits, ...textHits]);
      if (model.rerankingMode === 'weighted_score' || !reranker) {
        hits = await weightedScores(deps, query, vector, model, vectorHits, hits);
      }
      break;
    }
  }
  if (reranker && !(method === 'hybrid_search' && model.rerankingMode === 'weighted_score')) {
    hits = await rerank(deps.prisma, reranker, query, hits);
  }
  hits.sort((a, b) => b.score - a.score);
  if (threshold !== null) hits = hits.filter((h) => h.score >= threshold);
  hits = hits.slice(0, topK);
  return { query, records: await toRecords(deps.prisma, hits) };
}

/** The rerank model to apply, if the request asks for one (both names set); an unknown one is an error. */
function rerankerFor(deps: RetrievalDeps, model: RetrievalModel): Reranker | null {
  if (model.searchMethod === 'hybrid_search' && model.rerankingMode === 'weighted_score') return null;
  const wanted = model.rerankingEnable || (model.searchMethod === 'hybrid_search' && model.rerankingMode === 'reranking_model');
  const provider = model.rerankingModel?.rerankingProviderName;
  const name = model.rerankingModel?.rerankingModelName;
  if (!wanted || !provider || !name) return null;
  const reranker = deps.resolveReranker(provider, name);
  if (!reranker) throw new ProviderNotInitializedError(NO_RERANK);
  return reranker;
}

async function queryVector(
  deps: RetrievalDeps,
  dataset: { indexingTechnique: string | null; embeddingModel: string | null; embeddingModelProvider: string | null },
  query: string,
) {
  let embedder: ReturnType<SearchIndexes['embedderFor']>;
  try {
    embedder = deps.indexes.embedderFor(dataset);
  } catch (error) {
    throw new ProviderNotInitializedError((error as Error).message);
  }
  if (!embedder) throw new ValidationError('Semantic search needs a high_quality dataset.');
  const { vectors } = await embedder.embed([query]);
  return vectors[0] as number[];
}

/** Full-text hits, restricted to usable segments of usable documents. */
async function fullTextSearch(deps: RetrievalDeps, datasetId: string, query: string, topK: number, documentIds: string[] | null) {
  const raw = await deps.indexes.fullText.search(datasetId, query, { topK: topK * 2, documentIds: documentIds ?? undefined });
  if (raw.length === 0) return [];
  const usable = await deps.prisma.$queryRawUnsafe<{ id: string }[]>(
    `SELECT s.id FROM segments s JOIN documents d ON d.id = s.document_id
      WHERE s.id = ANY($1::uuid[]) AND s.enabled AND s.status = 'completed' AND ${USABLE_DOCUMENT}`,
    [...new Set(raw.map((h) => h.segmentId))],
  );
  const ok = new Set(usable.map((u) => u.id));
  return raw.filter((h) => ok.has(h.segmentId)).slice(0, topK);
}

/** Economy datasets: segments ranked by how many of the query's keywords they carry (score = the share matched). */
async function keywordSearch(prisma: Prisma, datasetId: string, query: string, topK: number, documentIds: string[] | null): Promise<Hit[]> {
  const keywords = [...new Set([...extractKeywords(query, 10)])];
  if (keywords.length === 0) return [];
  const rows = await prisma.$queryRawUnsafe<{ id: string; node: string | null; hits: bigint }[]>(
    `SELECT s.id, s.index_node_id AS node,
            (SELECT count(*) FROM jsonb_array_elements_text(s.keywords) k WHERE k = ANY($2::text[])) AS hits
       FROM segments s JOIN documents d ON d.id = s.document_id
      WHERE s.dataset_id = $1::uuid AND s.enabled AND s.status = 'completed' AND ${USABLE_DOCUMENT}
        AND jsonb_typeof(s.keywords) = 'array' AND s.keywords ?| $2::text[]
        AND ($4::uuid[] IS NULL OR s.document_id = ANY($4::uuid[]))
      ORDER BY hits DESC, s.position, s.id
      LIMIT $3`,
    datasetId,
    keywords,
    topK,
    documentIds,
  );
  return rows.map((r) => ({ nodeId: r.node ?? r.id, segmentId: r.id, childChunkId: null, score: Number(r.hits) / keywords.length }));
}

function dedupe(hits: Hit[]): Hit[] {
  const best = new Map<string, Hit>();
  for (const hit of hits) {
    const seen = best.get(hit.nodeId);
    if (!seen || hit.score > seen.score) best.set(hit.nodeId, hit);
  }
  return [...best.values()];
}

/** Dify's weighted score: vector_weight × vector similarity + keyword_weight × TF-IDF keyword similarity. */
async function weightedScores(
  deps: RetrievalDeps,
  query: string,
  qv: number[],
  model: RetrievalModel,
  vectorHits: Hit[],
  candidates: Hit[],
): Promise<Hit[]> {
  const vectorWeight = model.weights?.vectorSetting?.vectorWeight ?? 0.7;
  const keywordWeight = model.weights?.keywordSetting?.keywordWeight ?? 0.3;
  const similarity = new Map(vectorHits.map((h) => [h.nodeId, h.score]));
  const missing = candidates.filter((c) => !similarity.has(c.nodeId)).map((c) => c.nodeId);
  if (missing.length > 0) {
    for (const [nodeId, v] of await deps.indexes.vectors.vectorsOf(missing)) {
      const dot = v.reduce((s, x, i) => s + x * (qv[i] ?? 0), 0);
      similarity.set(nodeId, dot / ((Math.hypot(...v) || 1) * (Math.hypot(...qv) || 1)));
    }
  }
  const texts = await nodeTexts(deps.prisma, candidates);
  const keyword = keywordScores(query, candidates.map((c) => texts.get(c.nodeId) ?? ''));
  return candidates.map((c, i) => ({
    ...c,
    score: vectorWeight * (similarity.get(c.nodeId) ?? 0) + keywordWeight * (keyword[i] ?? 0),
  }));
}

async function nodeTexts(prisma: Prisma, hits: Hit[]): Promise<Map<string, string>> {
  const segments = await prisma.segment.findMany({
    where: { id: { in: [...new Set(hits.filter((h) => !h.childChunkId).map((h) => h.segmentId))] } },
    select: { id: true, content: true },
  });
  const children = await prisma.childChunk.findMany({
    where: { id: { in: hits.map((h) => h.childChunkId).filter((id): id is string => id !== null) } },
    select: { id: true, content: true },
  });
  const bySegment = new Map(segments.map((s) => [s.id, s.content]));
  const byChild = new Map(children.map((c) => [c.id, c.content]));
  return new Map(hits.map((h) => [h.nodeId, (h.childChunkId ? byChild.get(h.childChunkId) : bySegment.get(h.segmentId)) ?? '']));
}

async function rerank(prisma: Prisma, reranker: Reranker, query: string, hits: Hit[]): Promise<Hit[]> {
  if (hits.length === 0) return hits;
  const texts = await nodeTexts(prisma, hits);
  const results = await reranker.rerank(query, hits.map((h) => texts.get(h.nodeId) ?? ''), hits.length);
  return results.filter((r) => hits[r.index]).map((r) => ({ ...(hits[r.index] as Hit), score: r.score }));
}

/** Hits → one record per segment; child-chunk hits are grouped under their parent with the best child's score. */
async function toRecords(prisma: Prisma, hits: Hit[]): Promise<RetrievedRecord[]> {
  const childIds = hits.map((h) => h.childChunkId).filter((id): id is string => id !== null);
  const [children, segments] = await Promise.all([
    childIds.length
      ? prisma.childChunk.findMany({ where: { id: { in: childIds } }, select: { id: true, content: true, position: true } })
      : [],
    loadSegments(prisma, [...new Set(hits.map((h) => h.segmentId))]),
  ]);
  const childById = new Map(children.map((c) => [c.id, c]));
  const segmentById = new Map(segments.map((s) => [s.id, s]));
  const records = new Map<string, RetrievedRecord>();
  for (const hit of hits) {
    const segment = segmentById.get(hit.segmentId);
    if (!segment) continue;
    const record = records.get(hit.segmentId) ?? { segmentId: hit.segmentId, segment, score: hit.score, childChunks: [] };
    record.score = Math.max(record.score, hit.score);
    const child = hit.childChunkId ? childById.get(hit.childChunkId) : undefined;
    if (child) record.childChunks.push({ ...child, score: hit.score });
    records.set(hit.segmentId, record);
  }
  for (const record of records.values()) record.childChunks.sort((a, b) => b.score - a.score);
  return [...records.values()].sort((a, b) => b.score - a.score);
}
