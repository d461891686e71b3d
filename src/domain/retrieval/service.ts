// Retrieval (spec §7): semantic (pgvector), full-text (Meilisearch or the embedded engine), keyword (economy index)
// and hybrid search with weighted scores or a rerank model. Metadata filters decide the allowed documents first, and
// every channel searches only those; disabled or archived content never comes back.
import { rejectNul } from '../text.ts';
import type { Prisma } from '../../db/database.ts';
import type { SegmentWithDocument } from '../../db/segment-rows.ts';
import type { SearchIndexes } from '../../indexing/search-indexes.ts';
import { extractKeywords } from '../../indexing/text/keywords.ts';
import type { Reranker } from '../../search/rerank/http-reranker.ts';
import type { DatasetCache } from '../datasets/dataset-cache.ts';
import { getDatasetForApi } from '../datasets/service.ts';
import { type RetrievalModel, RetrievalModelSchema } from '../datasets/retrieval-model.ts';
import { parseInput } from '../datasets/input.ts';
import { ProviderNotInitializedError, ValidationError } from '../errors.ts';
import type { Viewer } from '../viewer.ts';
import { type ChannelWeights, HYBRID_DEPTH, reciprocalRankFusion, weightedScoreFusion } from './fusion.ts';
import { type MetadataFilter, metadataPredicate } from './metadata-filter.ts';

export const QUERY_MAX = 250;

export interface RetrievalDeps {
  prisma: Prisma;
  /** Datasets as remembered between searches (dataset-cache.ts); read from the database without it. */
  datasets?: Pick<DatasetCache, 'find'>;
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
  /** The segment and its document, when the search read them in its own statement. */
  row?: SegmentWithDocument;
}

export interface RetrievedChildChunk {
  id: string;
  content: string;
  position: number;
  score: number;
}

/** A segment retrieval found, with its score; loaded by whoever shows it unless the search brought its row. */
export interface RetrievedRecord {
  segmentId: string;
  score: number;
  childChunks: RetrievedChildChunk[];
  row?: SegmentWithDocument;
}

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

/** Hybrid search without a reranking mode and without a rerank model: chosen by `npm run eval` (README). */
export const DEFAULT_HYBRID_FUSION: 'weighted_score' | 'reciprocal_rank_fusion' = 'weighted_score';
/** Channel weights when the request gives none: chosen by `npm run eval -- --tune` (README). */
export const DEFAULT_HYBRID_WEIGHTS: ChannelWeights = { vector: 0.2, text: 0.8 };

/** The request's weights (Dify's vector_setting / keyword_setting), each falling back to the default. */
function hybridWeights(model: RetrievalModel): ChannelWeights {
  return {
    vector: model.weights?.vectorSetting?.vectorWeight ?? DEFAULT_HYBRID_WEIGHTS.vector,
    text: model.weights?.keywordSetting?.keywordWeight ?? DEFAULT_HYBRID_WEIGHTS.text,
  };
}

/** Candidates a single channel fetches for a rerank model (Dify: clamp(max(50, top_k), ≤ 200)). */
const candidatesFor = (topK: number) => Math.min(Math.max(50, topK), 200);

export async function retrieve(deps: RetrievalDeps, viewer: Viewer, datasetId: string, input: RetrieveInput) {
  const dataset = await getDatasetForApi(deps.prisma, viewer, datasetId, deps.datasets?.find);
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
        // Every hit is shown when nothing reranks them: their rows come with the search, in the same statement.
        { rows: !reranker },
      );
      break;
    case 'full_text_search':
      hits = await fullTextSearch(deps, datasetId, query, reranker ? candidatesFor(topK) : topK, documentIds, !reranker);
      break;
    case 'hybrid_search': {
      // A fixed depth per channel: the fused order does not depend on top_k. The channels run at once, and the
      // full-text one does not wait for the query's embedding. The fusions need only each channel's own scores, so
      // nothing more is fetched for candidates only one channel found.
      const [vectorHits, textHits] = await Promise.all([
        queryVector(deps, dataset, query).then((vector) => deps.indexes.vectors.searchUsable(datasetId, vector, HYBRID_DEPTH, documentIds)),
        fullTextSearch(deps, datasetId, query, HYBRID_DEPTH, documentIds),
      ]);
      hits = dedupe([...vectorHits, ...textHits]);
      const fusion = model.rerankingMode ?? (reranker ? 'reranking_model' : DEFAULT_HYBRID_FUSION);
      if (fusion !== 'reranking_model' || !reranker) {
        const weights = hybridWeights(model);
        const fused =
          fusion === 'reciprocal_rank_fusion'
            ? reciprocalRankFusion(vectorHits, textHits, weights)
            : weightedScoreFusion(vectorHits, textHits, weights);
        hits = hits.map((h) => ({ ...h, score: fused.get(h.nodeId) ?? 0 }));
      }
      break;
    }
  }
  if (reranker) {
    hits = await rerank(deps.prisma, reranker, query, hits);
  }
  hits.sort((a, b) => b.score - a.score);
  if (threshold !== null) hits = hits.filter((h) => h.score >= threshold);
  hits = hits.slice(0, topK);
  return { query, records: await toRecords(deps.prisma, hits) };
}

