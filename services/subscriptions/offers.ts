import { In, MoreThanOrEqual, Not, type EntityManager } from 'typeorm';
import { Account } from '../../db/entities/account';
import { Plan } from '../../db/entities/catalog/plan';
import { PlanVersion } from '../../db/entities/catalog/plan-version';
import { PriceOverride } from '../../db/entities/catalog/price-override';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { SubscriptionCharge } from '../../db/entities/subscriptions/subscription-charge';
import { Decimal } from '../../domain/money/decimal';
import { minorUnitsOf } from '../../domain/money/money';
import { INTERVAL_MONTHS } from '../../domain/periods/billing-cycle';
import {
  accountOffers, type CatalogItem, type Offer, type SubscriptionComparison, type SubscriptionHistory,
} from '../../domain/subscriptions/offers';
import { planItem } from '../../domain/subscriptions/subscription-terms';
import { notFound } from '../../lib/errors';

/**
 * Loads what domain/subscriptions/offers.ts compares: the account's live
 * subscriptions, the charges they recorded in the last periods, every plan
 * and add-on at its current version (and each subscription's plan at its
 * own version), and the account's price overrides active now. Nothing is
 * stored.
 */
const DAY_MS = 86_400_000;

/** Early enough for the last `periods` closed periods of any cycle (31-day months, one spare period). */
function lookbackStart(now: Date, periods: number, interval: keyof typeof INTERVAL_MONTHS): Date {
  return new Date(now.getTime() - (periods + 1) * INTERVAL_MONTHS[interval] * 31 * DAY_MS);
}

function catalogItem(plan: Plan, version: PlanVersion, overrides: ReadonlyMap<string, PriceOverride>): CatalogItem {
  const override = overrides.get(plan.id);
  return {
    kind: plan.kind, code: plan.code, name: plan.name, status: plan.status, version: version.version, definition: version.definition,
    override: override ? { charges: override.charges, minimumCommitment: override.minimumCommitment } : null,
  };
}

export async function getAccountOffers(tx: EntityManager, tenantId: string, accountId: string, periods: number, now: Date) {
  const account = await tx.findOneBy(Account, { tenantId, id: accountId });
  if (!account) throw notFound('account', accountId);
  const subscriptions = await tx.find(Subscription, {
    where: { tenantId, accountId, status: Not(In(['canceled', 'ended'])) },
    order: { createdAt: 'ASC', id: 'ASC' },
  });
  const plans = await tx.find(Plan, { where: { tenantId }, order: { code: 'ASC' } });
  // The plan item in the terms is what the subscription bills now (a change at period end replaces it).
  const current = new Map(subscriptions.map((s) => [s.id, planItem(s.terms)]));
  const wanted = [...plans.map((p) => ({ planId: p.id, version: p.currentVersion })), ...[...current.values()].map((i) => ({ planId: i.planId, version: i.version }))];
  const versions = wanted.length === 0 ? [] : await tx.find(PlanVersion, { where: wanted.map((w) => ({ tenantId, ...w })) });
  const versionOf = (planId: string, version: number) => versions.find((v) => v.planId === planId && v.version === version);
  const overrides = new Map(
    (
      await tx
        .createQueryBuilder(PriceOverride, 'o')
        .where('o.tenant_id = :tenantId AND o.account_id = :accountId AND o.currency = :currency', { tenantId, accountId, currency: account.currency })
        .andWhere('o.starts_at <= :now AND (o.ends_at IS NULL OR o.ends_at > :now)', { now })
        .getMany()
    ).map((o) => [o.planId, o]),
  );

  const catalog: CatalogItem[] = [];
  for (const plan of plans) {
    const version = versionOf(plan.id, plan.currentVersion);
    if (version) catalog.push(catalogItem(plan, version, overrides));
  }
  const lookback = subscriptions.reduce((earliest, s) => Math.min(earliest, lookbackStart(now, periods, s.billingInterval).getTime()), now.getTime());
  const charges = subscriptions.length === 0 ? [] : await tx.find(SubscriptionCharge, {
    where: { tenantId, subscriptionId: In(subscriptions.map((s) => s.id)), periodStart: MoreThanOrEqual(new Date(lookback)) },
    order: { periodStart: 'ASC', id: 'ASC' },
  });
  const histories: SubscriptionHistory[] = [];
  for (const s of subscriptions) {
    const item = current.get(s.id)!;
    const plan = plans.find((p) => p.id === item.planId);
    const version = plan && versionOf(plan.id, item.version);
    if (!plan || !version) throw new Error(`subscription ${s.id} bills plan ${item.planId} version ${item.version}, which is not stored`);
    const lines = charges.filter((c) => c.subscriptionId === s.id);
    // The workflow anchors an anniversary cycle where the first paid period began: trial end, else activation.
    const anniversaryAt = s.trialEnd ?? s.activatedAt;
    histories.push({
      subscriptionId: s.id, currency: s.currency, interval: s.billingInterval, timeZone: s.timezone,
      anchor: s.billingAnchor === 'calendar' ? { kind: 'calendar', day: s.billingAnchorDay ?? 1 } : anniversaryAt ? { kind: 'anniversary', at: anniversaryAt } : null,
      plan: catalogItem(plan, version, overrides),
      planQuantity: new Decimal(item.quantity),
      addonCodes: s.terms.items.filter((i) => i.kind === 'addon').map((i) => i.code),
      lines: lines.map((l) => ({
        kind: l.kind, itemCode: l.itemCode, chargeKey: l.chargeKey, periodStart: l.periodStart, periodEnd: l.periodEnd,
        quantity: new Decimal(l.quantity), amount: new Decimal(l.amount),
      })),
    });
  }
  const result = accountOffers({ now, periods, subscriptions: histories, catalog });
  return offersRepresentation(account, periods, now, histories, result);
}

