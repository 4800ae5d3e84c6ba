import express, { type Express } from 'express';

/**
 * The floor the Rackrate numbers are compared with: bare Express 5 doing the
 * least work that answers the same requests. GET returns a static object
 * shaped like an account; POST parses the JSON body and echoes it. No auth,
 * no database, no validation, no logging.
 */
const STATIC_ACCOUNT = {
  id: '0193a1f0-0000-7000-8000-000000000000',
  object: 'account',
  external_id: 'bench-static',
  name: 'Benchmark Customer',
  legal_name: null,
  email: null,
  currency: 'EUR',
  timezone: 'UTC',
  locale: 'en-US',
  billing_anchor_day: 1,
  payment_terms: { type: 'net', days: 30 },
  tax_ids: [],
  tax_exemption: 'none',
  billing_address: null,
  service_address: null,
  contacts: [],
  invoice_delivery: 'email',
  metadata: {},
  parent_id: null,
  bill_to_parent: false,
  status: 'active',
  archived_at: null,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
  version: 1,
};

export function createBaselineApp(): Express {
  const app = express();
  app.get('/v1/accounts/:id', (_req, res) => {
    res.json(STATIC_ACCOUNT);
  });
  app.post('/v1/accounts', express.json(), (req, res) => {
    res.status(201).json(req.body);
  });
  return app;
}