/** The rerank model to apply, if the request asks for one (both names set); an unknown one is an error. */
function rerankerFor(deps: RetrievalDeps, model: RetrievalModel): Reranker | null {
  if (model.searchMethod === 'hybrid_search' && model.rerankingMode && model.rerankingMode !== 'reranking_model') return null;
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

/**
 * Full-text hits, restricted to usable segments of usable documents: checked here among the best 2·top_k for an
 * engine that does not check it itself (Meilisearch; the embedded engine's statement does, saving a round trip).
 */
async function fullTextSearch(
  deps: RetrievalDeps,
  datasetId: string,
  query: string,
  topK: number,
  documentIds: string[] | null,
  rows = false,
) {
  const options = { documentIds: documentIds ?? undefined, rows };
  if (deps.indexes.fullText.answersUsableOnly) return deps.indexes.fullText.search(datasetId, query, { ...options, topK });
  const raw = await deps.indexes.fullText.search(datasetId, query, { ...options, topK: topK * 2 });
  if (raw.length === 0) return [];
  const usable = await deps.prisma.$queryRawUnsafe<{ id: string }[]>(
    `SELECT s.id FROM segments s JOIN documents d ON d.id = s.document_id
      WHERE s.id = ANY($1::uuid[]) AND s.enabled AND s.status = 'completed' AND ${USABLE_DOCUMENT}`,
    [...new Set(raw.map((h) => h.segmentId))],
  );
  const ok = new Set(usable.map((u) => u.id));
  return raw.filter((h) => ok.has(h.segmentId)).slice(0, topK);
}

/**
 * Keyword search (the keyword table Dify builds for every dataset): segments carrying any of the query's keywords,
 * ranked by the weight of the keywords they share with it: Σ idf(k) · w(k, s), where idf is BM25's over the dataset's
 * usable segments and w runs from 1 for a segment's first (strongest) keyword down to ½ for its last. The score is
 * divided by Σ idf over the query's keywords, so it is 0..1.
 */
async function keywordSearch(prisma: Prisma, datasetId: string, query: string, topK: number, documentIds: string[] | null): Promise<Hit[]> {
  const keywords = [...new Set([...extractKeywords(query, 10)])];
  if (keywords.length === 0) return [];
  const usable = `s.dataset_id = $1::uuid AND s.enabled AND s.status = 'completed' AND ${USABLE_DOCUMENT} AND jsonb_typeof(s.keywords) = 'array'`;
  const rows = await prisma.$queryRawUnsafe<{ id: string; node: string | null; score: number }[]>(
    `WITH q AS (SELECT DISTINCT unnest($2::text[]) AS k),
     cand AS MATERIALIZED (
       SELECT s.id, s.index_node_id, s.position, s.document_id, s.keywords
         FROM segments s JOIN documents d ON d.id = s.document_id
        WHERE ${usable} AND s.keywords ?| $2::text[]
     ),
     total AS (SELECT count(*)::float8 AS n FROM segments s JOIN documents d ON d.id = s.document_id WHERE ${usable}),
     idf AS (
       SELECT q.k, ln(1 + (total.n - count(c.id) + 0.5) / (count(c.id) + 0.5)) AS idf
         FROM q CROSS JOIN total LEFT JOIN cand c ON c.keywords ? q.k
        GROUP BY q.k, total.n
     ),
     scored AS (
       SELECT c.id, c.index_node_id, c.position,
              sum(idf.idf * (1 - (e.ord - 1)::float8 / (2 * jsonb_array_length(c.keywords)))) AS score
         FROM cand c CROSS JOIN LATERAL jsonb_array_elements_text(c.keywords) WITH ORDINALITY AS e(k, ord)
         JOIN idf ON idf.k = e.k
        WHERE $4::uuid[] IS NULL OR c.document_id = ANY($4::uuid[])
        GROUP BY c.id, c.index_node_id, c.position
     )
     SELECT id, index_node_id AS node, (score / nullif((SELECT sum(idf) FROM idf), 0))::float8 AS score
       FROM scored
      ORDER BY score DESC, position, id
      LIMIT $3`,
    datasetId,
    keywords,
    topK,
    documentIds,
  );
  return rows.map((r) => ({ nodeId: r.node ?? r.id, segmentId: r.id, childChunkId: null, score: Number(r.score) }));
}

function dedupe(hits: Hit[]): Hit[] {
  const best = new Map<string, Hit>();
  for (const hit of hits) {
    const seen = best.get(hit.nodeId);
    if (!seen || hit.score > seen.score) best.set(hit.nodeId, hit);
  }
  return [...best.values()];
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
  const children = childIds.length
    ? await prisma.childChunk.findMany({ where: { id: { in: childIds } }, select: { id: true, content: true, position: true } })
    : [];
  const childById = new Map(children.map((c) => [c.id, c]));
  const records = new Map<string, RetrievedRecord>();
  for (const hit of hits) {
    const record: RetrievedRecord = records.get(hit.segmentId) ?? {
      segmentId: hit.segmentId,
      score: hit.score,
      childChunks: [],
      ...(hit.row ? { row: hit.row } : {}),
    };
    record.score = Math.max(record.score, hit.score);
    const child = hit.childChunkId ? childById.get(hit.childChunkId) : undefined;
    if (child) record.childChunks.push({ ...child, score: hit.score });
    records.set(hit.segmentId, record);
  }
  for (const record of records.values()) record.childChunks.sort((a, b) => b.score - a.score);
  return [...records.values()].sort((a, b) => b.score - a.score);
}
