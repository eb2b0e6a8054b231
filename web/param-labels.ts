import { COOLING_DESIGN_NAMES, coolingDesign } from '../models/cooling/design.ts';
import { FACILITY_CLASSES } from '../models/electrical.ts';
import { PV_TABLE } from '../models/pv.ts';
import { WIND_TABLE } from '../models/wind.ts';

let labels: Map<string, string> | null = null;

/**
 * The label of a parameter-table row by the path a result's assumptions name it by
 * (`cooling.overrides.upsEfficiency` → 'UPS efficiency at rated load'), from the tables themselves;
 * undefined for a path that is not a table row.
 */
export function parameterLabel(path: string): string | undefined {
  if (!labels) {
    labels = new Map();
    for (const design of COOLING_DESIGN_NAMES)
      for (const cls of FACILITY_CLASSES)
        for (const [k, p] of Object.entries(coolingDesign(design, {}, cls).table))
          labels.set(`cooling.overrides.${k}`, p.label);
    for (const [k, p] of Object.entries(PV_TABLE)) labels.set(`green.pv.overrides.${k}`, p.label);
    for (const [k, p] of Object.entries(WIND_TABLE)) labels.set(`green.wind.overrides.${k}`, p.label);
  }
  return labels.get(path);
}
