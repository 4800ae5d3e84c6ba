/**
 * Messages between the metering benchmark (bench/metering/run-metering.ts,
 * the load-generating process) and the API process it forks
 * (bench/metering/api-server.ts), over the fork IPC channel.
 */
export type ApiServerMessage = { type: 'ready'; url: string; poolSize: number } | { type: 'failed'; error: string } | { type: 'cpu'; seconds: number };

export type ApiControlMessage = { type: 'stop' } | { type: 'cpu' };

/** The API process reads the application's database URL from this variable. */
export const DATABASE_URL_ENV = 'BENCH_METERING_DATABASE_URL';
