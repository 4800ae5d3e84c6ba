import type { EntityManager } from 'typeorm';

/**
 * Gapless document numbers per tenant and kind (invoices, credit notes).
 * The counter is one row updated in the caller's transaction: the row lock
 * makes concurrent finalisations of one tenant take turns, and a rollback
 * returns the number, so every number from 1 up is used exactly once. Call
 * it as the last step before commit to keep the lock short.
 */
export type DocumentKind = 'invoice' | 'credit_note';

export interface DocumentNumber {
  /** Prefix + zero-padded value, e.g. "INV-000042". */
  number: string;
  value: string;
}

const PAD = 6;

export async function nextDocumentNumber(tx: EntityManager, tenantId: string, kind: DocumentKind): Promise<DocumentNumber> {
  await tx.query(
    `INSERT INTO document_number_sequences (tenant_id, kind, next_value) VALUES ($1, $2, 1)
     ON CONFLICT (tenant_id, kind) DO NOTHING`,
    [tenantId, kind],
  );
  const rows = (await tx.query(
    `UPDATE document_number_sequences SET next_value = next_value + 1
      WHERE tenant_id = $1 AND kind = $2
      RETURNING (next_value - 1)::text AS value`,
    [tenantId, kind],
  )) as [Array<{ value: string }>, number];
  const value = rows[0][0]!.value;
  const prefixColumn = kind === 'invoice' ? 'invoice_number_prefix' : 'credit_note_number_prefix';
  const [tenant] = (await tx.query(`SELECT ${prefixColumn} AS prefix FROM tenants WHERE id = $1`, [tenantId])) as Array<{ prefix: string }>;
  return { number: `${tenant!.prefix}${value.padStart(PAD, '0')}`, value };
}
