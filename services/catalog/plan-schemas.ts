import { z } from 'zod';
import { PLAN_KINDS, planDefinitionSchema } from '../../domain/catalog/plan-definition';
import { CATALOG_STATUSES, catalogCode } from '../../domain/catalog/status';
import { text, timestamp, uuid } from '../../lib/schema-primitives';
import { metadataSchema } from '../accounts/account-schemas';

export const createPlanSchema = z
  .strictObject({
    code: catalogCode.meta({ example: 'colo-quarter-cabinet' }),
    kind: z.enum(PLAN_KINDS).default('plan').meta({ description: '`addon` for add-ons (extra items on a subscription).' }),
    name: text(200),
    description: text(1000).nullish(),
    metadata: metadataSchema.optional(),
    definition: planDefinitionSchema,
  })
  .meta({ id: 'CreatePlan' });
export type CreatePlanInput = z.output<typeof createPlanSchema>;

export const updatePlanSchema = z
  .strictObject({ name: text(200).optional(), description: text(1000).nullish(), metadata: metadataSchema.optional() })
  .meta({ id: 'UpdatePlan', description: 'Name and description only: what a plan charges changes by publishing a version.' });
export type UpdatePlanInput = z.output<typeof updatePlanSchema>;

export const publishPlanVersionSchema = z.strictObject({ definition: planDefinitionSchema }).meta({ id: 'PublishPlanVersion' });

const definitionOut = z.record(z.string(), z.unknown()).meta({ description: 'The PlanDefinition as stored: defaults filled in, decimals as strings.' });

export const planSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('plan'),
    code: z.string(),
    kind: z.enum(PLAN_KINDS),
    name: z.string(),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    status: z.enum(CATALOG_STATUSES),
    current_version: z.int().meta({ description: 'The version new subscriptions get.' }),
    definition: definitionOut,
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Plan' });

export const planVersionSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('plan_version'),
    plan_id: uuid,
    plan_code: z.string(),
    version: z.int(),
    current: z.boolean(),
    definition: definitionOut,
    created_at: timestamp,
  })
  .meta({ id: 'PlanVersion' });
