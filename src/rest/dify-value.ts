/**
 * How the REST layer's generated operation types see every GraphQL enum: as Dify's string (`high_quality`,
 * `un_archive`), which is what routes pass and read — src/rest/execute.ts translates to and from enum names.
 */
export type DifyValue = string;
