import { z } from 'zod';
import { PLAN_KINDS } from '../../../domain/catalog/plan-definition';
import type { Plan } from '../../../db/entities/catalog/plan';
import type { PlanVersion } from '../../../db/entities/catalog/plan-version';
import { uuid } from '../../../lib/schema-primitives';
import { createPlanSchema, planSchema, planVersionSchema, publishPlanVersionSchema, updatePlanSchema } from '../../../services/catalog/plan-schemas';
import {
  archivePlan,
  createPlan,
  getPlan,
  getPlanVersion,
  listPlans,
  listPlanVersions,
  planRepresentation,
  planVersionRepresentation,
  publishPlanVersion,
  updatePlan,
} from '../../../services/catalog/plans';
import { previewPlan } from '../../../services/catalog/plan-preview';
import { planPreviewSchema, previewPlanSchema } from '../../../services/catalog/preview-schemas';
import { listBody, listQueryFields, listSchema, pageRequest } from '../../routing/pagination';
import { tenantRoute } from '../../routing/route';
import { catalogListQuery, created, idParams } from './shared';

const tags = ['Catalog: plans and add-ons'];
const represent = ({ plan, current }: { plan: Plan; current: PlanVersion }) => planRepresentation(plan, current);

export const planRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/plans', operationId: 'createPlan', summary: 'Create a plan or add-on', tags,
    description: 'Creates the plan with its first version. `kind: addon` makes an add-on.',
    auth: 'tenant', permission: 'write', body: createPlanSchema,
    success: { status: 201, description: 'The plan and its current version', schema: planSchema }, errors: ['code_taken', 'invalid_catalog'],
    async handler({ tx, change, body }) {
      const result = await createPlan(tx, change, body);
      return created('/v1/plans', result.plan.id, represent(result));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/plans', operationId: 'listPlans', summary: 'List plans and add-ons', tags,
    auth: 'tenant', permission: 'read', query: catalogListQuery.extend({ kind: z.enum(PLAN_KINDS).optional() }),
    success: { status: 200, description: 'A page of plans', schema: listSchema(planSchema, 'PlanList') },
    async handler({ tx, tenantId, query }) {
      const page = await listPlans(tx, tenantId, { kind: query.kind, status: query.status }, pageRequest(query));
      return { status: 200, body: listBody(page, represent) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/plans/{id}', operationId: 'getPlan', summary: 'Retrieve a plan with its current version', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The plan', schema: planSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: represent(await getPlan(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'patch', path: '/v1/plans/{id}', operationId: 'updatePlan', summary: "Rename a plan", tags,
    auth: 'tenant', permission: 'write', params: idParams, body: updatePlanSchema,
    success: { status: 200, description: 'The plan', schema: planSchema }, errors: ['catalog_item_archived'],
    async handler({ tx, change, params, body }) {
      return { status: 200, body: represent(await updatePlan(tx, change, params.id, body)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/plans/{id}/archive', operationId: 'archivePlan', summary: 'Archive a plan', tags,
    description: 'No new subscriptions; running ones keep their version.',
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The plan', schema: planSchema },
    async handler({ tx, change, params }) {
      return { status: 200, body: represent(await archivePlan(tx, change, params.id)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/plans/{id}/versions', operationId: 'publishPlanVersion', summary: 'Publish a new plan version', tags,
    description:
      'Makes the definition the current version for new subscriptions; running subscriptions keep theirs (grandfathering) ' +
      'until migrated. An identical definition publishes nothing and answers 200 with the current version.',
    auth: 'tenant', permission: 'write', params: idParams, body: publishPlanVersionSchema,
    success: {
      status: 201,
      description: 'The new version',
      schema: planVersionSchema,
      otherStatuses: [{ status: 200, description: 'The definition equals the current version: nothing was published' }],
    },
    errors: ['invalid_catalog', 'catalog_item_archived'],
    async handler({ tx, change, params, body }) {
      const { plan, version, published } = await publishPlanVersion(tx, change, params.id, body.definition);
      const representation = planVersionRepresentation(plan, version);
      return published
        ? { status: 201, body: representation, headers: { Location: `/v1/plans/${plan.id}/versions/${version.version}` } }
        : { status: 200, body: representation };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/plans/{id}/versions', operationId: 'listPlanVersions', summary: "List a plan's versions", tags,
    auth: 'tenant', permission: 'read', params: idParams, query: z.strictObject(listQueryFields),
    success: { status: 200, description: 'Newest first', schema: listSchema(planVersionSchema, 'PlanVersionList') },
    async handler({ tx, tenantId, params, query }) {
      const { plan } = await getPlan(tx, tenantId, params.id);
      const page = await listPlanVersions(tx, tenantId, plan, pageRequest(query));
      return { status: 200, body: listBody(page, (v) => planVersionRepresentation(plan, v)) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/plans/{id}/versions/{version}', operationId: 'getPlanVersion', summary: 'Retrieve a plan version', tags,
    description: 'Old versions stay readable forever.',
    auth: 'tenant', permission: 'read', params: z.strictObject({ id: uuid, version: z.coerce.number().int().min(1) }),
    success: { status: 200, description: 'The version', schema: planVersionSchema },
    async handler({ tx, tenantId, params }) {
      const { plan } = await getPlan(tx, tenantId, params.id);
      return { status: 200, body: planVersionRepresentation(plan, await getPlanVersion(tx, tenantId, plan, params.version)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/plans/{id}/preview', operationId: 'previewPlan', summary: 'Price usage on a plan version', tags,
    description:
      'Rates the given quantities, samples or readings on a plan version (the current one by default), for a currency ' +
      "or for an account (its currency, time zone and active price overrides), and returns each charge's amount with its " +
      'breakdown. Nothing is stored.',
    auth: 'tenant', permission: 'read', params: idParams, body: previewPlanSchema,
    success: { status: 200, description: 'The priced charges', schema: planPreviewSchema },
    async handler({ tx, tenantId, params, body, now }) {
      return { status: 200, body: await previewPlan(tx, tenantId, params.id, body, now) };
    },
  }),
];
