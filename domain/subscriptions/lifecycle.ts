import { firstPeriod, nextPeriod, type BillingCycle, type BillingInterval } from '../periods/billing-cycle';
import type { ProrationUnit } from '../proration/proration';
import {
  advanceLines, arrearsLines, changeLines, discountLine, oneTimeLines, totalOf, money,
  type BillingContext, type ChargeLine, type TermsSegment,
} from './charge-lines';
import { applyTermsChange, type ScheduledChange, type SubscriptionRequest, type TermsChange } from './requests';
import { operationRefusal, type SubscriptionOperation, type SubscriptionStatus } from './status';
import { planItem, type SubscriptionTerms } from './subscription-terms';

/**
 * A subscription's life as pure steps. Each function takes the fixed setup,
 * the current runtime state and an instant, and returns a Step: the next
 * runtime state (revision + 1), the charge lines to record and the domain
 * events to emit. The workflow decides when to take a step and hands it to
 * one activity that stores all of it in one transaction; replaying the same
 * step stores nothing twice (keys on lines, revision on transitions).
 */
export interface SubscriptionSetup {
  tenantId: string;
  subscriptionId: string;
  accountId: string;
  billingAccountId: string;
  currency: string;
  timeZone: string;
  interval: BillingInterval;
  anchor: { kind: 'calendar'; day: number } | { kind: 'anniversary' };
  prorationUnit: ProrationUnit;
  trialDays: number;
  trialEndingNoticeDays: number;
  trialEndBehavior: 'convert' | 'cancel_without_payment_method';
  requiresProvisioning: boolean;
  orderedAt: string;
  /** When billing starts if no provisioning is awaited (may be in the past: backdated). */
  startAt: string;
  /** A fixed end: the subscription ends at the first period boundary on or after it. */
  endsAt: string | null;
}

export interface Period {
  start: string;
  end: string;
}

export interface SubscriptionRuntime {
  status: SubscriptionStatus;
  revision: number;
  terms: SubscriptionTerms;
  activatedAt: string | null;
  /** The first instant of the first paid period: the anniversary anchor. */
  billingAnchorAt: string | null;
  trialEnd: string | null;
  trialWarned: boolean;
  period: Period | null;
  /** In-arrears bookkeeping: where the current stretch of unchanged terms began, and earlier stretches of this period. */
  segmentStart: string | null;
  closedSegments: TermsSegment[];
  pending: ScheduledChange[];
  cancelAtPeriodEnd: boolean;
  canceledAt: string | null;
  endedAt: string | null;
  pausedAt: string | null;
  resumeAt: string | null;
  periodsBilled: number;
}

export interface StepEvent {
  type: string;
  details: Record<string, unknown>;
}

export interface Step {
  at: string;
  from: SubscriptionStatus;
  runtime: SubscriptionRuntime;
  lines: ChargeLine[];
  events: StepEvent[];
}

const DAY_MS = 86_400_000;
/** Clock skew allowed on a provisioning system's reported activation time. */
export const ACTIVATION_SKEW_MS = 5 * 60_000;

export function initialRuntime(terms: SubscriptionTerms): SubscriptionRuntime {
  return {
    status: 'pending_provisioning', revision: 0, terms, activatedAt: null, billingAnchorAt: null, trialEnd: null,
    trialWarned: false, period: null, segmentStart: null, closedSegments: [], pending: [], cancelAtPeriodEnd: false,
    canceledAt: null, endedAt: null, pausedAt: null, resumeAt: null, periodsBilled: 0,
  };
}

export function cycleOf(setup: SubscriptionSetup, rt: SubscriptionRuntime): BillingCycle {
  const anchor =
    setup.anchor.kind === 'calendar'
      ? setup.anchor
      : { kind: 'anniversary' as const, at: new Date(rt.billingAnchorAt ?? rt.activatedAt ?? setup.startAt) };
  return { interval: setup.interval, timeZone: setup.timeZone, anchor };
}

function contextOf(setup: SubscriptionSetup, rt: SubscriptionRuntime): BillingContext {
  return { subscriptionId: setup.subscriptionId, currency: setup.currency, cycle: cycleOf(setup, rt), prorationUnit: setup.prorationUnit };
}

function step(rt: SubscriptionRuntime, at: string, next: Partial<SubscriptionRuntime>, lines: ChargeLine[], events: StepEvent[]): Step {
  return { at, from: rt.status, runtime: { ...rt, ...next, revision: rt.revision + 1 }, lines, events };
}

