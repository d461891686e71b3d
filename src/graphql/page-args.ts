import type { builder } from './builder.ts';

type ArgBuilder = Parameters<Parameters<typeof builder.queryFields>[0]>[0]['arg'];

/** `offset`, besides Relay's first/after/last/before: page-numbered clients (Dify's page/limit) jump to a page. */
export const pageArgs = (t: { arg: ArgBuilder }) => ({
  offset: t.arg.int({
    description: 'Rows to skip before the page, for page-numbered lists; cannot be combined with `after`/`before`.',
  }),
});
