/**
 * The read side of metering in one import: period totals, the rating
 * engine's inputs, time series and bandwidth samples for a selection of
 * usage (one account, optionally one subscription, a metric, a period
 * [from, to), filters and group-by), plus the bulk forms a bill run uses.
 * The rules are in usage-query.ts (selection) and usage-totals.ts
 * (aggregations); docs/metering.md explains them.
 */
export { loadMetric, type MetricDefinition } from './metric-definition';
export type { UsageAggregate, UsageBucket, UsageSelection } from './usage-query';
export { aggregateUsage, aggregateUsageForAccounts, aggregateUsageForSubscriptions, type BulkUsageRequest } from './usage-totals';
export { defaultPercentile, sampleSeries, type SampleSeries } from './usage-percentile';
export { usageRatingInputs } from './usage-rating-inputs';
export { usageSeries } from './usage-series';
export { readPortSamples, type PortRead, type SampleReadSpec } from './sample-read';
