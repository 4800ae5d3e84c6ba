import type { MetricAggregation, MetricFilter } from '../catalog/metric';
import { isNumeric, type EventFieldError, type NormalizedEvent } from './event-rules';

/**
 * Whether an event carries what the metrics of its code aggregate: a number
 * where a metric sums, maxes, integrates or averages a property, a value for
 * a unique count, and rate samples (`properties.P.in` / `.out`, bit/s) for a
 * percentile. An event the metric's filters exclude need not carry anything.
 * The metric property `value` is the event's top-level value; any other name
 * reads `properties.<name>`, dots reaching into nested objects.
 */
export interface MetricDefinition {
  code: string;
  eventName: string;
  aggregation: MetricAggregation;
  filters: MetricFilter[];
}

export interface MetricRule extends MetricDefinition {
  /** `properties` path of the aggregated property; null for `value` or for count. */
  path: string[] | null;
  /** The field to name in an error. */
  field: string;
  filterPaths: string[][];
}

export function compileMetricRule(metric: MetricDefinition): MetricRule {
  const property = metric.aggregation.type === 'count' ? null : metric.aggregation.property;
  return {
    ...metric,
    path: property === null || property === 'value' ? null : property.split('.'),
    field: property === null ? '' : property === 'value' ? 'value' : `properties.${property}`,
    filterPaths: metric.filters.map((f) => f.property.split('.')),
  };
}

/** `properties` at `path`; undefined when any step is missing or not an object. */
export function readPath(properties: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = properties;
  for (const step of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/**
 * True only when every filter certainly holds: the property is a string and
 * passes. A missing or non-string property leaves `neq`/`not_in` undecided,
 * and an undecided event is not held to the metric's requirements.
 */
function certainlyIncluded(rule: MetricRule, properties: Record<string, unknown>): boolean {
  for (let i = 0; i < rule.filters.length; i++) {
    const filter = rule.filters[i]!;
    const actual = readPath(properties, rule.filterPaths[i]!);
    if (typeof actual !== 'string') return false;
    const listed = filter.values.includes(actual);
    const pass = filter.operator === 'eq' || filter.operator === 'in' ? listed : !listed;
    if (!pass) return false;
  }
  return true;
}

function sampleErrors(rule: MetricRule, sample: unknown): EventFieldError[] {
  if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) {
    return [{ field: rule.field, code: 'invalid_sample', message: 'must be an object with "in" and/or "out" rates in bit/s' }];
  }
  const errors: EventFieldError[] = [];
  const record = sample as Record<string, unknown>;
  for (const direction of ['in', 'out'] as const) {
    const rate = record[direction];
    if (rate !== undefined && !(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0)) {
      errors.push({ field: `${rule.field}.${direction}`, code: 'not_numeric', message: 'must be a number of bit/s, zero or more' });
    }
  }
  if (record.in === undefined && record.out === undefined) {
    errors.push({ field: rule.field, code: 'required', message: 'must have an "in" or an "out" rate (or both)' });
  }
  return errors;
}

/** The problems of `event` against the rules of the metrics its code feeds; each field named once. */
export function metricErrors(event: NormalizedEvent, rules: readonly MetricRule[]): EventFieldError[] {
  let errors: EventFieldError[] | undefined;
  for (const rule of rules) {
    if (rule.aggregation.type === 'count') continue;
    if (rule.filters.length > 0 && !certainlyIncluded(rule, event.properties)) continue;
    const found = ruleErrors(rule, event);
    for (const error of found) {
      errors ??= [];
      if (!errors.some((e) => e.field === error.field)) errors.push(error);
    }
  }
  return errors ?? [];
}

const NONE: EventFieldError[] = [];

function ruleErrors(rule: MetricRule, event: NormalizedEvent): EventFieldError[] {
  const value = rule.path === null ? event.value : readPath(event.properties, rule.path);
  switch (rule.aggregation.type) {
    case 'count':
      return NONE;
    case 'percentile':
      return sampleErrors(rule, value);
    case 'unique_count':
      if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return NONE;
      return [{ field: rule.field, code: value === undefined || value === null ? 'required' : 'invalid_type', message: `must be a string or a number (metric ${rule.code} counts its distinct values)` }];
    case 'sum':
    case 'max':
    case 'latest':
    case 'time_weighted':
    case 'peak':
      if (value === undefined || value === null) {
        return [{ field: rule.field, code: 'required', message: `is required: metric ${rule.code} aggregates it` }];
      }
      if (rule.path !== null && !isNumeric(value)) {
        return [{ field: rule.field, code: 'not_numeric', message: `must be a number or a decimal string: metric ${rule.code} aggregates it` }];
      }
      return NONE;
    default: {
      const unknown: never = rule.aggregation;
      throw new Error(`unhandled aggregation ${JSON.stringify(unknown)}`);
    }
  }
}
