/**
 * The catalogue of error codes. Each code is stable (clients switch on it),
 * has one HTTP status and a one-line title; api/problem.ts turns them into
 * RFC 9457 problem+json in one place, and test/unit/error-catalog.test.ts
 * keeps docs/errors.md listing exactly these codes.
 */
export const ERROR_CATALOG = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  invalid_idempotency_key: { status: 400, title: 'The Idempotency-Key header is not valid' },
  unauthenticated: { status: 401, title: 'Missing, unknown, expired or revoked API key' },
  insufficient_scope: { status: 403, title: 'The API key lacks the scope this operation needs' },
  not_found: { status: 404, title: 'No such resource' },
  route_not_found: { status: 404, title: 'No such endpoint' },
  method_not_allowed: { status: 405, title: 'The endpoint does not support this method' },
  external_id_taken: { status: 409, title: 'Another active account already has this external_id' },
  tenant_slug_taken: { status: 409, title: 'Another tenant already has this slug' },
  idempotency_key_in_use: { status: 409, title: 'A request with this Idempotency-Key is still being processed' },
  account_archived: { status: 409, title: 'The account is archived and cannot be changed' },
  account_has_active_children: { status: 409, title: 'The account has active child accounts' },
  api_key_revoked: { status: 409, title: 'The API key is already revoked' },
  last_admin_key: { status: 409, title: "Revoking this key would leave the tenant without an admin key" },
  code_taken: { status: 409, title: 'Another catalogue item of this kind already has this code' },
  catalog_item_archived: { status: 409, title: 'The catalogue item is archived and cannot be used or changed' },
  price_override_overlap: { status: 409, title: 'Another price override covers this account, plan and currency in that time' },
  invalid_asset_transition: { status: 409, title: 'The asset cannot make this change from its current state' },
  provider_asset_id_taken: { status: 409, title: 'Another asset already has this provider asset id' },
  subscription_state_conflict: { status: 409, title: 'The subscription cannot do this in its current state' },
  payment_method_taken: { status: 409, title: 'This gateway token is already attached to an account' },
  usage_threshold_archived: { status: 409, title: 'The usage threshold is archived and cannot be changed' },
  tax_rate_overlap: { status: 409, title: 'Another tax rate covers the same place and tax code in that time' },
  invoice_finalized: { status: 409, title: 'The invoice is finalised and cannot be changed' },
  invoice_state_conflict: { status: 409, title: 'The invoice cannot do this in its current status' },
  payload_too_large: { status: 413, title: 'The request body is larger than the limit' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json' },
  idempotency_key_reused: {
    status: 422,
    title: 'This Idempotency-Key was used with a different request',
  },
  event_rejected: { status: 422, title: 'The usage event was rejected' },
  invalid_account_hierarchy: { status: 422, title: 'The parent/child account change is not allowed' },
  invalid_catalog: { status: 422, title: 'The catalogue refers to something that does not exist or does not fit' },
  currency_mismatch: { status: 422, title: 'The plan or add-on is not priced in the account currency' },
  promotion_not_redeemable: { status: 422, title: 'The coupon or promotion code cannot be redeemed here' },
  threshold_reference_unavailable: { status: 422, title: "The threshold's commit cannot be read from the plan" },
  credit_exceeds_invoice: { status: 422, title: 'The credit is larger than what remains to be credited on the invoice' },
  payment_exceeds_balance: { status: 422, title: 'The payment is larger than the amount remaining on the invoice' },
  account_currency_mismatch: { status: 422, title: "The amount is not in the account's billing currency" },
  usage_result_too_large: { status: 422, title: 'The usage answer would hold more points than one response may' },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  service_unavailable: { status: 503, title: 'A dependency is not available' },
  subscription_busy: { status: 503, title: 'The subscription workflow did not answer in time; retry with the same Idempotency-Key' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export type FieldLocation = 'body' | 'query' | 'path' | 'header';

/** One problem with one input field; `code` is a machine-readable rule name. */
export interface FieldError {
  in: FieldLocation;
  /** Dotted path, e.g. `billing_address.country` or `contacts[0].email`. */
  field: string;
  code: string;
  message: string;
}

/** An expected failure with a catalogue code; anything else is an internal error. */
export class RackrateError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[];
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? ERROR_CATALOG[code].title);
    this.name = 'RackrateError';
    this.code = code;
    this.status = ERROR_CATALOG[code].status;
    this.errors = options.errors ?? [];
    this.headers = options.headers ?? {};
  }
}

export function notFound(resource: string, id: string): RackrateError {
  return new RackrateError('not_found', `No ${resource} with id ${id}.`);
}
