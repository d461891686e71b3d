import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './errors.ts';
import './tags.ts';
import './datasets.ts';
import './documents.ts';

export const schema = lexicographicSortSchema(builder.toSchema());
