// Dify's JSON for segments and child chunks (spec §5).
import type { ChildChunkFieldsFragment, SegmentFieldsFragment } from '../../generated/graphql.ts';
import { unixSeconds } from './convert.ts';

export const toDifyChildChunk = (c: ChildChunkFieldsFragment) => ({
  id: c.uuid,
  segment_id: c.segmentId,
  content: c.content,
  position: c.position,
  word_count: c.wordCount,
  type: c.type,
  created_at: unixSeconds(c.createdAt),
  updated_at: unixSeconds(c.updatedAt),
});

export const toDifySegment = (s: SegmentFieldsFragment) => ({
  id: s.uuid,
  position: s.position,
  document_id: s.documentId,
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
  updated_at: unixSeconds(s.updatedAt),
  updated_by: s.updatedBy,
  indexing_at: unixSeconds(s.indexingAt),
  completed_at: unixSeconds(s.completedAt),
  error: s.error,
  stopped_at: unixSeconds(s.stoppedAt),
  child_chunks: s.childChunks.edges.map((e) => toDifyChildChunk(e.node)),
  attachments: [],
  summary: null,
});