function chargesSummary(setup: SubscriptionSetup, lines: readonly ChargeLine[]) {
  return { charges_total: money(totalOf(lines), setup.currency), charge_lines: lines.length };
}

/** Coupon bookkeeping at the start of a paid period: drop a used-up coupon, else count this period. */
function couponForNewPeriod(terms: SubscriptionTerms): { terms: SubscriptionTerms; applied: SubscriptionTerms['coupon'] } {
  const coupon = terms.coupon;
  if (!coupon) return { terms, applied: null };
  if (coupon.periodsRemaining === 0) return { terms: { ...terms, coupon: null }, applied: null };
  const remaining = coupon.periodsRemaining === null ? null : coupon.periodsRemaining - 1;
  return { terms: { ...terms, coupon: { ...coupon, periodsRemaining: remaining } }, applied: coupon };
}

/** Opens a paid period: in-advance fees (prorated for a stub), coupon, and one-time fees if billing just began. */
function openPeriod(setup: SubscriptionSetup, rt: SubscriptionRuntime, period: Period, firstOfAll: boolean) {
  const coupon = couponForNewPeriod(rt.terms);
  const ctx = contextOf(setup, rt);
  const bounds = { start: new Date(period.start), end: new Date(period.end) };
  const lines = [...advanceLines(ctx, coupon.terms.items, bounds)];
  if (firstOfAll) lines.push(...oneTimeLines(ctx, coupon.terms.items, bounds.start, 'start'));
  const discount = discountLine(ctx, coupon.applied, lines, coupon.terms.items, `period/${period.start}`, true);
  if (discount) lines.push(discount);
  return { terms: coupon.terms, lines };
}

function firstPaidPeriod(setup: SubscriptionSetup, rt: SubscriptionRuntime, start: string): { rt: SubscriptionRuntime; period: Period } {
  const anchored = { ...rt, billingAnchorAt: rt.billingAnchorAt ?? start };
  const p = firstPeriod(cycleOf(setup, anchored), new Date(start));
  return { rt: anchored, period: { start: p.start.toISOString(), end: p.end.toISOString() } };
}

/** Billing begins (at creation, or when provisioning reports the service live): a trial, or the first paid period. */
export function startBilling(setup: SubscriptionSetup, rt: SubscriptionRuntime, activatedAt: string): Step {
  const events: StepEvent[] = [{ type: 'subscription.activated', details: { activated_at: activatedAt, ordered_at: setup.orderedAt } }];
  if (setup.trialDays > 0) {
    const trialEnd = new Date(new Date(activatedAt).getTime() + setup.trialDays * DAY_MS).toISOString();
    events.push({ type: 'subscription.trial_started', details: { trial_end: trialEnd } });
    return step(rt, activatedAt, { status: 'trialing', activatedAt, trialEnd }, [], events);
  }
  const first = firstPaidPeriod(setup, { ...rt, activatedAt }, activatedAt);
  const opened = openPeriod(setup, first.rt, first.period, true);
  events[0]!.details = { ...events[0]!.details, period: first.period, ...chargesSummary(setup, opened.lines) };
  return step(first.rt, activatedAt, {
    status: 'active', terms: opened.terms, period: first.period, segmentStart: first.period.start, closedSegments: [], periodsBilled: 1,
  }, opened.lines, events);
}

export function trialWarningAt(setup: SubscriptionSetup, rt: SubscriptionRuntime): string | null {
  if (rt.status !== 'trialing' || rt.trialWarned || !rt.trialEnd || !rt.activatedAt) return null;
  const warn = Math.max(new Date(rt.trialEnd).getTime() - setup.trialEndingNoticeDays * DAY_MS, new Date(rt.activatedAt).getTime());
  return new Date(warn).toISOString();
}

export function warnTrialEnding(setup: SubscriptionSetup, rt: SubscriptionRuntime, at: string): Step {
  return step(rt, at, { trialWarned: true }, [], [
    { type: 'subscription.trial_will_end', details: { trial_end: rt.trialEnd, notice_days: setup.trialEndingNoticeDays } },
  ]);
}

