import { z } from 'zod';
import type { InputKind, RatingInput } from './inputs';
import { committedKwConfig, rateCommittedKw } from './models/committed-kw';
import { flatConfig, rateFlat } from './models/flat';
import { graduatedConfig, rateGraduated } from './models/graduated';
import { hourlyCappedConfig, rateHourlyCapped } from './models/hourly-capped';
import { meteredKwhConfig, rateMeteredKwh } from './models/metered-kwh';
import { packageConfig, ratePackage } from './models/package';
import { peakConfig, ratePeak } from './models/peak';
import { percentageConfig, ratePercentage } from './models/percentage';
import { percentileConfig, ratePercentile } from './models/percentile';
import { perUnitConfig, ratePerUnit } from './models/per-unit';
import { powerCircuitConfig, ratePowerCircuit } from './models/power-circuit';
import { remoteHandsConfig, rateRemoteHands } from './models/remote-hands';
import { stairstepConfig, rateStairstep } from './models/stairstep';
import { timeOfUseConfig, rateTimeOfUse } from './models/time-of-use';
import { volumeConfig, rateVolume } from './models/volume';
import type { Rating } from './rating';

/**
 * Every price model, one per file under models/, chosen by `model`. This is
 * the only place that knows them all: the catalogue validates prices with
 * `priceModelSchema`, and `rate` dispatches with an exhaustive switch.
 */
export const priceModelSchema = z.discriminatedUnion('model', [
  flatConfig,
  perUnitConfig,
  graduatedConfig,
  volumeConfig,
  packageConfig,
  stairstepConfig,
  percentageConfig,
  percentileConfig,
  peakConfig,
  timeOfUseConfig,
  hourlyCappedConfig,
  remoteHandsConfig,
  powerCircuitConfig,
  committedKwConfig,
  meteredKwhConfig,
]).meta({ id: 'PriceModel', description: 'A price model, chosen by `model` (docs/pricing.md).' });
export type PriceModel = z.output<typeof priceModelSchema>;
export type PriceModelName = PriceModel['model'];

/** Which input each model is rated on. */
export const INPUT_KIND: Record<PriceModelName, InputKind> = {
  flat: 'quantity',
  per_unit: 'quantity',
  graduated: 'quantity',
  volume: 'quantity',
  package: 'quantity',
  stairstep: 'quantity',
  percentage: 'transactions',
  percentile: 'bandwidth',
  peak: 'series',
  time_of_use: 'readings',
  hourly_capped: 'runtime',
  remote_hands: 'sessions',
  power_circuit: 'circuits',
  committed_kw: 'quantity',
  metered_kwh: 'quantity',
};

export class RatingInputMismatch extends Error {
  constructor(model: PriceModelName, got: InputKind) {
    super(`the ${model} model is rated on ${INPUT_KIND[model]} input, not ${got}`);
    this.name = 'RatingInputMismatch';
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled price model ${JSON.stringify(value)}`);
}

function expect<K extends InputKind>(model: PriceModelName, input: RatingInput, kind: K): Extract<RatingInput, { kind: K }> {
  if (input.kind !== kind) throw new RatingInputMismatch(model, input.kind);
  return input as Extract<RatingInput, { kind: K }>;
}

export function rate(config: PriceModel, input: RatingInput): Rating {
  switch (config.model) {
    case 'flat':
      return rateFlat(config, expect('flat', input, 'quantity'));
    case 'per_unit':
      return ratePerUnit(config, expect('per_unit', input, 'quantity'));
    case 'graduated':
      return rateGraduated(config, expect('graduated', input, 'quantity'));
    case 'volume':
      return rateVolume(config, expect('volume', input, 'quantity'));
    case 'package':
      return ratePackage(config, expect('package', input, 'quantity'));
    case 'stairstep':
      return rateStairstep(config, expect('stairstep', input, 'quantity'));
    case 'percentage':
      return ratePercentage(config, expect('percentage', input, 'transactions'));
    case 'percentile':
      return ratePercentile(config, expect('percentile', input, 'bandwidth'));
    case 'peak':
      return ratePeak(config, expect('peak', input, 'series'));
    case 'time_of_use':
      return rateTimeOfUse(config, expect('time_of_use', input, 'readings'));
    case 'hourly_capped':
      return rateHourlyCapped(config, expect('hourly_capped', input, 'runtime'));
    case 'remote_hands':
      return rateRemoteHands(config, expect('remote_hands', input, 'sessions'));
    case 'power_circuit':
      return ratePowerCircuit(config, expect('power_circuit', input, 'circuits'));
    case 'committed_kw':
      return rateCommittedKw(config, expect('committed_kw', input, 'quantity'));
    case 'metered_kwh':
      return rateMeteredKwh(config, expect('metered_kwh', input, 'quantity'));
    default:
      return assertNever(config);
  }
}
