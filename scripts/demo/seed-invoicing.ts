import type { EntityManager } from 'typeorm';
import { Account } from '../../db/entities/account';
import { TaxRate } from '../../db/entities/invoicing/tax-rate';
import { Tenant } from '../../db/entities/tenant';
import type { ChangeContext } from '../../services/change-context';
import { createOneOffCharge } from '../../services/invoicing/one-off-charges';
import { createOneOffChargeSchema } from '../../services/invoicing/one-off-charge-schemas';
import { createOneOffInvoice } from '../../services/invoicing/one-off-charges';
import { createOneOffInvoiceSchema } from '../../services/invoicing/invoice-schemas';
import { createTaxRate } from '../../services/invoicing/tax-rates';
import { createTaxRateSchema } from '../../services/invoicing/tax-rate-schemas';

/**
 * The demo provider's invoicing: branding and remittance details on every
 * document, sales-tax rates for the customers' places (New York, Illinois,
 * German VAT for the reverse-charge customer), a remote-hands charge
 * waiting for Northwind's next invoice and a one-off hardware invoice for
 * Acme. The cycle invoices themselves come from the billing scheduler once
 * the worker runs: Northwind's cage has been billing since last month.
 * Seeded once per tenant (skipped when it has tax rates).
 */
const BRANDING = {
  display_name: 'Demo Colo',
  legal_name: 'Demo Colo Data Centers LLC',
  address: { line1: '60 Hudson Street, Suite 1402', city: 'New York', region: 'NY', postal_code: '10013', country: 'US' },
  email: 'billing@demo-colo.example',
  phone: '+1 212 555 0100',
  website: 'demo-colo.example',
  tax_ids: [{ type: 'us_ein' as const, value: '84-3127765' }],
  primary_color: '#12355b',
  accent_color: '#e8eef5',
  remittance: {
    bank_name: 'First Example Bank',
    account_name: 'Demo Colo Data Centers LLC',
    account_number: '000123456789',
    routing_number: '021000021',
    iban: null,
    swift_bic: 'FEXBUS33',
    check_address: { line1: 'PO Box 4410', city: 'New York', region: 'NY', postal_code: '10008', country: 'US' },
    instructions: 'Quote the invoice number with every payment.',
  },
  footer: 'Demo Colo Data Centers LLC · Balances unpaid 30 days after the due date accrue 1.5 % per month.',
};

const RATES = [
  { name: 'NY sales tax', country: 'US', region: 'NY', percentage: '8.875' },
  { name: 'IL sales tax', country: 'US', region: 'IL', percentage: '10.25' },
  { name: 'DE VAT', country: 'DE', percentage: '19' },
];

export async function seedDemoInvoicing(tx: EntityManager, ctx: ChangeContext): Promise<boolean> {
  if ((await tx.countBy(TaxRate, { tenantId: ctx.tenantId })) > 0) return false;
  const tenant = await tx.findOneByOrFail(Tenant, { id: ctx.tenantId });
  if (Object.keys(tenant.branding).length === 0) {
    await tx.update(Tenant, { id: ctx.tenantId }, { branding: BRANDING, updatedAt: ctx.now });
  }
  const validFrom = new Date(Date.UTC(ctx.now.getUTCFullYear() - 1, 0, 1)).toISOString();
  for (const rate of RATES) await createTaxRate(tx, ctx, createTaxRateSchema.parse({ ...rate, valid_from: validFrom }));

  const cage = await tx.findOneBy(Account, { tenantId: ctx.tenantId, externalId: 'CUST-1001-EWR' });
  if (cage) {
    await createOneOffCharge(tx, ctx, createOneOffChargeSchema.parse({
      account_id: cage.id, description: 'Remote hands, after hours: reseat optics on EWR1-CAB-0412 (ticket RH-2291)',
      quantity: '1.5', unit_price: '180.00', product_code: 'remote-hands',
    }));
  }
  const acme = await tx.findOneBy(Account, { tenantId: ctx.tenantId, externalId: 'CUST-1002' });
  if (acme) {
    await createOneOffInvoice(tx, ctx, createOneOffInvoiceSchema.parse({
      account_id: acme.id, po_number: 'PO-ACME-7731', memo: 'Hardware for the CHI1 expansion, delivered and installed.',
      items: [
        { description: '1U PDU, 208 V 30 A, metered', quantity: '2', unit_price: '640.00' },
        { description: 'Installation and cabling', quantity: '3', unit_price: '150.00', product_code: 'remote-hands' },
      ],
      finalize: true,
    }));
  }
  return true;
}
