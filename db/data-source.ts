import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Account } from './entities/account';
import { ApiKey } from './entities/api-key';
import { AuditEntry } from './entities/audit-entry';
import { IdempotencyRecord } from './entities/idempotency-record';
import { OutboxEvent } from './entities/outbox-event';
import { Tenant } from './entities/tenant';
import { Asset } from './entities/catalog/asset';
import { AssetType } from './entities/catalog/asset-type';
import { BillableMetric } from './entities/catalog/billable-metric';
import { Bundle } from './entities/catalog/bundle';
import { Coupon } from './entities/catalog/coupon';
import { Plan } from './entities/catalog/plan';
import { PlanVersion } from './entities/catalog/plan-version';
import { PriceOverride } from './entities/catalog/price-override';
import { Product } from './entities/catalog/product';
import { PromotionCode } from './entities/catalog/promotion-code';
import { Foundation1764072000001 } from './migrations/0001-foundation';
import { Catalog1764072000002 } from './migrations/0002-catalog';
import { Subscriptions1764072000003 } from './migrations/0003-subscriptions';
import { Metering1764072000004 } from './migrations/0004-metering';
import { Invoicing1764072000005 } from './migrations/0005-invoicing';
import { CouponRedemption } from './entities/subscriptions/coupon-redemption';
import { PaymentMethod } from './entities/subscriptions/payment-method';
import { Subscription } from './entities/subscriptions/subscription';
import { SubscriptionCharge } from './entities/subscriptions/subscription-charge';
import { SubscriptionTransition } from './entities/subscriptions/subscription-transition';
import { UsageThreshold } from './entities/metering/usage-threshold';
import { TaxRate } from './entities/invoicing/tax-rate';
import { Invoice } from './entities/invoicing/invoice';
import { OneOffCharge } from './entities/invoicing/one-off-charge';
import { CreditNote, CreditNoteLine } from './entities/invoicing/credit-note';
import { CreditBalanceEntry } from './entities/invoicing/credit-balance-entry';
import { InvoicePayment } from './entities/invoicing/invoice-payment';
import { SnakeNamingStrategy } from './naming-strategy';

export const ENTITIES = [
  Tenant,
  ApiKey,
  Account,
  AuditEntry,
  OutboxEvent,
  IdempotencyRecord,
  Product,
  BillableMetric,
  Plan,
  PlanVersion,
  Bundle,
  Coupon,
  PromotionCode,
  PriceOverride,
  AssetType,
  Asset,
  PaymentMethod,
  Subscription,
  SubscriptionTransition,
  SubscriptionCharge,
  CouponRedemption,
  UsageThreshold,
  CreditNote,
  CreditNoteLine,
  CreditBalanceEntry,
  InvoicePayment,
  TaxRate,
  Invoice,
  OneOffCharge,
];

/** In order; each is additive. A test keeps db/schema.sql equal to their result. */
export const MIGRATIONS = [Foundation1764072000001, Catalog1764072000002, Subscriptions1764072000003, Metering1764072000004, Invoicing1764072000005];

export interface DataSourceOptions {
  url: string;
  /** Connections per process; the API and each worker hold their own pool. */
  poolSize?: number;
  applicationName?: string;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: false,
    applicationName: options.applicationName ?? 'rackrate',
    extra: {
      max: options.poolSize ?? 10,
      // A request must not wait forever for a connection or a lock.
      connectionTimeoutMillis: 10_000,
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
    },
  });
}

/** Initialises the data source and applies pending migrations; returns their names. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
