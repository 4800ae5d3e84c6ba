import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  AccountStatus,
  Contact,
  InvoiceDeliveryMethod,
  PostalAddress,
  TaxExemption,
  TaxId,
} from '../../domain/accounts/account';

/** A provider's customer. Tenant data: under row-level security. */
@Entity({ name: 'accounts' })
export class Account {
  @PrimaryColumn('uuid') id!: string;
  @PrimaryColumn('uuid') tenantId!: string;
  /** The provider's own id for the customer; unique among the tenant's active accounts. */
  @Column('text', { nullable: true }) externalId!: string | null;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) legalName!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('char', { length: 3 }) currency!: string;
  @Column('text') timezone!: string;
  @Column('text') locale!: string;
  @Column('smallint') billingAnchorDay!: number;
  /** 0 means due on receipt. */
  @Column('integer') netTermsDays!: number;
  @Column('jsonb') taxIds!: TaxId[];
  @Column('text') taxExemption!: TaxExemption;
  @Column('jsonb', { nullable: true }) billingAddress!: PostalAddress | null;
  @Column('jsonb', { nullable: true }) serviceAddress!: PostalAddress | null;
  @Column('jsonb') contacts!: Contact[];
  @Column('text') invoiceDelivery!: InvoiceDeliveryMethod;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('uuid', { nullable: true }) parentId!: string | null;
  @Column('boolean') billToParent!: boolean;
  @Column('text') status!: AccountStatus;
  @Column('timestamptz', { nullable: true }) archivedAt!: Date | null;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  /** Incremented on every change; the audit log records it. */
  @Column('integer') version!: number;
}
