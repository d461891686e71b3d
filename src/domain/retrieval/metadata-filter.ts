// Metadata filtering conditions (spec §7.4) as one SQL predicate over documents, so that the documents allowed are
// known before ranking and the vector and full-text searches are restricted to them (Dify filters after top-k and
// loses results).
import { ValidationError } from '../errors.ts';
import { escapeLike } from '../sql.ts';

export const COMPARISON_OPERATORS = [
  'contains', 'not contains', 'start with', 'end with', 'is', 'is not', '=', '≠', 'empty', 'not empty',
  '>', '<', '≥', '≤', 'after', 'before', 'in', 'not in',
] as const;

export interface MetadataCondition {
  name: string;
  comparisonOperator: string;
  value?: unknown;
}

export interface MetadataFilter {
  logicalOperator?: string | null;
  conditions?: MetadataCondition[] | null;
}

/** Built-in fields come from the document's own columns, so they filter even where no value was written. */
const BUILT_IN_EXPRESSIONS: Record<string, string> = {
  document_name: 'd.name',
  uploader: '(SELECT a.name FROM accounts a WHERE a.id = d.created_by)',
  upload_date: 'extract(epoch FROM d.created_at)::text',
  last_update_date: 'extract(epoch FROM d.updated_at)::text',
  source: "CASE d.data_source_type WHEN 'upload_file' THEN 'file_upload' WHEN 'notion_import' THEN 'notion' WHEN 'website_crawl' THEN 'website' END",
};

const NUMBER = "'^\\s*-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\\s*$'";

export interface SqlPredicate {
  sql: string;
  params: unknown[];
}

/**
 * The predicate (over alias `d` = documents) for the conditions, with parameters numbered from `firstParam`;
 * null when there is nothing to filter on.
 */
export function metadataPredicate(filter: MetadataFilter | null | undefined, firstParam: number): SqlPredicate | null {
  const conditions = filter?.conditions ?? [];
  if (conditions.length === 0) return null;
  const logical = (filter?.logicalOperator ?? 'and').toLowerCase();
  if (logical !== 'and' && logical !== 'or') throw new ValidationError(`Invalid logical_operator: ${filter?.logicalOperator}`);
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const parts: string[] = [];
  for (const condition of conditions) {
    const op = condition.comparisonOperator;
    if (!(COMPARISON_OPERATORS as readonly string[]).includes(op)) {
      throw new ValidationError(`Invalid comparison_operator: ${op}. Must be one of ${COMPARISON_OPERATORS.join(', ')}`);
    }
    if (!condition.name || typeof condition.name !== 'string') throw new ValidationError('Metadata condition name is required');
    const value = condition.value;
    if ((value === null || value === undefined) && op !== 'empty' && op !== 'not empty') continue;
    const text = BUILT_IN_EXPRESSIONS[condition.name] ?? `(d.doc_metadata ->> ${param(condition.name)})`;
    const number = `(CASE WHEN ${text} ~ ${NUMBER} THEN (${text})::float8 END)`;
    const asNumber = () => {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) throw new ValidationError(`Metadata condition ${condition.name} ${op} needs a number, got ${JSON.stringify(value)}`);
      return `${param(n)}::float8`;
    };
    const equal = () => (typeof value === 'number' ? `${number} = ${asNumber()}` : `${text} = ${param(String(value))}`);
    const list = () => {
      const items = Array.isArray(value) ? value.map(String) : String(value).split(',').map((s) => s.trim()).filter(Boolean);
      return `${param(items)}::text[]`;
    };
    switch (op) {
      case 'contains':
        parts.push(`${text} LIKE ${param(`%${escapeLike(String(value))}%`)}`);
        break;
      case 'not contains':
        parts.push(`(${text} IS NULL OR ${text} NOT LIKE ${param(`%${escapeLike(String(value))}%`)})`);
        break;
      case 'start with':
        parts.push(`${text} LIKE ${param(`${escapeLike(String(value))}%`)}`);
        break;
      case 'end with':
        parts.push(`${text} LIKE ${param(`%${escapeLike(String(value))}`)}`);
        break;
      case 'is':
      case '=':
        parts.push(equal());
        break;
      case 'is not':
      case '≠':
        parts.push(`(${text} IS NULL OR NOT (${equal()}))`);
        break;
      case 'empty':
        parts.push(`(${text} IS NULL OR ${text} = '')`);
        break;
      case 'not empty':
        parts.push(`(${text} IS NOT NULL AND ${text} <> '')`);
        break;
      case '>':
      case 'after':
        parts.push(`${number} > ${asNumber()}`);
        break;
      case '<':
      case 'before':
        parts.push(`${number} < ${asNumber()}`);
        break;
      case '≥':
        parts.push(`${number} >= ${asNumber()}`);
        break;
      case '≤':
        parts.push(`${number} <= ${asNumber()}`);
        break;
      case 'in':
        parts.push(`COALESCE(${text} = ANY(${list()}), false)`);
        break;
      case 'not in':
        parts.push(`NOT COALESCE(${text} = ANY(${list()}), false)`);
        break;
    }
  }
  if (parts.length === 0) return null;
  return { sql: `(${parts.map((p) => `(${p})`).join(logical === 'and' ? ' AND ' : ' OR ')})`, params };
}
