import { z } from 'zod';
import { text, uuid } from '../../../lib/schema-primitives';
import {
  couponSchema,
  createCouponSchema,
  createPromotionCodeSchema,
  promotionCodeSchema,
  updateCouponSchema,
} from '../../../services/catalog/coupon-schemas';
import { archiveCoupon, couponRepresentation, createCoupon, getCoupon, listCoupons, updateCoupon } from '../../../services/catalog/coupons';
import {
  createPromotionCode,
  deactivatePromotionCode,
  getPromotionCode,
  listPromotionCodes,
  promotionCodeRepresentation,
} from '../../../services/catalog/promotion-codes';
import { listBody, listQueryFields, listSchema, pageRequest } from '../../routing/pagination';
import { tenantRoute } from '../../routing/route';
import { catalogListQuery, created, idParams } from './shared';

const tags = ['Catalog: coupons and promotion codes'];

export const couponRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/coupons', operationId: 'createCoupon', summary: 'Create a coupon', tags,
    description: 'A percent or per-currency amount discount, once, for N periods or forever, optionally limited to plans or products.',
    auth: 'tenant', permission: 'write', body: createCouponSchema,
    success: { status: 201, description: 'The coupon', schema: couponSchema }, errors: ['code_taken', 'invalid_catalog'],
    async handler({ tx, change, body }) {
      const coupon = await createCoupon(tx, change, body);
      return created('/v1/coupons', coupon.id, couponRepresentation(coupon));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/coupons', operationId: 'listCoupons', summary: 'List coupons', tags,
    auth: 'tenant', permission: 'read', query: catalogListQuery,
    success: { status: 200, description: 'A page of coupons', schema: listSchema(couponSchema, 'CouponList') },
    async handler({ tx, tenantId, query }) {
      return { status: 200, body: listBody(await listCoupons(tx, tenantId, query.status, pageRequest(query)), couponRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/coupons/{id}', operationId: 'getCoupon', summary: 'Retrieve a coupon', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The coupon', schema: couponSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: couponRepresentation(await getCoupon(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'patch', path: '/v1/coupons/{id}', operationId: 'updateCoupon', summary: 'Update a coupon', tags,
    auth: 'tenant', permission: 'write', params: idParams, body: updateCouponSchema,
    success: { status: 200, description: 'The coupon', schema: couponSchema }, errors: ['catalog_item_archived'],
    async handler({ tx, change, params, body }) {
      return { status: 200, body: couponRepresentation(await updateCoupon(tx, change, params.id, body)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/coupons/{id}/archive', operationId: 'archiveCoupon', summary: 'Archive a coupon', tags,
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The coupon', schema: couponSchema },
    async handler({ tx, change, params }) {
      return { status: 200, body: couponRepresentation(await archiveCoupon(tx, change, params.id)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/promotion_codes', operationId: 'createPromotionCode', summary: 'Create a promotion code', tags,
    auth: 'tenant', permission: 'write', body: createPromotionCodeSchema,
    success: { status: 201, description: 'The promotion code', schema: promotionCodeSchema }, errors: ['code_taken', 'invalid_catalog'],
    async handler({ tx, change, body }) {
      const promotion = await createPromotionCode(tx, change, body);
      return created('/v1/promotion_codes', promotion.id, promotionCodeRepresentation(promotion));
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/promotion_codes', operationId: 'listPromotionCodes', summary: 'List promotion codes', tags,
    auth: 'tenant', permission: 'read',
    query: z.strictObject({ ...listQueryFields, code: text(40).optional(), coupon_id: uuid.optional() }),
    success: { status: 200, description: 'A page of promotion codes', schema: listSchema(promotionCodeSchema, 'PromotionCodeList') },
    async handler({ tx, tenantId, query }) {
      const page = await listPromotionCodes(tx, tenantId, { code: query.code, couponId: query.coupon_id }, pageRequest(query));
      return { status: 200, body: listBody(page, promotionCodeRepresentation) };
    },
  }),
  tenantRoute({
    method: 'get', path: '/v1/promotion_codes/{id}', operationId: 'getPromotionCode', summary: 'Retrieve a promotion code', tags,
    auth: 'tenant', permission: 'read', params: idParams,
    success: { status: 200, description: 'The promotion code', schema: promotionCodeSchema },
    async handler({ tx, tenantId, params }) {
      return { status: 200, body: promotionCodeRepresentation(await getPromotionCode(tx, tenantId, params.id)) };
    },
  }),
  tenantRoute({
    method: 'post', path: '/v1/promotion_codes/{id}/deactivate', operationId: 'deactivatePromotionCode', summary: 'Deactivate a promotion code', tags,
    auth: 'tenant', permission: 'write', params: idParams,
    success: { status: 200, description: 'The promotion code', schema: promotionCodeSchema },
    async handler({ tx, change, params }) {
      return { status: 200, body: promotionCodeRepresentation(await deactivatePromotionCode(tx, change, params.id)) };
    },
  }),
];
