import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as engine from '../../models/index.ts';
import { engineReference } from '../../seeds/index.ts';
import { runScenario } from '../../server/run.ts';

describe('models/index.ts: the public engine API', () => {
  it('validates, prepares, simulates and compares through its own exports, as the CLI does', () => {
    const input = JSON.parse(
      readFileSync(new URL('../../scenarios/east-west-compare.json', import.meta.url), 'utf8'),
    );
    const ref = engineReference();
    const scenario = engine.parseScenario(input);
    const result = engine.simulate(engine.prepareRun(scenario, ref), ref);
    const viaCli = runScenario(input, ref);
    expect(result.clusters.map((c) => c.finance.costPerRackYearCny)).toEqual(
      viaCli.clusters.map((c) => c.finance.costPerRackYearCny),
    );
    expect(engine.compareClusters(result.clusters)).toEqual(engine.compareClusters(viaCli.clusters));
    expect(() => engine.parseScenario({ ...input, years: 0 })).toThrow(engine.ValidationError);
    for (const name of ['applyTable', 'coolingDesign', 'energyBalance', 'monthlyBills', 'ENGINE_VERSION'])
      expect(engine, name).toHaveProperty(name);
  });
});