/** The trial is over: convert to the first paid period, or end (no payment method, or a cancellation was scheduled). */
export function endTrial(setup: SubscriptionSetup, rt: SubscriptionRuntime, hasPaymentMethod: boolean): Step {
  const at = rt.trialEnd!;
  if (rt.cancelAtPeriodEnd) {
    return step(rt, at, { status: 'canceled', canceledAt: at }, [], [{ type: 'subscription.canceled', details: { canceled_at: at, at_trial_end: true } }]);
  }
  if (setup.trialEndBehavior === 'cancel_without_payment_method' && !hasPaymentMethod) {
    return step(rt, at, { status: 'ended', endedAt: at }, [], [{ type: 'subscription.trial_expired', details: { reason: 'no payment method at trial end' } }, { type: 'subscription.ended', details: { ended_at: at } }]);
  }
  const first = firstPaidPeriod(setup, rt, at);
  const opened = openPeriod(setup, first.rt, first.period, true);
  return step(first.rt, at, {
    status: 'active', terms: opened.terms, period: first.period, segmentStart: first.period.start, closedSegments: [], periodsBilled: 1,
  }, opened.lines, [{ type: 'subscription.trial_converted', details: { period: first.period, ...chargesSummary(setup, opened.lines) } }]);
}

/** The segments of the current period for in-arrears fees, closed at `end`. */
function segmentsUpTo(rt: SubscriptionRuntime, end: string): TermsSegment[] {
  const open = rt.segmentStart && rt.segmentStart < end ? [{ start: rt.segmentStart, end, items: rt.terms.items }] : [];
  return [...rt.closedSegments, ...open];
}

function hasArrears(terms: SubscriptionTerms): boolean {
  return terms.items.some((i) => i.recurring.some((c) => c.timing === 'in_arrears'));
}

/**
 * The period boundary: close the period (in-arrears fees, usage from the
 * metering hook), apply changes scheduled for period end, then end, cancel
 * or open the next period with its in-advance fees.
 */
export function renew(setup: SubscriptionSetup, rt: SubscriptionRuntime, usage: ChargeLine[]): Step {
  const period = rt.period!;
  const at = period.end;
  const ctx = contextOf(setup, rt);
  const closing = [...arrearsLines(ctx, segmentsUpTo(rt, at)), ...usage];
  const closingDiscount = discountLine(ctx, rt.terms.coupon, closing.filter((l) => l.kind !== 'usage' && l.kind !== 'usage_adjustment'), rt.terms.items, `close/${period.start}`, false);
  if (closingDiscount) closing.push(closingDiscount);
  const closed = { period, ...chargesSummary(setup, closing) };

  if (rt.cancelAtPeriodEnd) {
    return step(rt, at, { status: 'canceled', canceledAt: at, period: null, segmentStart: null, closedSegments: [], pending: [] }, closing, [
      { type: 'subscription.period_closed', details: closed },
      { type: 'subscription.canceled', details: { canceled_at: at, at_period_end: true } },
    ]);
  }
  if (setup.endsAt && setup.endsAt <= at) {
    return step(rt, at, { status: 'ended', endedAt: at, period: null, segmentStart: null, closedSegments: [], pending: [] }, closing, [
      { type: 'subscription.period_closed', details: closed },
      { type: 'subscription.ended', details: { ended_at: at } },
    ]);
  }
  const due = rt.pending.filter((c) => c.effective.type === 'period_end');
  let terms = rt.terms;
  for (const change of due) terms = applyTermsChange(terms, change.change);
  const events: StepEvent[] = due.map((c) => ({ type: 'subscription.changed', details: { change_id: c.id, description: c.description, effective: 'period_end' } }));
  const next = nextPeriod(ctx.cycle, { start: new Date(period.start), end: new Date(period.end) });
  const nextPeriodView = { start: next.start.toISOString(), end: next.end.toISOString() };
  const withTerms = { ...rt, terms };
  const opened = openPeriod(setup, withTerms, nextPeriodView, false);
  const added = terms.items.filter((i) => !rt.terms.items.some((o) => o.code === i.code));
  const lines = [...closing, ...opened.lines, ...oneTimeLines(ctx, added, next.start, `period/${nextPeriodView.start}`)];
  events.unshift({ type: 'subscription.renewed', details: { closed, period: nextPeriodView, ...chargesSummary(setup, opened.lines) } });
  return step(rt, at, {
    terms: opened.terms, period: nextPeriodView, segmentStart: nextPeriodView.start, closedSegments: [],
    pending: rt.pending.filter((c) => c.effective.type !== 'period_end'), periodsBilled: rt.periodsBilled + 1,
  }, lines, events);
}