function offersRepresentation(
  account: Account,
  periods: number,
  now: Date,
  histories: readonly SubscriptionHistory[],
  result: { subscriptions: SubscriptionComparison[]; offers: Offer[] },
) {
  const iso = (d: Date) => d.toISOString();
  const moneyOf = (currency: string) => (amount: Decimal) => amount.toFixed(minorUnitsOf(currency));
  return {
    object: 'account_offers' as const,
    account_id: account.id,
    currency: account.currency,
    periods_requested: periods,
    generated_at: iso(now),
    subscriptions: result.subscriptions.map((s) => {
      const history = histories.find((h) => h.subscriptionId === s.subscriptionId)!;
      const money = moneyOf(history.currency);
      return {
        subscription_id: s.subscriptionId,
        plan: s.planCode,
        billing_interval: history.interval,
        compared_periods: s.compared.map((p) => ({ start: iso(p.start), end: iso(p.end), paid: money(p.paid) })),
        skipped_periods: s.skipped.map((p) => ({ start: iso(p.start), end: iso(p.end), reason: p.reason })),
        actually_paid: money(s.actuallyPaid),
        commit_fit: s.fits.map((f) => ({
          charge: f.chargeKey,
          commit_mbps: f.commitMbps.toFixed(),
          periods_over_commit: f.periodsOverCommit,
          figures: f.figures.map((x) => ({ start: iso(x.start), end: iso(x.end), billed_mbps: x.mbps.toFixed() })),
        })),
      };
    }),
    offers: result.offers.map((o) => {
      const money = moneyOf(o.currency);
      const compared = result.subscriptions.find((s) => s.subscriptionId === o.subscriptionId)?.compared.length ?? 0;
      const optional = (amount: Decimal | null) => (amount === null ? null : money(amount));
      return {
        subscription_id: o.subscriptionId,
        kind: o.kind,
        code: o.code,
        name: o.name,
        version: o.version,
        currency: o.currency,
        comparable: o.comparable,
        reason: o.reason,
        periods: compared,
        candidate_charges: optional(o.candidateCharges),
        would_have_cost: optional(o.wouldHaveCost),
        actually_paid: money(o.actuallyPaid),
        saving: optional(o.saving),
        one_time_fees: optional(o.oneTimeFees),
        contract_prices: o.contractPrices,
        per_period: o.perPeriod.map((p) => ({ start: iso(p.start), end: iso(p.end), paid: money(p.paid), would_have_cost: money(p.wouldHaveCost) })),
        message: o.message,
        notes: o.notes,
      };
    }),
  };
}
