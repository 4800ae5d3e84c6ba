import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invoicing (docs/invoicing.md).
 *
 * - Tenant settings: number prefixes, the draft grace period, the tax
 *   provider, branding for documents.
 * - `document_number_sequences`: one counter row per tenant and document
 *   kind. Finalisation takes the next value with an UPDATE in its own
 *   transaction, so the row lock serialises finalisations of a tenant and a
 *   rollback gives the number back: numbers are gapless (a PostgreSQL
 *   SEQUENCE is not: it never rolls back).
 * - `invoices` and `invoice_lines`: a draft is rebuilt freely; from
 *   finalisation on, a trigger refuses any change to what the invoice says
 *   (lines, amounts, customer, number) and allows only the payment status
 *   to move.
 * - `one_off_charges`: charges created through the API (remote hands, setup
 *   fees, hardware) waiting for the account's next invoice, or put on a
 *   one-off invoice.
 * - `tax_rates`: rates by jurisdiction and product tax code with validity
 *   periods; overlaps are refused by the service under a per-tenant lock.
 * - `credit_notes` and their lines, `credit_balance_entries` (the account's
 *   credit ledger: credit notes to balance, prepaid credits, negative
 *   invoices; applied to invoices at finalisation), `invoice_payments`
 *   (payments recorded against an invoice: check, ACH, wire).
 * - `invoice_documents`: what a finalised document's renderings need kept:
 *   the samples behind its bandwidth graphs as they were at first render (so
 *   a late sample never redraws an issued invoice) and the rendered PDF.
 * - `subscription_charges.details`: the rating breakdown a usage line
 *   carries to the invoice (tiers, 95th-percentile facts).
 */
const TENANT_TABLES = [
  'document_number_sequences',
  'invoices',
  'invoice_lines',
  'one_off_charges',
  'tax_rates',
  'credit_notes',
  'credit_note_lines',
  'credit_balance_entries',
  'invoice_payments',
  'invoice_documents',
];

const MONEY = 'numeric NOT NULL';

