/**
 * A small colocation catalogue as a catalogue file (docs/catalog-as-code.md):
 * every section, recurring, one-time, time-of-use and 95th-percentile
 * charges, an add-on for the plan, a bundle of both, a coupon with a
 * promotion code and a cross-connect asset type.
 */
export const COLO_CATALOG_YAML = `rackrate_catalog: 1
products:
  - code: cabinet
    name: Full cabinet (42U)
    unit_label: cabinet
    gl_code: "4010"
    tax_code: colocation
  - code: cross-connect
    name: Cross-connect
    unit_label: cross-connect
    gl_code: "4040"
  - code: power
    name: Metered power
    unit_label: kWh
    gl_code: "4020"
    tax_code: utilities
  - code: setup
    name: Installation
    gl_code: "4090"
  - code: transit
    name: IP transit
    unit_label: Mbps
    gl_code: "4030"
    tax_code: telecom
billable_metrics:
  - code: energy-kwh
    name: Energy
    event_name: pdu.energy
    aggregation: { type: sum, property: kwh }
    unit_label: kWh
  - code: transit-95th
    name: IP transit, 95th percentile
    event_name: interface.rate
    aggregation: { type: percentile, property: bps, percentile: "95" }
    unit_label: Mbps
plans:
  - code: colo-standard
    name: Colocation standard
    description: A full cabinet with metered power and burstable transit.
    definition:
      billing_interval: month
      currencies: [USD]
      charges:
        - key: cabinet
          product: cabinet
          type: recurring
          prices:
            USD: { model: per_unit, unit_price: "1200.00" }
        - key: install
          product: setup
          type: one_time
          prices:
            USD: { model: flat, amount: "500.00" }
        - key: energy
          product: power
          type: usage
          metric: energy-kwh
          prices:
            USD:
              model: time_of_use
              default_unit_price: "0.11"
              windows:
                - { name: peak, days: [mon, tue, wed, thu, fri], start: "08:00", end: "20:00", unit_price: "0.19" }
        - key: transit
          product: transit
          type: usage
          metric: transit-95th
          prices:
            USD: { model: percentile, commit_mbps: "100", commit_price: "0.80", burst_price: "1.20", port_speed_mbps: "1000" }
  - code: extra-cross-connect
    kind: addon
    name: Extra cross-connect
    definition:
      billing_interval: month
      currencies: [USD]
      applies_to_plans: [colo-standard]
      charges:
        - key: xc
          product: cross-connect
          type: recurring
          prices:
            USD: { model: per_unit, unit_price: "300.00" }
bundles:
  - code: starter-cage
    name: Starter cage
    items:
      plan: colo-standard
      addons:
        - { addon: extra-cross-connect, quantity: 2 }
    discount: { percent_off: "10" }
coupons:
  - code: first-quarter-half-off
    name: First quarter half off
    discount: { type: percent, percent_off: "50" }
    duration: repeating
    duration_periods: 3
    applies_to: { plans: [colo-standard] }
    max_redemptions: 100
promotion_codes:
  - code: COLO2027
    coupon: first-quarter-half-off
    expires_at: "2035-12-31T23:59:59Z"
    first_time_only: true
asset_types:
  - code: xc-smf
    name: Cross-connect, single-mode fiber
    product: cross-connect
    category: cross_connect
    prices:
      USD: { nrc: "500.00", mrc: "300.00" }
`;

/** Every table an apply writes to (catalogue, audit, outbox), for "nothing was written" checks. */
export const APPLY_WRITES_TO = ['products', 'billable_metrics', 'plans', 'plan_versions', 'bundles', 'coupons', 'promotion_codes', 'asset_types', 'audit_log', 'outbox_events'];
