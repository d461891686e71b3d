import { RestModelsDocument } from '../../generated/graphql.ts';
import { MODEL_TYPES } from '../../graphql/models.ts';
import { invalidParam } from '../errors.ts';
import { runOperation } from '../execute.ts';
import { pathParam, type RestRouter } from '../router.ts';

const label = (text: string) => ({ en_US: text, zh_Hans: text });

export function modelRoutes(router: RestRouter) {
  router.route('/workspaces/current/models/model-types/:model_type', {
    GET: async (c) => {
      const modelType = pathParam(c, 'model_type');
      if (!(MODEL_TYPES as readonly string[]).includes(modelType)) {
        throw invalidParam(`Invalid model_type: ${modelType}. Must be one of ${MODEL_TYPES.join(', ')}`);
      }
      const data = await runOperation(c.var.gql, RestModelsDocument, { modelType });
      return c.json({
        data: data.models.map((p) => ({
          tenant_id: c.var.gql.viewer.workspaceId,
          provider: p.provider,
          label: label(p.provider),
          icon_small: label(''),
          icon_large: label(''),
          status: 'active',
          models: p.models.map((m) => ({
            model: m.model,
            label: label(m.model),
            model_type: m.modelType,
            features: null,
            fetch_from: 'predefined-model',
            model_properties: m.dimension ? { dimensions: m.dimension } : {},
            deprecated: false,
            status: 'active',
            load_balancing_enabled: false,
          })),
        })),
      });
    },
  });
}