export class Invoicing1764072000005 implements MigrationInterface {
  name = 'Invoicing1764072000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants
      ADD COLUMN invoice_number_prefix text NOT NULL DEFAULT 'INV-' CHECK (invoice_number_prefix ~ '^[A-Za-z0-9/_.-]{0,20}$'),
      ADD COLUMN credit_note_number_prefix text NOT NULL DEFAULT 'CN-' CHECK (credit_note_number_prefix ~ '^[A-Za-z0-9/_.-]{0,20}$'),
      ADD COLUMN invoice_grace_period_hours integer NOT NULL DEFAULT 24 CHECK (invoice_grace_period_hours BETWEEN 0 AND 168),
      ADD COLUMN tax_provider text NOT NULL DEFAULT 'rate_table',
      ADD COLUMN branding jsonb NOT NULL DEFAULT '{}'::jsonb`);

    await q.query(`ALTER TABLE subscription_charges ADD COLUMN details jsonb`);
    // Charges waiting for an invoice, by the account whose service they are (the billing account is resolved at bill time).
    await q.query(`CREATE INDEX subscription_charges_pending_account_idx ON subscription_charges (tenant_id, account_id, period_start) WHERE invoice_id IS NULL`);
    // The charges on an invoice (a draft's refresh, its usage re-rating, finalisation).
    await q.query(`CREATE INDEX subscription_charges_invoice_idx ON subscription_charges (tenant_id, invoice_id) WHERE invoice_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE document_number_sequences (
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        kind text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
        next_value bigint NOT NULL CHECK (next_value >= 1),
        PRIMARY KEY (tenant_id, kind)
      )`);

    await q.query(`
      CREATE TABLE invoices (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL,
        account_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('cycle', 'one_off')),
        -- A cycle invoice's identity: the bill date it closes. Unique per billing account, so a retried bill run finds it.
        cycle_key text,
        number text, sequence_value bigint,
        status text NOT NULL CHECK (status IN ('draft', 'open', 'partially_paid', 'paid', 'void', 'uncollectible')),
        currency char(3) NOT NULL,
        period_start timestamptz, period_end timestamptz,
        bill_date timestamptz NOT NULL,
        grace_ends_at timestamptz,
        auto_finalize boolean NOT NULL,
        issued_at timestamptz, due_at timestamptz,
        net_terms_days integer NOT NULL CHECK (net_terms_days BETWEEN 0 AND 365),
        po_number text CHECK (length(po_number) <= 100),
        memo text CHECK (length(memo) <= 2000),
        subtotal ${MONEY}, discount_total ${MONEY}, tax_total ${MONEY}, tax_included ${MONEY}, total ${MONEY},
        credit_applied ${MONEY}, amount_due ${MONEY}, amount_paid ${MONEY}, amount_remaining ${MONEY}, credited_total ${MONEY},
        document jsonb NOT NULL,
        revision integer NOT NULL CHECK (revision >= 1),
        paid_at timestamptz, voided_at timestamptz, marked_uncollectible_at timestamptz,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
        CHECK ((status = 'draft') = (number IS NULL)),
        CHECK ((number IS NULL) = (sequence_value IS NULL)),
        CHECK ((kind = 'cycle') = (cycle_key IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX invoices_cycle_key ON invoices (tenant_id, account_id, cycle_key) WHERE cycle_key IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX invoices_number_key ON invoices (tenant_id, number) WHERE number IS NOT NULL`);
    await q.query(`CREATE INDEX invoices_account_idx ON invoices (tenant_id, account_id, bill_date DESC, id)`);
    await q.query(`CREATE INDEX invoices_due_drafts_idx ON invoices (tenant_id, grace_ends_at) WHERE status = 'draft' AND auto_finalize`);

    await q.query(`
      CREATE TABLE invoice_lines (
        tenant_id uuid NOT NULL, invoice_id uuid NOT NULL, line_key text NOT NULL,
        position integer NOT NULL,
        account_id uuid NOT NULL, subscription_id uuid,
        kind text NOT NULL,
        subscription_charge_id uuid, one_off_charge_id uuid,
        product_code text, description text NOT NULL,
        period_start timestamptz, period_end timestamptz,
        quantity numeric, unit_price numeric, amount ${MONEY}, tax_amount ${MONEY},
        line jsonb NOT NULL,
        PRIMARY KEY (tenant_id, invoice_id, line_key),
        FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) ON DELETE CASCADE
      )`);
    // A charge is on at most one invoice: the charge row's invoice_id says which, and these say it from the line's side.
    await q.query(`CREATE UNIQUE INDEX invoice_lines_subscription_charge_key ON invoice_lines (tenant_id, subscription_charge_id) WHERE subscription_charge_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX invoice_lines_one_off_charge_key ON invoice_lines (tenant_id, one_off_charge_id) WHERE one_off_charge_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE one_off_charges (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL,
        account_id uuid NOT NULL, currency char(3) NOT NULL,
        product_code text, tax_code text, description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
        quantity numeric NOT NULL CHECK (quantity > 0), unit_price numeric NOT NULL, amount ${MONEY},
        service_date timestamptz NOT NULL,
        invoice_id uuid, metadata jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX one_off_charges_pending_idx ON one_off_charges (tenant_id, account_id, service_date) WHERE invoice_id IS NULL`);
    await q.query(`CREATE INDEX one_off_charges_invoice_idx ON one_off_charges (tenant_id, invoice_id) WHERE invoice_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE tax_rates (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        country char(2) NOT NULL, region text CHECK (length(region) BETWEEN 1 AND 50),
        tax_code text CHECK (length(tax_code) BETWEEN 1 AND 100),
        percentage numeric NOT NULL CHECK (percentage >= 0 AND percentage <= 100),
        inclusive boolean NOT NULL,
        valid_from timestamptz NOT NULL, valid_to timestamptz,
        description text, metadata jsonb NOT NULL,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, version integer NOT NULL,
        PRIMARY KEY (tenant_id, id),
        CHECK (valid_to IS NULL OR valid_to > valid_from)
      )`);
    await q.query(`CREATE INDEX tax_rates_place_idx ON tax_rates (tenant_id, country, region)`);

    await q.query(`
      CREATE TABLE credit_notes (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL,
        invoice_id uuid NOT NULL, account_id uuid NOT NULL,
        number text NOT NULL, sequence_value bigint NOT NULL,
        currency char(3) NOT NULL,
        reason text NOT NULL CHECK (reason IN ('duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory', 'service_credit', 'billing_error', 'other')),
        outcome text NOT NULL CHECK (outcome IN ('refund', 'credit_balance')),
        memo text CHECK (length(memo) <= 2000),
        subtotal ${MONEY}, tax_total ${MONEY}, total ${MONEY},
        -- How the total was used: first against what the invoice still owed, the rest refunded or put on the credit balance.
        applied_to_invoice ${MONEY}, refund_amount ${MONEY}, credit_balance_amount ${MONEY},
        status text NOT NULL CHECK (status IN ('issued', 'void')),
        document jsonb NOT NULL,
        issued_at timestamptz NOT NULL, voided_at timestamptz,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, number),
        FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
        CHECK (total > 0),
        CHECK (applied_to_invoice + refund_amount + credit_balance_amount = total)
      )`);
    await q.query(`CREATE INDEX credit_notes_invoice_idx ON credit_notes (tenant_id, invoice_id)`);

    await q.query(`
      CREATE TABLE credit_note_lines (
        tenant_id uuid NOT NULL, credit_note_id uuid NOT NULL, invoice_id uuid NOT NULL, invoice_line_key text NOT NULL,
        amount ${MONEY} CHECK (amount >= 0), tax_amount ${MONEY},
        PRIMARY KEY (tenant_id, credit_note_id, invoice_line_key),
        FOREIGN KEY (tenant_id, credit_note_id) REFERENCES credit_notes (tenant_id, id),
        FOREIGN KEY (tenant_id, invoice_id, invoice_line_key) REFERENCES invoice_lines (tenant_id, invoice_id, line_key)
      )`);

    // Positive entries add credit, negative ones use it; entry_key makes each movement happen once.
    await q.query(`
      CREATE TABLE credit_balance_entries (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL,
        account_id uuid NOT NULL, currency char(3) NOT NULL,
        entry_key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('credit_note', 'invoice_applied', 'invoice_void_restored', 'negative_invoice', 'prepaid', 'adjustment')),
        amount numeric NOT NULL CHECK (amount <> 0),
        invoice_id uuid, credit_note_id uuid,
        description text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, entry_key),
        FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX credit_balance_entries_account_idx ON credit_balance_entries (tenant_id, account_id, currency)`);

    await q.query(`
      CREATE TABLE invoice_payments (
        tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL,
        invoice_id uuid NOT NULL, account_id uuid NOT NULL,
        method text NOT NULL CHECK (method IN ('check', 'ach', 'wire', 'card', 'cash', 'other')),
        reference text CHECK (length(reference) <= 200),
        amount numeric NOT NULL CHECK (amount > 0), currency char(3) NOT NULL,
        received_at timestamptz NOT NULL, created_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX invoice_payments_invoice_idx ON invoice_payments (tenant_id, invoice_id)`);

    await q.query(`
      CREATE TABLE invoice_documents (
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        document_type text NOT NULL CHECK (document_type IN ('invoice', 'credit_note')),
        document_id uuid NOT NULL,
        format text NOT NULL CHECK (format IN ('pdf', 'graphs')),
        -- What the rendering showed besides the frozen content (status and payment figures); a PDF is rendered again when it moves.
        variant text NOT NULL DEFAULT '',
        content bytea NOT NULL, sha256 text NOT NULL,
        rendered_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, document_type, document_id, format)
      )`);

    // What a finalised invoice says never changes: every column except its
    // status, the payment figures, the credited total and their dates is
    // compared (a list of frozen columns would miss the next one added).
    await q.query(`
      CREATE FUNCTION rackrate_invoice_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE movable text[] := ARRAY['status', 'amount_paid', 'amount_remaining', 'credited_total', 'paid_at', 'voided_at',
                                      'marked_uncollectible_at', 'updated_at'];
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'finalised invoice % cannot be deleted', OLD.id USING ERRCODE = 'restrict_violation';
          END IF;
          RETURN OLD;
        END IF;
        IF OLD.status <> 'draft' AND (to_jsonb(NEW) - movable) IS DISTINCT FROM (to_jsonb(OLD) - movable) THEN
          RAISE EXCEPTION 'finalised invoice % is immutable', OLD.id USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.status = 'void' AND NEW.status <> OLD.status THEN
          RAISE EXCEPTION 'void invoice % cannot change status', OLD.id USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER invoices_frozen BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION rackrate_invoice_frozen()`);
    // A line belongs to its invoice for good once that invoice is finalised: no change, no move in or out.
    await q.query(`
      CREATE FUNCTION rackrate_invoice_line_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
             SELECT 1 FROM invoices WHERE tenant_id = OLD.tenant_id AND id = OLD.invoice_id AND status <> 'draft') THEN
          RAISE EXCEPTION 'lines of finalised invoice % are immutable', OLD.invoice_id USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
             SELECT 1 FROM invoices WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id AND status <> 'draft') THEN
          RAISE EXCEPTION 'lines of finalised invoice % are immutable', NEW.invoice_id USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN COALESCE(NEW, OLD);
      END $$`);
    await q.query(`CREATE TRIGGER invoice_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines FOR EACH ROW EXECUTE FUNCTION rackrate_invoice_line_frozen()`);
    // A charge on a finalised invoice keeps its amount and its invoice (re-rating a draft updates only its own charges).
    await q.query(`
      CREATE FUNCTION rackrate_invoiced_charge_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.invoice_id IS NOT NULL AND (to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) OR TG_OP = 'DELETE') AND EXISTS (
             SELECT 1 FROM invoices WHERE tenant_id = OLD.tenant_id AND id = OLD.invoice_id AND status <> 'draft') THEN
          RAISE EXCEPTION '% % is on finalised invoice % and cannot change', TG_TABLE_NAME, OLD.id, OLD.invoice_id USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN COALESCE(NEW, OLD);
      END $$`);
    await q.query(`CREATE TRIGGER subscription_charges_invoiced_frozen BEFORE UPDATE OR DELETE ON subscription_charges FOR EACH ROW EXECUTE FUNCTION rackrate_invoiced_charge_frozen()`);
    await q.query(`CREATE TRIGGER one_off_charges_invoiced_frozen BEFORE UPDATE OR DELETE ON one_off_charges FOR EACH ROW EXECUTE FUNCTION rackrate_invoiced_charge_frozen()`);

    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = rackrate_current_tenant())
          WITH CHECK (tenant_id = rackrate_current_tenant())`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER subscription_charges_invoiced_frozen ON subscription_charges`);
    for (const table of [...TENANT_TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
    await q.query(`DROP FUNCTION rackrate_invoiced_charge_frozen()`);
    await q.query(`DROP FUNCTION rackrate_invoice_line_frozen()`);
    await q.query(`DROP FUNCTION rackrate_invoice_frozen()`);
    await q.query(`DROP INDEX subscription_charges_invoice_idx`);
    await q.query(`DROP INDEX subscription_charges_pending_account_idx`);
    await q.query(`ALTER TABLE subscription_charges DROP COLUMN details`);
    await q.query(`ALTER TABLE tenants DROP COLUMN invoice_number_prefix, DROP COLUMN credit_note_number_prefix,
      DROP COLUMN invoice_grace_period_hours, DROP COLUMN tax_provider, DROP COLUMN branding`);
  }
}
