// HTML to readable text with html-to-text: scripts, styles and images dropped, links keep their text, headings,
// paragraphs and list items keep their lines, and tables become Markdown tables (as Dify's Word extractor writes
// them). With `markdown`, headings are marked `#` and links keep their address as `[text](url)`: the form used for
// Word documents, whose HTML comes from mammoth.
import { convert, type DomNode, type FormatCallback, type SelectorDefinition } from 'html-to-text';
import { decodeHTML } from 'entities';
import type { TablePrinterCell } from 'html-to-text/lib/block-text-builder';

export interface HtmlTextOptions {
  markdown: boolean;
}

const cellText = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();

function markdownTable(rows: TablePrinterCell[][]): string {
  const lines = rows
    .map((row) => row.flatMap((cell) => [cellText(cell.text), ...Array<string>(Math.max(0, cell.colspan - 1)).fill('')]))
    .filter((cells) => cells.some((c) => c !== ''))
    .map((cells) => `| ${cells.join(' | ')} |`);
  const width = rows[0]?.reduce((n, cell) => n + cell.colspan, 0) ?? 0;
  if (lines.length > 1) lines.splice(1, 0, `| ${Array<string>(width).fill('---').join(' | ')} |`);
  return lines.join('\n');
}

const isTag = (node: DomNode, ...names: string[]) => node.type === 'tag' && names.includes(node.name ?? '');
const span = (node: DomNode, attribute: string) => Number(node.attribs?.[attribute]) || 1;

const formatTable: FormatCallback = (elem, walk, builder) => {
  builder.openTable();
  const walkRows = (node: DomNode) => {
    if (isTag(node, 'thead', 'tbody', 'tfoot')) node.children.forEach(walkRows);
    if (!isTag(node, 'tr')) return;
    builder.openTableRow();
    for (const cell of node.children.filter((c) => isTag(c, 'td', 'th'))) {
      builder.openTableCell();
      walk(cell.children, builder);
      builder.closeTableCell({ colspan: span(cell, 'colspan'), rowspan: span(cell, 'rowspan') });
    }
    builder.closeTableRow();
  };
  elem.children.forEach(walkRows);
  builder.closeTable({ tableToString: markdownTable, leadingLineBreaks: 2, trailingLineBreaks: 2 });
};

const formatMarkdownHeading: FormatCallback = (elem, walk, builder) => {
  const level = Number(elem.name?.slice(1)) || 1;
  builder.openBlock({ leadingLineBreaks: 2 });
  walk(elem.children, builder);
  builder.closeBlock({
    trailingLineBreaks: 2,
    blockTransform: (text) => (text.trim() ? `${'#'.repeat(level)} ${text}` : text),
  });
};

const formatMarkdownLink: FormatCallback = (elem, walk, builder) => {
  const href: unknown = elem.attribs?.href;
  if (typeof href !== 'string' || !/^(https?|mailto):/i.test(href)) {
    walk(elem.children, builder);
    return;
  }
  builder.addLiteral('[');
  walk(elem.children, builder);
  builder.addLiteral(`](${href})`);
};

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

function selectors({ markdown }: HtmlTextOptions): SelectorDefinition[] {
  return [
    { selector: 'img', format: 'skip' },
    { selector: 'table', format: 'markdownTable' },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    markdown
      ? { selector: 'a', format: 'markdownLink' }
      : { selector: 'a', options: { ignoreHref: true } },
    ...HEADINGS.map((h): SelectorDefinition =>
      markdown ? { selector: h, format: 'markdownHeading' } : { selector: h, options: { uppercase: false } },
    ),
  ];
}

/** html-to-text walks the tree recursively and gives up past this depth; deeper documents are read flat instead. */
const MAX_DEPTH = 1000;
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const TAG = /<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g;
const HIDDEN = /<(script|style|noscript|template|head)\b[\s\S]*?<\/\1\s*>/gi;
const BLOCK = new RegExp(`</?(?:p|div|br|li|tr|section|article|blockquote|pre|table|ul|ol|${HEADINGS.join('|')})\\b[^>]*>`, 'gi');

/** Whether elements nest deeper than `limit` (one linear scan of the tags; parsers with a stack are quadratic here). */
function nestsDeeperThan(html: string, limit: number): boolean {
  let depth = 0;
  for (const [, closing, name = '', selfClosing] of html.matchAll(TAG)) {
    if (selfClosing || VOID.has(name.toLowerCase())) continue;
    if (closing) depth = Math.max(0, depth - 1);
    else if (++depth > limit) return true;
  }
  return false;
}

/** The text of any HTML, however deep, without formatting: tags removed, a line break per block element. */
function flatText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(HIDDEN, '')
    .replace(BLOCK, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeHTML(text)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function htmlToText(html: string, options: HtmlTextOptions): string {
  if (nestsDeeperThan(html, MAX_DEPTH)) return flatText(html);
  return convert(html, {
    wordwrap: false,
    // maxInputLength 0 turns off html-to-text's silent truncation of long input (the caller limits the text instead).
    // Its walk recurses per nesting level and overflows the stack near 3,000 levels (deeper documents go to flatText).
    limits: { maxInputLength: 0, maxDepth: MAX_DEPTH },
    formatters: { markdownTable: formatTable, markdownHeading: formatMarkdownHeading, markdownLink: formatMarkdownLink },
    selectors: selectors(options),
  })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
