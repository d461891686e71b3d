// Dify's CleanProcessor (spec §6.2), minus two of its bugs: its character class meant the UTF-8 BOM but deletes
// ï ¿ ¾ instead, so here the BOM goes and those letters stay; and Markdown images keep their alt text, which Dify
// rewrites to `image`.

export interface CleaningRules {
  removeExtraSpaces: boolean;
  removeUrlsEmails: boolean;
}

// ASCII controls except TAB, LF and CR, DEL, the BOM and the non-character U+FFFE.
const INVISIBLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFEFF\uFFFE]/g;
const BLANK_LINES = /\n{3,}/g;
const HORIZONTAL_SPACE_RUN = /[\t\f\r\x20\u00a0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000]{2,}/g;
const EMAIL = /[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9.-]+/g;
const URL_PATTERN = /https?:\/\/[^\s)]+/g;
// A Markdown image is kept whole (Dify protects its URL), except for a URL inside its alt text; any other URL is
// deleted, so a link `[text](url)` keeps its text and becomes `[text]()`. `[^\n]` is Python's `.`.
const IMAGE_OR_URL = /!\[([^\n]*?)(\]\(https?:\/\/[^\s)]+\))|https?:\/\/[^\s)]+/g;

function removeUrls(text: string): string {
  return text.replace(IMAGE_OR_URL, (_match, alt: string | undefined, target: string | undefined) =>
    alt === undefined ? '' : `![${alt.replace(URL_PATTERN, '')}${target}`,
  );
}

export function cleanText(text: string, rules: CleaningRules): string {
  let out = text.replaceAll('<|', '<').replaceAll('|>', '>').replace(INVISIBLE, '');
  // The normalized rule no longer knows the order the rules were listed in; this is Dify's default order.
  if (rules.removeExtraSpaces) {
    out = out.replace(BLANK_LINES, '\n\n').replace(HORIZONTAL_SPACE_RUN, ' ');
  }
  if (rules.removeUrlsEmails) {
    out = removeUrls(out.replace(EMAIL, ''));
  }
  return out;
}
