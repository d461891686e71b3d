import { type SegmentWithDocument, toSegmentWithDocument } from '../db/segment-rows.ts';

/** What every search statement selects for a hit (pgvector's and the embedded full-text engine's). */
export type HitRow = {
  node_id: string;
  segment_id: string;
  child_chunk_id: string | null;
  score: number;
};

/** A search statement's row as a hit; with `withRow`, the row also holds SEGMENT_ROW_COLUMNS and the hit carries them. */
export function toHit(r: HitRow, withRow = false) {
  const hit: { nodeId: string; segmentId: string; childChunkId: string | null; score: number; row?: SegmentWithDocument } = {
    nodeId: r.node_id,
    segmentId: r.segment_id,
    childChunkId: r.child_chunk_id,
    score: Number(r.score),
  };
  if (withRow) hit.row = toSegmentWithDocument(r);
  return hit;
}
