import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docx, pdf, workbook, zip } from '../helpers/documents.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const PARAGRAPHS = { separator: '\\n', max_tokens: 200 };

/** Each supported type, uploaded through the Dify route, must index to these segments. */
const CASES: Array<{ name: string; body: Buffer | string; segments: string[] }> = [
  { name: 'notes.txt', body: 'plain text line\n第二行是中文。', segments: ['plain text line', '第二行是中文。'] },
  { name: 'readme.md', body: '# Heading\nmarkdown body', segments: ['Heading', 'markdown body'] },
  { name: 'readme.markdown', body: 'markdown long name', segments: ['markdown long name'] },
  { name: 'page.mdx', body: 'mdx content here', segments: ['mdx content here'] },
  { name: 'page.html', body: '<html><head><style>p{}</style><script>var x</script></head><body><h1>Title</h1><p>Hello <a href="https://x.io">link text</a></p></body></html>', segments: ['Title', 'Hello link text'] },
  { name: 'page.htm', body: '<p>old extension</p>', segments: ['old extension'] },
  { name: 'table.csv', body: 'name,city\nAlice,Paris\n\nBob,東京\n', segments: ['name: Alice;city: Paris', 'name: Bob;city: 東京'] },
  { name: 'sheet.xlsx', body: workbook([['name', 'city'], ['Alice', 'Paris'], ['Bob', '東京']], 'xlsx'), segments: ['name":"Alice";"city":"Paris"', 'name":"Bob";"city":"東京"'] },
  { name: 'sheet.xls', body: workbook([['name', 'city'], ['Carol', 'Rome']], 'xls'), segments: ['name":"Carol";"city":"Rome"'] },
  { name: 'letter.docx', body: docx(['Dear reader,', '这是一个 Word 文档。']), segments: ['Dear reader,', '这是一个 Word 文档。'] },
  { name: 'paper.pdf', body: pdf(['First page text', 'Second page text']), segments: ['First page text', 'Second page text'] },
  // Deeper than html-to-text walks (it would give '...'): read flat, no text lost.
  { name: 'deep.html', body: `<body>${'<div>'.repeat(200_000)}deep text &amp; more${'</div>'.repeat(200_000)}<p>after</p></body>`, segments: ['deep text & more', 'after'] },
  // Valid UTF-8 with a stray NUL is text; cleaning drops the NUL, which PostgreSQL text cannot hold.
  { name: 'stray-nul.txt', body: 'before\u0000after\nsecond line', segments: ['beforeafter', 'second line'] },
];

describe('every supported file type goes from upload to completed', () => {
  let server: TestServer;
  let key: string;
  let datasetId: string;

  const upload = async (name: string, body: Buffer | string) => {
    const form = new FormData();
    form.append('file', new Blob([typeof body === 'string' ? body : new Uint8Array(body)]), name);
    form.append('data', JSON.stringify({ indexing_technique: 'high_quality', process_rule: { mode: 'custom', rules: { pre_processing_rules: [], segmentation: PARAGRAPHS } } }));
    const res = await fetch(`${server.url}/v1/datasets/${datasetId}/document/create-by-file`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: form });
    return (await res.json()) as { document: { id: string }; batch: string };
  };

  const finish = async (batch: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await server.rest('GET', `/v1/datasets/${datasetId}/documents/${batch}/indexing-status`, { key });
      const status = res.body.data[0];
      if (status.indexing_status === 'completed' || status.indexing_status === 'error' || Date.now() > deadline) return status;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    server = await startTestServer({ INDEXING_POLL_MS: '100' });
    key = await server.createKey('formats');
    datasetId = (await server.rest('POST', '/v1/datasets', { key, json: { name: 'formats' } })).body.id;
  });
  afterAll(() => server.close());

  it.each(CASES)('$name', async ({ name, body, segments }) => {
    const created = await upload(name, body);
    const status = await finish(created.batch);
    expect(status, JSON.stringify(status)).toMatchObject({ indexing_status: 'completed', error: null });
    const rows = await server.prisma.segment.findMany({ where: { documentId: created.document.id }, orderBy: { position: 'asc' } });
    const contents = rows.map((r) => r.content);
    // Spreadsheet rows render as `"header":"value";…` (Dify's chunk clean-up strips the leading quote), CSV rows as
    // `header: value;…`, as Dify's extractors write them.
    expect(contents).toEqual(segments);
    expect(await server.prisma.embedding.count({ where: { documentId: created.document.id } })).toBe(rows.length);
  });

  it.each([
    ['a PNG named .docx', 'photo.docx', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]), /photo\.docx is not a Word document/],
    ['a truncated PDF', 'broken.pdf', pdf(['will be cut']).subarray(0, 60), /broken\.pdf/],
    ['a zip that is not a Word file', 'archive.docx', zip({ 'hello.txt': 'hi' }), /archive\.docx/],
    ['binary labelled as text', 'binary.txt', Buffer.from([0x61, 0x62, 0xc3, 0x28, 0xa0, 0xa1, 0x63]), /binary\.txt/],
    ['UTF-16 without a BOM (NUL bytes throughout)', 'wide.txt', Buffer.from('wide text without a byte order mark', 'utf16le'), /wide\.txt is not UTF-8 text/],
    ['HTML with no text', 'empty.html', '<html><body><div><span> </span></div><img src="x.png"></body></html>', /empty\.html contains no text/],
  ])('%s ends in error with a readable message', async (_what, name, body, message) => {
    const created = await upload(name, body);
    const status = await finish(created.batch);
    expect(status.indexing_status).toBe('error');
    expect(status.error).toMatch(message);
  });

  it('reads a PDF mislabelled as .txt as the PDF it is', async () => {
    const created = await upload('actually.txt', pdf(['Sniffed by content']));
    const status = await finish(created.batch);
    expect(status.indexing_status).toBe('completed');
    const rows = await server.prisma.segment.findMany({ where: { documentId: created.document.id } });
    expect(rows.map((r) => r.content)).toEqual(['Sniffed by content']);
  });
});
