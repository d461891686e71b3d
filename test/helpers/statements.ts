import pg from 'pg';
import { vi } from 'vitest';

export interface Statement {
  text: string;
  values: unknown[];
}

/**
 * The statements `work` sends, with their parameters. Every statement of the app goes through node-postgres (on
 * PostgreSQL and on the embedded engine's socket alike), so this is every round trip.
 */
export async function statementsSentBy<T>(work: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
  const query = vi.spyOn(pg.Client.prototype, 'query');
  try {
    const result = await work();
    const statements = (query.mock.calls as unknown as [string | Partial<Statement>, unknown[] | undefined][]).map(
      ([config, values]) =>
        typeof config === 'string'
          ? { text: config, values: values ?? [] }
          : { text: config.text ?? '', values: config.values ?? [] },
    );
    return { result, statements };
  } finally {
    query.mockRestore();
  }
}
