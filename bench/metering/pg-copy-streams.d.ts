/**
 * The part of pg-copy-streams 7 the metering benchmark uses (the package
 * ships no typings): `from(sql)` is a Writable handed to `client.query`;
 * rows written to it go to `COPY … FROM STDIN`, and `rowCount` holds how
 * many PostgreSQL stored once the stream has finished.
 */
declare module 'pg-copy-streams' {
  import type { Writable } from 'node:stream';
  import type { Submittable } from 'pg';

  interface CopyStreamQuery extends Writable, Submittable {
    rowCount: number;
  }

  export function from(sql: string): CopyStreamQuery;
}
