// One real file of every accepted type through extractText, with the text it must give.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractText } from '../../../src/indexing/parse/index.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/files/${name}`, import.meta.url)));
const extract = (name: string) => extractText({ bytes: fixture(name), filename: name });

describe('extractText reads every accepted type', () => {
  it('txt: UTF-8 text as is, Chinese and Japanese included, in one part', async () => {
    expect(await extract('sample.txt')).toEqual({
      format: 'text',
      parts: [
        'Knowledge gateway sample text.\nThe quick brown fox jumps over the lazy dog.\n' +
          '这是一段中文文字，用于测试文本提取。\n日本語のテキストも正しく読み取れるはずです。\n',
      ],
    });
  });

  it('txt in UTF-16 with a BOM, Windows line ends made \\n', async () => {
    expect(await extract('utf16.txt')).toEqual({ format: 'text', parts: ['UTF-16 テキスト\n第二行\n'] });
  });

  it('md, markdown and mdx: the Markdown source as is; a UTF-8 BOM is dropped', async () => {
    expect(await extract('sample.md')).toEqual({
      format: 'markdown',
      parts: ['# Release notes\n\n## Added\n\n- Markdown stays **as is**.\n- Links: [docs](https://example.com/docs)\n'],
    });
    expect(await extract('sample.markdown')).toEqual({
      format: 'markdown',
      parts: ['# Long extension\n\nMarkdown with the `.markdown` extension.\n'],
    });
    const mdx = await extract('sample.mdx');
    expect(mdx.format).toBe('markdown');
    expect(mdx.parts).toEqual([expect.stringContaining('<Chart year={2024} />\n\nMDX text stays as is.')]);
    expect(await extract('bom.md')).toEqual({ format: 'markdown', parts: ['# Title after a BOM\n\nBody text.\n'] });
  });

  it('vtt and properties: plain text', async () => {
    expect(await extract('sample.vtt')).toEqual({
      format: 'text',
      parts: ['WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHello from the subtitles.\n'],
    });
    expect(await extract('sample.properties')).toEqual({
      format: 'text',
      parts: ['# settings\napp.name=Knowledge Gateway\napp.greeting=こんにちは\n'],
    });
  });

  it('html: visible text with headings, link text, list items and tables; no script, style or title', async () => {
    const { format, parts } = await extract('sample.html');
    expect(format).toBe('html');
    expect(parts).toEqual([
      [
        'Company & Culture',
        'Read the employee handbook before your first day.',
        'Benefits',
        '- Remote work\n- Learning budget',
        '| Office | City |\n| --- | --- |\n| HQ | Berlin |\n| 亚洲 | 東京 |',
        '中文段落：欢迎加入。',
      ].join('\n\n'),
    ]);
    expect(parts[0]).not.toMatch(/trackingSecret|not indexed|font-family|https:|logo/);
  });

  it('htm: the same HTML reader', async () => {
    expect(await extract('sample.htm')).toEqual({ format: 'html', parts: ['Old-style .htm extension.\n\n第二段。'] });
  });

  it("csv: one part per data row, `column: value` joined by ';' (Dify's CSV extractor), empty rows and cells left out", async () => {
    expect(await extract('sample.csv')).toEqual({
      format: 'csv',
      parts: [
        'name: Alice;city: Paris;note: likes cheese, wine',
        'name: Bob;city: 東京',
        'name: Carol "CJ";city: Rome;note: multi\nline',
      ],
    });
  });

  it('csv: a semicolon-separated file is read with its delimiter', async () => {
    expect((await extract('semicolon.csv')).parts).toEqual(['produit: Café;prix: 2,50', 'produit: Thé;prix: 3,10']);
  });

  it(`xlsx: every sheet, one part per data row as "column":"value" (Dify's Excel extractor), links kept`, async () => {
    expect(await extract('sample.xlsx')).toEqual({
      format: 'xlsx',
      parts: [
        '"Name":"Alice";"City":"Paris";"Salary":"52,000"',
        '"Name":"Bob";"City":"東京";"Salary":"61000.5"',
        '"Name":"[Website](https://example.com/)";"City":"Online"',
        '"Product":"Widget";"Price":"9.99"',
        '"Product":"ガジェット";"Price":"120"',
      ],
    });
  });

  it('xls (BIFF8): every sheet, rows as for xlsx', async () => {
    expect(await extract('sample.xls')).toEqual({
      format: 'xls',
      parts: ['"Item":"Bolts";"Count":"120"', '"Item":"螺丝";"Count":"45"', '"Note":"Second sheet row"'],
    });
  });

  it('docx: Markdown-like text with headings, paragraphs, list items, the table and the link; CJK kept', async () => {
    expect(await extract('sample.docx')).toEqual({
      format: 'docx',
      parts: [
        [
          '# Employee Handbook',
          'Welcome to the company. Read this first.',
          '## 休假制度',
          '员工每年享有十五天带薪年假。',
          '社員は毎年十五日間の有給休暇を取得できます。',
          '## Checklist',
          '- Bring your badge\n- Set up your laptop',
          '| Office | City |\n| --- | --- |\n| HQ | Berlin |\n| アジア | 東京 |',
          'See the [intranet](https://intranet.example.com/) for more.',
        ].join('\n\n'),
      ],
    });
  });

  it('pdf: one part per page, lines kept', async () => {
    expect(await extract('sample.pdf')).toEqual({
      format: 'pdf',
      parts: ['Quarterly Report\nRevenue grew by 12 percent.', 'Page two: outlook\nHiring continues (carefully).'],
    });
  });

  it('pdf with Japanese and Chinese text (Type0 font with a ToUnicode map)', async () => {
    expect(await extract('cjk.pdf')).toEqual({
      format: 'pdf',
      parts: ['日本語のテキストです。\n東京は晴れ。', '这是中文的第二页。'],
    });
  });

  it('a file without an extension goes by its declared MIME type, then by its content', async () => {
    expect(await extractText({ bytes: fixture('sample.md'), filename: 'README', mimeType: 'text/markdown; charset=utf-8' }))
      .toMatchObject({ format: 'markdown' });
    expect(await extractText({ bytes: fixture('sample.pdf'), filename: 'scan-0001' })).toMatchObject({ format: 'pdf' });
    expect(await extractText({ bytes: fixture('sample.txt'), filename: 'notes' })).toMatchObject({ format: 'text' });
  });

  it('the extension given by the caller wins over the name (text documents are named freely)', async () => {
    const bytes = new TextEncoder().encode('<p>kept as text</p>');
    expect(await extractText({ bytes, filename: 'My notes v1.2', extension: 'txt' })).toEqual({
      format: 'text',
      parts: ['<p>kept as text</p>'],
    });
  });
});
