import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Account } from './entities/account';
import { ApiKey } from './entities/api-key';
import { AuditEntry } from './entities/audit-entry';
import { IdempotencyRecord } from './entities/idempotency-record';
import { OutboxEvent } from './entities/outbox-event';
import { Tenant } from './entities/tenant';
import { Foundation1764072000001 } from './migrations/0001-foundation';
import { SnakeNamingStrategy } from './naming-strategy';

export const ENTITIES = [Tenant, ApiKey, Account, AuditEntry, OutboxEvent, IdempotencyRecord];

/** In order; each is additive. A test keeps db/schema.sql equal to their result. */
export const MIGRATIONS = [Foundation1764072000001];

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
