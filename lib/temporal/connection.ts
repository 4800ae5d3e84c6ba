import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';

/** Where Temporal is: TEMPORAL_ADDRESS, or the local dev server `npm start` runs. */
export function temporalAddress(config: Config): string {
  return config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`;
}

export async function connectClient(config: Config): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address: temporalAddress(config), connectTimeout: '5s' });
  return { client: new Client({ connection, namespace: config.temporalNamespace }), connection };
}

/**
 * A lazily opened connection for readiness checks: the API serves requests
 * that do not need Temporal even while Temporal is down or still starting.
 */
export function temporalProbe(config: Config) {
  let connection: Connection | undefined;
  return {
    name: 'temporal',
    async check(): Promise<void> {
      if (connection === undefined) {
        connection = await Connection.connect({ address: temporalAddress(config), connectTimeout: '2s' });
      }
      try {
        await connection.withDeadline(Date.now() + 2000, () =>
          connection!.workflowService.describeNamespace({ namespace: config.temporalNamespace }),
        );
      } catch (error) {
        await connection.close().catch(() => undefined);
        connection = undefined;
        throw error;
      }
    },
    async close(): Promise<void> {
      await connection?.close();
    },
  };
}

export interface TemporalClientProvider {
  /** Connects on first use, so processes that never need Temporal never connect. */
  client(): Promise<Client>;
  close(): Promise<void>;
}

export function lazyTemporalClient(config: Config): TemporalClientProvider {
  let connecting: Promise<{ client: Client; connection: Connection }> | undefined;
  return {
    async client() {
      connecting ??= connectClient(config).catch((error: unknown) => {
        connecting = undefined;
        throw error;
      });
      return (await connecting).client;
    },
    async close() {
      if (connecting) await (await connecting.catch(() => undefined))?.connection.close();
    },
  };
}

/** A provider around a client someone else owns (tests, the bench). */
export function fixedTemporalClient(client: Client): TemporalClientProvider {
  return { client: async () => client, close: async () => undefined };
}
