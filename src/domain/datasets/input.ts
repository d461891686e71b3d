import { rejectNul } from '../text.ts';
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { RetrievalModelSchema } from './retrieval-model.ts';

/** Dify counts characters as Python does: code points, not UTF-16 units. */
const codePoints = (value: string) => [...value].length;
const text = (field: string, min: number, max: number) =>
  z
    .string()
    .refine((v) => codePoints(v) >= min, `${field} must have at least ${min} character${min === 1 ? '' : 's'}`)
    .refine((v) => codePoints(v) <= max, `${field} must have at most ${max} characters`);

export const DATASET_NAME_MAX = 40;
export const DATASET_DESCRIPTION_MAX = 400;

export const INDEXING_TECHNIQUES = ['high_quality', 'economy'] as const;
export const PERMISSIONS = ['only_me', 'all_team_members', 'partial_members'] as const;
export const PROVIDERS = ['vendor', 'external'] as const;

const name = text('name', 1, DATASET_NAME_MAX);
const description = text('description', 0, DATASET_DESCRIPTION_MAX);
const modelName = z.string().min(1).max(255);

const SummaryIndexSettingSchema = z.object({
  enable: z.boolean().nullish(),
  modelName: z.string().max(255).nullish(),
  modelProviderName: z.string().max(255).nullish(),
  summaryPrompt: z.string().max(10_000).nullish(),
});

export const CreateDatasetSchema = z.object({
  name,
  description: description.nullish(),
  indexingTechnique: z.enum(INDEXING_TECHNIQUES).nullish(),
  permission: z.enum(PERMISSIONS).nullish(),
  provider: z.enum(PROVIDERS).nullish(),
  externalKnowledgeApiId: z.string().max(255).nullish(),
  externalKnowledgeId: z.string().max(255).nullish(),
  embeddingModel: modelName.nullish(),
  embeddingModelProvider: modelName.nullish(),
  retrievalModel: RetrievalModelSchema.nullish(),
  summaryIndexSetting: SummaryIndexSettingSchema.nullish(),
});
export type CreateDatasetInput = z.input<typeof CreateDatasetSchema>;

export const UpdateDatasetSchema = z.object({
  name: name.nullish(),
  description: description.nullish(),
  indexingTechnique: z.enum(INDEXING_TECHNIQUES).nullish(),
  permission: z.enum(PERMISSIONS).nullish(),
  embeddingModel: modelName.nullish(),
  embeddingModelProvider: modelName.nullish(),
  retrievalModel: RetrievalModelSchema.nullish(),
  partialMemberList: z.array(z.uuid()).max(1000).nullish(),
  externalRetrievalModel: z
    .object({
      topK: z.number().int().min(1).max(100),
      scoreThreshold: z.number().min(0).max(1).nullish(),
      scoreThresholdEnabled: z.boolean().nullish(),
    })
    .nullish(),
  externalKnowledgeId: z.string().max(255).nullish(),
  externalKnowledgeApiId: z.string().max(255).nullish(),
  summaryIndexSetting: SummaryIndexSettingSchema.nullish(),
});
export type UpdateDatasetInput = z.input<typeof UpdateDatasetSchema>;

/** Parses `input` or throws a ValidationError listing every problem, field by field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  rejectNul(input, []);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String),
    message: issue.message,
  }));
  const message = issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('\n');
  throw new ValidationError(message, issues);
}
