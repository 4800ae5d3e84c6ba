import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes, so support staff can filter workflows in the
 * Temporal UI (e.g. `RackrateTenant = "…" AND RackrateStatus = "past_due"`).
 * Deterministic definitions only: workflows import this module.
 */
export const TENANT = defineSearchAttributeKey('RackrateTenant', SearchAttributeType.KEYWORD);
export const ACCOUNT = defineSearchAttributeKey('RackrateAccount', SearchAttributeType.KEYWORD);
export const SUBSCRIPTION = defineSearchAttributeKey('RackrateSubscription', SearchAttributeType.KEYWORD);
export const STATUS = defineSearchAttributeKey('RackrateStatus', SearchAttributeType.KEYWORD);
export const PLAN = defineSearchAttributeKey('RackratePlan', SearchAttributeType.KEYWORD);

export const RACKRATE_SEARCH_ATTRIBUTES = [TENANT, ACCOUNT, SUBSCRIPTION, STATUS, PLAN];
