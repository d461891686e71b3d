import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.ts';
import { describeByConvention } from './conventions.ts';
import './scalars.ts';
import './errors.ts';
import './tags.ts';
import './datasets.ts';
import './uploads.ts';
import './documents.ts';
import './document-mutations.ts';
import './indexing-progress.ts';
import './segments.ts';
import './retrieval.ts';
import './metadata.ts';
import './models.ts';

export const schema = describeByConvention(lexicographicSortSchema(builder.toSchema()));
