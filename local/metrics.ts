// Metrics for the local stack and tests: counted in memory instead of printed as EMF, so the console stays readable
// and a test can read what an operator would see.
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricUnit } from '@aws-lambda-powertools/metrics/types';

export class CountingMetrics extends Metrics {
  /** Every metric added since this instance was made, summed by name. */
  readonly counts = new Map<string, number>();

  constructor(serviceName: string) {
    super({ namespace: 'Rahdari', serviceName });
  }

  override addMetric(name: string, _unit: MetricUnit, value: number): this {
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
    return this;
  }

  override publishStoredMetrics(): this {
    return this;
  }

  count(name: string): number {
    return this.counts.get(name) ?? 0;
  }
}
