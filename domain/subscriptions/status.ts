/**
 * The subscription state machine: which statuses exist, which operations
 * each allows, and which status an operation leads to. The API checks an
 * operation here before it asks the workflow; the workflow checks it again
 * (its state is the authority) before anything is recorded.
 *
 *   pending_provisioning ─activate─▶ trialing ─trial end─▶ active
 *            │                          │                  │  ▲
 *            └──────────── activate (no trial) ────────────┘  │
 *   active ─pause─▶ paused ─resume─▶ active                    │
 *   active|past_due ─suspend─▶ suspended ─reinstate────────────┘
 *   active ─payment failed─▶ past_due ─payment succeeded─▶ active
 *   any live status ─cancel─▶ canceled;  trial expiry / end date ─▶ ended
 */
export const SUBSCRIPTION_STATUSES = [
  'pending_provisioning',
  'trialing',
  'active',
  'past_due',
  'suspended',
  'paused',
  'canceled',
  'ended',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const TERMINAL_STATUSES: readonly SubscriptionStatus[] = ['canceled', 'ended'];

export const SUBSCRIPTION_OPERATIONS = [
  'activate',
  'change',
  'cancel',
  'pause',
  'resume',
  'suspend',
  'reinstate',
  'payment_failed',
  'payment_succeeded',
] as const;
export type SubscriptionOperation = (typeof SUBSCRIPTION_OPERATIONS)[number];

const ALLOWED: Readonly<Record<SubscriptionStatus, readonly SubscriptionOperation[]>> = {
  pending_provisioning: ['activate', 'change', 'cancel'],
  trialing: ['change', 'cancel'],
  active: ['change', 'cancel', 'pause', 'suspend', 'payment_failed'],
  past_due: ['cancel', 'suspend', 'payment_succeeded', 'payment_failed'],
  suspended: ['cancel', 'reinstate', 'payment_succeeded'],
  paused: ['cancel', 'resume'],
  canceled: [],
  ended: [],
};

export function isTerminal(status: SubscriptionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function allowedOperations(status: SubscriptionStatus): readonly SubscriptionOperation[] {
  return ALLOWED[status];
}

/** Why `operation` is refused in `status`, or null when it is allowed. */
export function operationRefusal(status: SubscriptionStatus, operation: SubscriptionOperation): string | null {
  if (ALLOWED[status].includes(operation)) return null;
  const allowed = ALLOWED[status];
  const verb = operation.replace('_', ' ');
  return allowed.length === 0
    ? `The subscription is ${status}; a ${status} subscription cannot change (cannot ${verb}).`
    : `A ${status.replace('_', ' ')} subscription cannot ${verb}; it can: ${allowed.map((o) => o.replace('_', ' ')).join(', ')}.`;
}
