import { describe, expect, it } from 'vitest';
import { cleanText } from '../../../src/indexing/text/clean.ts';

const none = { removeExtraSpaces: false, removeUrlsEmails: false };
const spaces = { removeExtraSpaces: true, removeUrlsEmails: false };
const urls = { removeExtraSpaces: false, removeUrlsEmails: true };

describe('cleanText: always-on base cleaning', () => {
  it('rewrites <| and |> to < and >', () => {
    expect(cleanText('<|im_start|>user|>x<|', none)).toBe('<im_start>user>x<');
  });

  it('deletes ASCII controls except TAB, LF and CR, and DEL', () => {
    const controls = [0x00, 0x01, 0x07, 0x08, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f, 0x7f].map((c) => String.fromCharCode(c));
    expect(cleanText(`a${controls.join('')}b`, none)).toBe('ab');
    expect(cleanText('a\tb\nc\rd', none)).toBe('a\tb\nc\rd');
  });

  it('deletes the BOM and U+FFFE but keeps ï ¿ ¾ (Dify deletes those by mistake)', () => {
    expect(cleanText('\uFEFFnaïve ¿qué? ¾ cup\uFFFE', none)).toBe('naïve ¿qué? ¾ cup');
    expect(cleanText('a\uFEFFb', none)).toBe('ab');
  });

  it('applies no rule when none is enabled', () => {
    expect(cleanText('a   b\n\n\n\nc me@example.com https://x.io', none)).toBe('a   b\n\n\n\nc me@example.com https://x.io');
  });
});

describe('cleanText: remove_extra_spaces', () => {
  it('turns three or more newlines into two and leaves one or two alone', () => {
    expect(cleanText('a\nb\n\nc\n\n\nd\n\n\n\n\n\ne', spaces)).toBe('a\nb\n\nc\n\nd\n\ne');
  });

  it('collapses runs of two or more horizontal spaces of every kind into one ASCII space', () => {
    const kinds = ['\t', '\r', ' ', '\u00a0', '\u1680', '\u180e', '\u2000', '\u2005', '\u200a', '\u202f', '\u205f', '\u3000'];
    for (const kind of kinds) expect(cleanText(`a${kind}${kind}b`, spaces)).toBe('a b');
    expect(cleanText('a \u00a0\t\u3000\u2003b', spaces)).toBe('a b');
  });

  it('keeps single spaces of any kind, newlines, and zero-width spaces', () => {
    expect(cleanText('a\u00a0b\u3000c\td\u200b\u200be', spaces)).toBe('a\u00a0b\u3000c\td\u200b\u200be');
    // A form feed is deleted by the base cleaning before the rule runs; CR LF pairs are not runs.
    expect(cleanText('a\f\fb\r\nc', spaces)).toBe('ab\r\nc');
  });

  it('collapses NBSP runs', () => {
    expect(cleanText('price:\u00a0\u00a0\u00a010\u00a0€', spaces)).toBe('price: 10\u00a0€');
  });
});

describe('cleanText: remove_urls_emails', () => {
  it('deletes e-mail addresses', () => {
    expect(cleanText('Mail me@example.com or first.last+tag@mail-server.example.co.uk today', urls)).toBe(
      'Mail  or  today',
    );
  });

  it('deletes http and https URLs up to whitespace or a closing parenthesis', () => {
    expect(cleanText('see https://x.io/a?b=c#d and (http://y.org/path) now', urls)).toBe('see  and () now');
  });

  it('keeps the text of a Markdown link, its URL goes', () => {
    expect(cleanText('read [the docs](https://x.io/docs) first', urls)).toBe('read [the docs]() first');
  });

  it('keeps Markdown images whole, alt text included (Dify replaces it with "image")', () => {
    expect(cleanText('chart: ![Sales by region](https://x.io/c.png) and ![](http://x.io/d.png)', urls)).toBe(
      'chart: ![Sales by region](https://x.io/c.png) and ![](http://x.io/d.png)',
    );
  });

  it('still removes a URL written inside an image alt text', () => {
    expect(cleanText('![from https://a.io/p](https://b.io/c.png)', urls)).toBe('![from ](https://b.io/c.png)');
  });

  it('runs after remove_extra_spaces when both are enabled', () => {
    expect(cleanText('a  b https://x.io  c', { removeExtraSpaces: true, removeUrlsEmails: true })).toBe('a b  c');
  });
});
