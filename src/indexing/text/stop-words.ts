// Words too common to be keywords, in the form tokenize() produces (NFKC, lower case). Keyword extraction sets single
// characters aside unless nothing else is left; the common ones are listed so that even then they are not returned.

const ENGLISH =
  'a i about above after again against all also am an and any are aren\'t as at be because been before being below ' +
  'between both but by can can\'t cannot could couldn\'t did didn\'t do does doesn\'t doing don\'t down during each ' +
  'either etc even ever every few for from further get gets got had hadn\'t has hasn\'t have haven\'t having he he\'s ' +
  'her here hers herself him himself his how however i\'m i\'ve if in into is isn\'t it it\'s its itself just let\'s ' +
  'many may me might more most much must my myself neither no nor not now of off often on once one only or other ' +
  'others our ours ourselves out over own per rather same shall she she\'s should shouldn\'t since so some such ' +
  'than that that\'s the their theirs them themselves then there there\'s these they they\'re this those though ' +
  'through thus to too under until up upon us use used using very via was wasn\'t we we\'re were weren\'t what ' +
  'when where whether which while who whom whose why will with within without won\'t would wouldn\'t yet you ' +
  'you\'re your yours yourself yourselves';

const CHINESE =
  '的 地 得 了 着 过 是 在 和 与 及 或 而 也 就 都 又 还 把 被 让 给 从 对 为 以 于 之 其 但 并 等 吗 呢 吧 啊 呀 ' +
  '这 那 哪 我 你 您 他 她 它 个 些 很 更 最 不 没 有 要 会 能 将 所 则 即 ' +
  '一个 一些 一样 一直 一种 不是 不会 不能 也是 了解 以及 以后 以前 任何 但是 作为 你们 其中 其他 具有 可以 可能 各种 ' +
  '同时 因为 因此 如何 如果 如此 它们 对于 就是 已经 并且 应该 开始 当然 我们 或者 所以 所有 执行 这个 这些 这样 这种 ' +
  '进行 还是 还有 那个 那些 那么 通过 需要 非常 他们 她们 什么 怎么 怎样 为什么 只是 只有 而且 虽然 然后 然而 即使 ' +
  '由于 关于 根据 之后 之前 之间 之一 没有 不过 此外 比如 例如 还要 自己 大家 这里 那里 哪里 的话 起来 出来 一下';

const JAPANESE =
  'は が の を に へ と で も や か な ね よ だ た て し い う る れ ' +
  'です でした ます ました ません する した して します しない いる いた いて います ある あった あり あります ' +
  'なる なった なり なります こと もの よう ため ところ これ それ あれ どれ この その あの どの ここ そこ あそこ ' +
  'から まで より など ので のに けど けれど でも では には とは ても だけ また そして しかし さらに および ' +
  'について によって により として という といった られる れる せる ない なく たち';

export const STOP_WORDS: ReadonlySet<string> = new Set(`${ENGLISH} ${CHINESE} ${JAPANESE}`.split(/\s+/));
