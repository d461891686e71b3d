/** Words too common to be keywords (English and Chinese function words; Japanese particles are single kana). */
export const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it ' +
    'its me more my no not of on or our she so such than that the their them then there these they this those to ' +
    'too us was we were what when where which while who why will with would you your about after all also any ' +
    'because before between both each few most other over same some very just only own up down out off again ' +
    '的 了 和 是 在 我 有 他 这 中 大 为 上 个 国 也 子 说 们 到 就 以 要 会 对 着 那 与 及 或 而 被 把 让 从 吗 呢 吧 啊 ' +
    '之 于 其 但 并 等 一个 没有 我们 你们 他们 这个 那个 这些 那些 因为 所以 如果 但是 可以 已经 还是 就是 不是 ' +
    'です ます した する いる ある なる こと もの よう これ それ あれ この その あの'
  ).split(/\s+/),
);
