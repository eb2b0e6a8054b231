import { describe, expect, it } from 'vitest';
import { COOLING_DESIGN_NAMES } from '../../models/cooling.ts';
import { FACILITY_CLASSES } from '../../models/electrical.ts';
import { paramTable } from '../../web/editor-params.ts';
import { ZH } from '../../web/i18n-zh.ts';

/**
 * The full editor's parameter overrides (issue 23, point 2): the parameters offered are the engine's own
 * table rows — of the cooling design and class the entry names, PV's, wind's less the hub height (a
 * field of its own) — and each is named in Chinese too.
 */
describe('the parameters an overrides table offers', () => {
  it('cooling: the rows of the design and class named (or inherited), every design’s when none is', () => {
    const wse = paramTable('cooling.overrides', { cooling: { design: 'water-cooled-chiller-wse' } }, {});
    expect(wse).toHaveProperty('towerApproachC');
    expect(wse).not.toHaveProperty('iecEffectiveness');
    const inherited = paramTable('cooling.overrides', {}, { cooling: { design: 'indirect-evaporative' } });
    expect(inherited).toHaveProperty('iecEffectiveness');
    expect(inherited).not.toHaveProperty('liquidCaptureFraction');
    // a class's own defaults
    const hyper = paramTable(
      'cooling.overrides',
      { cooling: { design: 'dx-crac', facilityClass: 'hyperscale' } },
      {},
    );
    const small = paramTable(
      'cooling.overrides',
      { cooling: { design: 'dx-crac', facilityClass: 'small' } },
      {},
    );
    expect(hyper?.upsEfficiency.value).not.toBe(small?.upsEfficiency.value);
    const any = paramTable('cooling.overrides', {}, {});
    for (const k of ['iecEffectiveness', 'liquidCaptureFraction', 'adiabaticEffectiveness', 'towerApproachC'])
      expect(any).toHaveProperty(k);
    expect(paramTable('cooling.overrides', { cooling: { design: 'no-such-design' } }, {})).toEqual(any);
  });

  it('PV and wind: their tables, the hub height left to its own field; nothing for other fields', () => {
    expect(Object.keys(paramTable('green.pv.overrides', {}, {}) ?? {})).toContain('albedo');
    const wind = paramTable('green.wind.overrides', {}, {}) ?? {};
    expect(wind).toHaveProperty('cutInMps');
    expect(wind).not.toHaveProperty('hubHeightM');
    expect(paramTable('tariff.escalation.factors', {}, {})).toBeNull();
  });

  it('every parameter offered has its Chinese name', () => {
    const labels = new Set<string>();
    for (const design of COOLING_DESIGN_NAMES)
      for (const facilityClass of FACILITY_CLASSES)
        for (const row of Object.values(
          paramTable('cooling.overrides', { cooling: { design, facilityClass } }, {}) ?? {},
        ))
          labels.add(row.label);
    for (const key of ['green.pv.overrides', 'green.wind.overrides'])
      for (const row of Object.values(paramTable(key, {}, {}) ?? {})) labels.add(row.label);
    expect(labels.size).toBeGreaterThan(50);
    expect([...labels].filter((l) => !ZH[l])).toEqual([]);
  });
});
