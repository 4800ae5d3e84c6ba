import type { Route } from '../../routing/route';
import { assetRoutes } from './assets';
import { bundleRoutes } from './bundles';
import { catalogAsCodeRoutes } from './catalog-as-code';
import { couponRoutes } from './coupons';
import { metricRoutes } from './metrics';
import { planRoutes } from './plans';
import { priceOverrideRoutes } from './price-overrides';
import { productRoutes } from './products';

export const catalogRoutes: readonly Route[] = [
  ...productRoutes,
  ...metricRoutes,
  ...planRoutes,
  ...bundleRoutes,
  ...couponRoutes,
  ...priceOverrideRoutes,
  ...assetRoutes,
  ...catalogAsCodeRoutes,
];
