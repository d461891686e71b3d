// Dify's JSON for segments and child chunks (spec §5).
import type { ChildChunkFieldsFragment, SegmentCoreFragment, SegmentFieldsFragment } from '../../generated/graphql.ts';
import { unixSeconds } from './convert.ts';

export const toDifyChildChunk = (c: ChildChunkFieldsFragment) => ({
  id: c.uuid,
  segment_id: c.segment.uuid,
  content: c.content,
  position: c.position,
  word_count: c.wordCount,
  type: c.type,
  created_at: unixSeconds(c.createdAt),
  updated_at: unixSeconds(c.updatedAt),
});

/** The segment fields Dify shows everywhere (segment routes and retrieval records), in Dify's order. */
export const toDifySegmentCore = (s: SegmentCoreFragment) => ({
  id: s.uuid,
  position: s.position,
  document_id: s.document.uuid,
  content: s.content,
  sign_content: s.content,
  answer: s.answer,
  word_count: s.wordCount,
  tokens: s.tokens,
  keywords: s.keywords,
  index_node_id: s.indexNodeId,
  index_node_hash: s.indexNodeHash,
  hit_count: s.hitCount,
  enabled: s.enabled,
  disabled_at: unixSeconds(s.disabledAt),
  disabled_by: s.disabledBy,
  status: s.status,
  created_by: s.createdBy,
  created_at: unixSeconds(s.createdAt),
});

const progressTimes = (s: SegmentCoreFragment) => ({
  indexing_at: unixSeconds(s.indexingAt),
  completed_at: unixSeconds(s.completedAt),
  error: s.error,
  stopped_at: unixSeconds(s.stoppedAt),
});

export const toDifySegment = (s: SegmentFieldsFragment) => ({
  ...toDifySegmentCore(s),
  updated_at: unixSeconds(s.updatedAt),
  updated_by: s.updatedBy,
  ...progressTimes(s),
  child_chunks: s.childChunks.edges.map((e) => toDifyChildChunk(e.node)),
  attachments: [],
  summary: null,
});

/** A retrieval record's segment: the core fields, then the indexing times and the document. */
export const toDifyRetrievedSegment = (s: SegmentCoreFragment) => ({ ...toDifySegmentCore(s), ...progressTimes(s) });
