/** Who is calling: resolved from the API key on every surface (REST, GraphQL over HTTP, SSE and WebSocket). */
export interface Viewer {
  workspaceId: string;
  /** The workspace owner: API calls act as the owner, as Dify's do, and records carry this id as their author. */
  accountId: string;
  apiKeyId: string;
  /** The datasets a restricted key may see; null for a key that sees the whole workspace. */
  datasetScope: readonly string[] | null;
}

export const canSeeDataset = (viewer: Viewer, datasetId: string) =>
  viewer.datasetScope === null || viewer.datasetScope.includes(datasetId);
