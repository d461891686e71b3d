// Dify's CleanProcessor (spec §6.2), minus the bugs the spec records: the UTF-8 BOM is removed (Dify's character class
// meant it but deleted ï ¿ ¾ instead), and Markdown links and images keep their text.

export interface CleaningRules {
  removeExtraSpaces: boolean;
  removeUrlsEmails: boolean;
}

const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFEFF\uFFFE]/g;
const HORIZONTAL_SPACE_RUN = /[\t\f\r\x20\u00a0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000]{2,}/g;
const EMAIL = /([a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+)/g;
const MARKDOWN_LINK = /(!?)\[([^\]]*)\]\((https?:\/\/[^\s)]+)\)/g;
const URL = /https?:\/\/[^\s)]+/g;

export function cleanText(text: string, rules: CleaningRules): string {
  let out = text.replace(/<\|/g, '<').replace(/\|>/g, '>').replace(CONTROL, '');
  if (rules.removeExtraSpaces) {
    out = out.replace(/\n{3,}/g, '\n\n').replace(HORIZONTAL_SPACE_RUN, ' ');
  }
  if (rules.removeUrlsEmails) {
    out = out.replace(EMAIL, '');
    // Links and images keep their text; only the address goes.
    out = out.replace(MARKDOWN_LINK, (_m, _bang: string, label: string) => label);
    out = out.replace(URL, '');
  }
  return out;
}
