// A BEIR-format collection (corpus.jsonl, queries.jsonl, qrels/test.tsv or qrels.tsv) and deterministic subsets of it.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface BeirDoc {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

export interface Collection {
  docs: BeirDoc[];
  queries: BeirQuery[];
  /** query id → relevant doc id → grade. */
  qrels: Map<string, Map<string, number>>;
}

const jsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);

/** The folder's qrels file, or null when the folder is not a BEIR collection. */
export function qrelsPath(folder: string): string | null {
  for (const candidate of [join(folder, 'qrels', 'test.tsv'), join(folder, 'qrels.tsv')]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export function loadCollection(folder: string): Collection {
  const qrelsFile = qrelsPath(folder);
  if (!qrelsFile) throw new Error(`${folder}: no qrels/test.tsv or qrels.tsv`);
  const docs = jsonl<{ _id: string; title?: string; text?: string }>(join(folder, 'corpus.jsonl')).map((d) => ({
    id: String(d._id),
    title: d.title ?? '',
    text: d.text ?? '',
  }));
  const qrels = new Map<string, Map<string, number>>();
  for (const line of readFileSync(qrelsFile, 'utf8').split('\n').slice(1)) {
    const [query, doc, grade] = line.trim().split('\t');
    if (!query || !doc || Number(grade) <= 0) continue;
    const judged = qrels.get(query) ?? new Map<string, number>();
    judged.set(doc, Number(grade));
    qrels.set(query, judged);
  }
  const queries = jsonl<{ _id: string; text: string }>(join(folder, 'queries.jsonl'))
    .map((q) => ({ id: String(q._id), text: q.text }))
    .filter((q) => qrels.has(q.id));
  return { docs, queries, qrels };
}

/**
 * About `limit` documents: the judged documents of the first queries (as many queries as fit in half the budget),
 * then unjudged documents in corpus order as distractors. Only those queries are kept, so every kept query has all its
 * relevant documents in the subset and the metrics stay comparable to the full collection's.
 */
export function subset(collection: Collection, limit: number): Collection {
  if (limit >= collection.docs.length) return collection;
  const byId = new Map(collection.docs.map((d) => [d.id, d]));
  const chosen = new Set<string>();
  const queries: BeirQuery[] = [];
  for (const query of collection.queries) {
    const relevant = [...(collection.qrels.get(query.id)?.keys() ?? [])].filter((id) => byId.has(id));
    const added = relevant.filter((id) => !chosen.has(id));
    if (chosen.size + added.length > limit / 2) break;
    for (const id of added) chosen.add(id);
    queries.push(query);
  }
  for (const doc of collection.docs) {
    if (chosen.size >= limit) break;
    chosen.add(doc.id);
  }
  const docs = collection.docs.filter((d) => chosen.has(d.id));
  const qrels = new Map(queries.map((q) => [q.id, collection.qrels.get(q.id) as Map<string, number>]));
  return { docs, queries, qrels };
}

/** What a search engine indexes for a document: title and text, as BEIR's BM25 baseline does. */
export const docText = (doc: BeirDoc) => (doc.title ? `${doc.title}\n${doc.text}` : doc.text);

/**
 * Where the shared SciFact copy lives: `EVAL_COLLECTION`, else `../shared/eval/scifact` next to the repository (or
 * next to the folder holding it, for git worktrees one level down). Null when none exists.
 */
export function defaultCollection(repoRoot: string): string | null {
  const candidates = [
    process.env.EVAL_COLLECTION,
    resolve(repoRoot, '../shared/eval/scifact'),
    resolve(repoRoot, '../../shared/eval/scifact'),
  ].filter((c): c is string => Boolean(c));
  return candidates.find((c) => qrelsPath(c) !== null) ?? null;
}