/** A change taking effect at `at` inside the current paid period: prorated credit and charge, one-time fees of new add-ons. */
export function applyChangeNow(setup: SubscriptionSetup, rt: SubscriptionRuntime, change: TermsChange, changeId: string, description: string, at: string): Step {
  const terms = applyTermsChange(rt.terms, change);
  const details = { change_id: changeId, description, effective: 'now', plan: planItem(terms).code, quantity: planItem(terms).quantity };
  if (rt.status !== 'active' && rt.status !== 'past_due' && rt.status !== 'suspended') {
    return step(rt, at, { terms }, [], [{ type: 'subscription.changed', details }]);
  }
  const ctx = contextOf(setup, rt);
  const lines = changeLines(ctx, rt.terms.items, terms.items, new Date(at), changeId);
  const discount = discountLine(ctx, rt.terms.coupon, lines, terms.items, `change/${changeId}`, false);
  if (discount) lines.push(discount);
  const added = terms.items.filter((i) => !rt.terms.items.some((o) => o.code === i.code));
  lines.push(...oneTimeLines(ctx, added, new Date(at), `change/${changeId}`));
  const arrears = hasArrears(rt.terms) || hasArrears(terms);
  return step(rt, at, {
    terms,
    segmentStart: at,
    closedSegments: arrears && rt.segmentStart ? [...rt.closedSegments, { start: rt.segmentStart, end: at, items: rt.terms.items }] : rt.closedSegments,
  }, lines, [{ type: 'subscription.changed', details: { ...details, ...chargesSummary(setup, lines) } }]);
}

export function scheduleChange(rt: SubscriptionRuntime, change: ScheduledChange, at: string): Step {
  return step(rt, at, { pending: [...rt.pending, change] }, [], [
    { type: 'subscription.change_scheduled', details: { change_id: change.id, description: change.description, effective: change.effective } },
  ]);
}

/** The next scheduled change with a date that has come (changes are applied in date order). */
export function dueScheduledChange(rt: SubscriptionRuntime, now: string): ScheduledChange | null {
  const dated = rt.pending.filter((c) => c.effective.type === 'at').sort((a, b) => effectiveAt(a).localeCompare(effectiveAt(b)));
  const first = dated[0];
  return first && effectiveAt(first) <= now ? first : null;
}

function effectiveAt(c: ScheduledChange): string {
  return c.effective.type === 'at' ? c.effective.at : '';
}

export function applyScheduledChange(setup: SubscriptionSetup, rt: SubscriptionRuntime, change: ScheduledChange): Step {
  const at = effectiveAt(change);
  const remaining = { ...rt, pending: rt.pending.filter((c) => c.id !== change.id) };
  return applyChangeNow(setup, remaining, change.change, change.id, change.description, at);
}

/** Ends billing now: credit for the unused part of in-advance fees (per policy), in-arrears fees up to now. */
/** `usage`: the usage of the period up to `at`, rated by the workflow's activity before this step. */
function stopBilling(setup: SubscriptionSetup, rt: SubscriptionRuntime, at: string, key: string, credit: boolean, usage: ChargeLine[]): ChargeLine[] {
  if (!rt.period) return [];
  const ctx = contextOf(setup, rt);
  const lines = [...arrearsLines(ctx, segmentsUpTo(rt, at))];
  if (credit) lines.push(...changeLines(ctx, rt.terms.items, [], new Date(at), key));
  const discount = discountLine(ctx, rt.terms.coupon, lines, rt.terms.items, key, false);
  if (discount) lines.push(discount);
  return [...lines, ...usage];
}

export function cancelNow(
  setup: SubscriptionSetup, rt: SubscriptionRuntime, requestId: string, proration: 'credit' | 'none', reason: string | null, at: string, usage: ChargeLine[] = [],
): Step {
  const lines = stopBilling(setup, rt, at, `cancel/${requestId}`, proration === 'credit', usage);
  return step(rt, at, { status: 'canceled', canceledAt: at, period: null, segmentStart: null, closedSegments: [], pending: [] }, lines, [
    { type: 'subscription.canceled', details: { canceled_at: at, reason, proration, ...chargesSummary(setup, lines) } },
  ]);
}

export function scheduleCancel(rt: SubscriptionRuntime, reason: string | null, at: string): Step {
  const effective = rt.status === 'trialing' ? rt.trialEnd : rt.period?.end ?? null;
  return step(rt, at, { cancelAtPeriodEnd: true }, [], [{ type: 'subscription.cancellation_scheduled', details: { cancel_at: effective, reason } }]);
}

