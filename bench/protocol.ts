/**
 * Messages between the load generator (bench/run.ts) and the process hosting
 * the servers (bench/server.ts), sent over the fork IPC channel.
 */

/** Everything the load generator needs to aim at both servers. */
export interface BenchTargets {
  rackrateUrl: string;
  baselineUrl: string;
  /** Admin API key of the seeded tenant. */
  apiKey: string;
  /** The seeded account that the GET benchmark reads. */
  accountId: string;
  /** `SHOW server_version` of the embedded PostgreSQL. */
  postgresVersion: string;
}

export type ServerMessage = { type: 'ready'; targets: BenchTargets } | { type: 'failed'; error: string };

export type ParentMessage = { type: 'stop' };

/** The server process reads its data directory from this variable; the parent owns the directory. */
export const DATA_DIR_ENV = 'BENCH_DATA_DIR';
