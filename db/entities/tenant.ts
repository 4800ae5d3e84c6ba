import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SellerDetails } from '../../domain/invoicing/invoice-document';

export type TenantBranding = Partial<Omit<SellerDetails, 'name'>> & { display_name?: string };

export type TenantStatus = 'active' | 'suspended';

/** A provider using Rackrate. Platform-level table: not under row-level security. */
@Entity({ name: 'tenants' })
export class Tenant {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  /** Unique, URL-safe handle (e.g. "demo"); used by the CLI and the demo seed. */
  @Column('text') slug!: string;
  @Column('text') status!: TenantStatus;
  /** How subscriptions created from now on prorate: by the second (Stripe) or by local calendar day (Kill Bill). */
  @Column('text') prorationUnit!: 'second' | 'day';
  /** How many days before a trial ends the trial_will_end event is emitted. */
  @Column('integer') trialEndingNoticeDays!: number;
  /** Prefixes of invoice and credit-note numbers ("INV-000042"). */
  @Column('text') invoiceNumberPrefix!: string;
  @Column('text') creditNoteNumberPrefix!: string;
  /** How long a cycle invoice stays a draft after its bill date (late usage still lands). */
  @Column('integer') invoiceGracePeriodHours!: number;
  /** Which tax provider computes tax (services/invoicing/tax-provider.ts). */
  @Column('text') taxProvider!: string;
  /** The seller block of every document: logo, colours, address, remittance (SellerDetails without the name). */
  @Column('jsonb') branding!: TenantBranding;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
}