export function pause(setup: SubscriptionSetup, rt: SubscriptionRuntime, requestId: string, resumeAt: string | null, at: string, usage: ChargeLine[] = []): Step {
  const lines = stopBilling(setup, rt, at, `pause/${requestId}`, true, usage);
  return step(rt, at, { status: 'paused', pausedAt: at, resumeAt, period: null, segmentStart: null, closedSegments: [] }, lines, [
    { type: 'subscription.paused', details: { paused_at: at, resume_at: resumeAt, ...chargesSummary(setup, lines) } },
  ]);
}

/**
 * Billing restarts with a (prorated) period up to the next boundary of the
 * unchanged cycle. With `applyDueChanges`, dated changes that fell due while
 * paused take effect first, so the new period is billed on the new terms
 * (applying them at their own date would reach back into unbilled time).
 */
export function resume(setup: SubscriptionSetup, rt: SubscriptionRuntime, at: string, options: { applyDueChanges?: boolean } = {}): Step {
  const due = options.applyDueChanges ? rt.pending.filter((c) => c.effective.type === 'at' && c.effective.at <= at) : [];
  let terms = rt.terms;
  for (const change of due) terms = applyTermsChange(terms, change.change);
  const changed = { ...rt, terms, pending: rt.pending.filter((c) => !due.includes(c)) };
  const first = firstPaidPeriod(setup, changed, at);
  const opened = openPeriod(setup, first.rt, first.period, false);
  const added = terms.items.filter((i) => !rt.terms.items.some((o) => o.code === i.code));
  const lines = [...opened.lines, ...oneTimeLines(contextOf(setup, first.rt), added, new Date(at), `resume/${at}`)];
  const events: StepEvent[] = [
    { type: 'subscription.resumed', details: { period: first.period, ...chargesSummary(setup, lines) } },
    ...due.map((c) => ({ type: 'subscription.changed', details: { change_id: c.id, description: c.description, effective: 'resume' } })),
  ];
  return step(first.rt, at, {
    status: 'active', terms: opened.terms, pending: changed.pending, pausedAt: null, resumeAt: null, period: first.period,
    segmentStart: first.period.start, closedSegments: [], periodsBilled: rt.periodsBilled + 1,
  }, lines, events);
}

export function setStatus(rt: SubscriptionRuntime, status: SubscriptionStatus, type: string, details: Record<string, unknown>, at: string): Step {
  return step(rt, at, { status }, [], [{ type, details }]);
}

const OPERATION_OF: Record<SubscriptionRequest['type'], SubscriptionOperation> = {
  activate: 'activate', change: 'change', cancel: 'cancel', pause: 'pause', resume: 'resume', suspend: 'suspend',
  reinstate: 'reinstate', payment_failed: 'payment_failed', payment_succeeded: 'payment_succeeded',
};

/** Why the workflow refuses `request` now, or null. The API runs the same rules first against its copy of the state. */
export function requestRefusal(setup: SubscriptionSetup, rt: SubscriptionRuntime, request: SubscriptionRequest, now: string): string | null {
  const refusal = operationRefusal(rt.status, OPERATION_OF[request.type]);
  if (refusal) return refusal;
  const nowMs = new Date(now).getTime();
  switch (request.type) {
    case 'activate': {
      const at = new Date(request.activatedAt).getTime();
      if (at < new Date(setup.orderedAt).getTime()) return `activated_at ${request.activatedAt} is before the order (${setup.orderedAt}).`;
      if (at > nowMs + ACTIVATION_SKEW_MS) return `activated_at ${request.activatedAt} is in the future.`;
      return null;
    }
    case 'change':
      if (request.effective.type !== 'now' && (rt.status === 'pending_provisioning' || rt.status === 'trialing')) {
        return `A ${rt.status.replace('_', ' ')} subscription has no billing period yet; change it with effective "now".`;
      }
      if (request.effective.type === 'at' && new Date(request.effective.at).getTime() <= nowMs) return `effective_at ${request.effective.at} is not in the future.`;
      return null;
    case 'cancel':
      if (request.effective === 'period_end' && rt.status === 'pending_provisioning') return 'A subscription that is not provisioned yet can only be canceled now.';
      if (request.effective === 'period_end' && rt.status === 'paused') return 'A paused subscription has no current period; cancel it now.';
      if (request.effective === 'period_end' && rt.cancelAtPeriodEnd) return 'The subscription is already set to cancel at the end of its period.';
      return null;
    case 'pause':
      if (request.resumeAt && new Date(request.resumeAt).getTime() <= nowMs) return `resume_at ${request.resumeAt} is not in the future.`;
      return null;
    default:
      return null;
  }
}

