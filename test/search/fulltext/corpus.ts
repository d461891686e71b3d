// Rows the full-text entries hang on (the embedded engine's table has a foreign key to segments; indexing completed, as
// the engine returns only those): one workspace, and a fresh dataset per test so that tests sharing an engine (and a
// Meilisearch index) cannot see each other's entries.
import { randomUUID } from 'node:crypto';
import type { FullTextEntry } from '../../../src/search/fulltext/port.ts';
import type { TestDatabase } from '../../helpers/database.ts';

export class Corpus {
  private readonly workspaceId = randomUUID();
  private readonly ownerId = randomUUID();
  private readonly datasetOf = new Map<string, string>();
  private ready: Promise<unknown> | null = null;
  private position = 0;

  constructor(private readonly database: TestDatabase) {}

  private get prisma() {
    return this.database.db.prisma;
  }

  private workspace() {
    this.ready ??= this.prisma.workspace.create({ data: { id: this.workspaceId, name: `fulltext-${this.workspaceId}` } });
    return this.ready;
  }

  async dataset(): Promise<string> {
    await this.workspace();
    const id = randomUUID();
    await this.prisma.dataset.create({ data: { id, workspaceId: this.workspaceId, name: id, createdBy: this.ownerId } });
    return id;
  }

  async document(datasetId: string): Promise<string> {
    const id = randomUUID();
    await this.prisma.document.create({
      data: {
        id,
        workspaceId: this.workspaceId,
        datasetId,
        position: ++this.position,
        batch: '1',
        name: id,
        createdBy: this.ownerId,
        indexingStatus: 'completed',
      },
    });
    this.datasetOf.set(id, datasetId);
    return id;
  }

  /** An entry for a new segment of the document (a child chunk's when `child`). */
  async entry(documentId: string, content: string, options: { child?: boolean } = {}): Promise<FullTextEntry> {
    const datasetId = this.datasetOf.get(documentId);
    if (!datasetId) throw new Error('create the document with corpus.document() first');
    const segment = await this.prisma.segment.create({
      data: {
        workspaceId: this.workspaceId,
        datasetId,
        documentId,
        position: ++this.position,
        content,
        wordCount: content.length,
        createdBy: this.ownerId,
        status: 'completed',
      },
    });
    return {
      nodeId: randomUUID(),
      workspaceId: this.workspaceId,
      datasetId,
      documentId,
      segmentId: segment.id,
      childChunkId: options.child ? randomUUID() : null,
      content,
    };
  }

  /** Entries for several texts of one document, in their order. */
  async entries<const T extends readonly string[]>(documentId: string, contents: T): Promise<{ [K in keyof T]: FullTextEntry }> {
    const entries: FullTextEntry[] = [];
    for (const content of contents) entries.push(await this.entry(documentId, content));
    return entries as { [K in keyof T]: FullTextEntry };
  }
}
