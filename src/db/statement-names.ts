// Names for prepared statements, so that a connection parses a statement it sends over and over once (node-postgres
// prepares a named statement on first use per connection and reuses it after). Given to Prisma's adapter for the
// indexing worker's connections, which send the same dozen statements for every document: parsing and planning
// them anew each time was about a fifth of the database's time per document.
import { createHash } from 'node:crypto';

/**
 * Statements with more parameters than this are not named: their text grows with their rows (Prisma's createMany
 * lists each row's values), so naming them would prepare a new statement per row count on every connection.
 */
const MAX_PARAMETERS = 64;
const names = new Map<string, string>();
/** Distinct statements named at most (each is prepared on every connection that sends it). */
const MAX_NAMES = 200;

export function statementName(query: { sql: string; args: readonly unknown[] }): string | undefined {
  if (query.args.length > MAX_PARAMETERS) return undefined;
  let name = names.get(query.sql);
  if (name === undefined) {
    if (names.size >= MAX_NAMES) return undefined;
    name = `kg_${createHash('sha1').update(query.sql).digest('hex').slice(0, 24)}`;
    names.set(query.sql, name);
  }
  return name;
}
