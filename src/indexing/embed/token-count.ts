// Token counts per text. OpenAI-compatible servers report one total per request; texts are charged a share of it in
// proportion to an estimate of their own tokens, and the estimate stands in when a server reports no usage.
import { isCjk } from '../text/tokenize.ts';

/** About one token per CJK character and per four other non-space characters (at least 1 for a non-blank text). */
export function estimateTokens(text: string): number {
  let cjk = 0;
  let other = 0;
  for (const char of text) {
    if (isCjk(char)) cjk++;
    else if (char.trim() !== '') other++;
  }
  const estimate = cjk + Math.ceil(other / 4);
  return estimate === 0 && text.length > 0 ? 1 : estimate;
}

/** Splits `total` over `texts` by their estimated tokens; the shares are integers that add up to `total`. */
export function distributeTokens(total: number, texts: readonly string[]): number[] {
  if (texts.length === 0) return [];
  const whole = Math.max(0, Math.round(total));
  const weights = texts.map((t) => Math.max(1, estimateTokens(t)));
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (whole * w) / sum);
  const shares = exact.map(Math.floor);
  // Largest remainder: the units lost to rounding down go to the texts that lost the most.
  let left = whole - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    shares[i] = (shares[i] as number) + 1;
    left--;
  }
  return shares;
}
