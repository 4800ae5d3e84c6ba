import { accountRoutes } from './accounts';
import { apiKeyRoutes } from './api-keys';
import { auditLogRoutes } from './audit-log';
import { catalogRoutes } from './catalog/index';
import { domainEventRoutes } from './domain-events';
import { eventRoutes } from './events';
import { offerRoutes } from './offers';
import { operationsRoutes } from './operations';
import { signupRoutes } from './signups';
import { subscriptionRoutes } from './subscriptions';
import { tenantRoutes } from './tenants';
import { usageRoutes } from './usage';
import { usageThresholdRoutes } from './usage-thresholds';
import { taxRateRoutes } from './tax-rates';
import { invoiceRoutes } from './invoices';
import { oneOffChargeRoutes } from './one-off-charges';
import { billRunRoutes } from './bill-runs';
import { creditBalanceRoutes, creditNoteRoutes, invoicePaymentRoutes } from './credit-notes';
import type { Route } from '../routing/route';

/** Every endpoint except the OpenAPI document and docs page (added by app.ts). */
export const resourceRoutes: readonly Route[] = [
  ...operationsRoutes,
  ...tenantRoutes,
  ...apiKeyRoutes,
  ...accountRoutes,
  ...catalogRoutes,
  ...subscriptionRoutes,
  ...offerRoutes,
  ...signupRoutes,
  ...auditLogRoutes,
  ...domainEventRoutes,
  ...eventRoutes,
  ...usageRoutes,
  ...usageThresholdRoutes,
  ...taxRateRoutes,
  ...invoiceRoutes,
  ...oneOffChargeRoutes,
  ...billRunRoutes,
  ...creditNoteRoutes,
  ...creditBalanceRoutes,
  ...invoicePaymentRoutes,
];
