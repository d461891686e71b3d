import type { ModelRegistry } from '../domain/models/registry.ts';
import { builder } from './builder.ts';
import { difyEnum } from './enums.ts';

export const MODEL_TYPES = ['text-embedding', 'rerank', 'llm', 'tts', 'speech2text', 'moderation'] as const;

interface ModelInfo {
  model: string;
  modelType: string;
  dimension: number | null;
}

interface ProviderModels {
  provider: string;
  models: ModelInfo[];
}

/** The configured models of one type, grouped by provider (Dify's model-types listing). */
export function modelsOfType(registry: ModelRegistry, modelType: string): ProviderModels[] {
  const list: Array<{ provider: string; model: string; dimension: number | null }> =
    modelType === 'text-embedding'
      ? registry.embedding.map((m) => ({ ...m, dimension: m.dimension || null }))
      : modelType === 'rerank'
        ? registry.rerank.map((m) => ({ ...m, dimension: null }))
        : [];
  const byProvider = new Map<string, ModelInfo[]>();
  for (const m of list) {
    const models = byProvider.get(m.provider) ?? [];
    models.push({ model: m.model, modelType, dimension: m.dimension });
    byProvider.set(m.provider, models);
  }
  return [...byProvider].map(([provider, models]) => ({ provider, models }));
}

const ModelType = difyEnum('ModelType', MODEL_TYPES, 'A kind of model.');

const ModelInfoRef = builder.objectRef<ModelInfo>('ModelInfo').implement({
  description: 'A configured model.',
  fields: (t) => ({
    model: t.exposeString('model'),
    modelType: t.field({ type: ModelType, resolve: (m) => m.modelType as never }),
    dimension: t.exposeInt('dimension', { nullable: true, description: 'Embedding models: vector size, when known.' }),
  }),
});

const ProviderModelsRef = builder.objectRef<ProviderModels>('ProviderModels').implement({
  description: 'The configured models of one provider.',
  fields: (t) => ({
    provider: t.exposeString('provider'),
    models: t.field({ type: [ModelInfoRef], resolve: (p) => p.models }),
  }),
});

builder.queryField('models', (t) =>
  t.field({
    type: [ProviderModelsRef],
    description: 'Configured models of a type, by provider (only TEXT_EMBEDDING and RERANK models are configurable here).',
    args: { modelType: t.arg({ type: ModelType, required: true, description: 'The kind of model.' }) },
    resolve: (_r, args, ctx) => modelsOfType(ctx.models, args.modelType),
  }),
);
