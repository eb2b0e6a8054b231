import { STANDARD_RACK_KW } from './capacity.ts';
import type { ClimateYear } from './climate.ts';
import { COOLING_DESIGN_NAMES, type CoolingDesignName, designDefaultClass } from './cooling/design.ts';
import {
  type Bounds,
  type Distribution,
  GRADES,
  type Grade,
  type InputRow,
  type Typical,
} from './input-row.ts';
import type { ClusterReference, EngineReference, SourcedDefault } from './reference.ts';
import { BATTERY_TABLE } from './storage.ts';
import { type TariffCalendar, type TariffStructure, VOLTAGE_LEVELS, type VoltageLevel } from './tariff.ts';
import { type BookFigure, calendarAt, datedAt, figureIn, monthStart, type TdPeriod } from './tariff-book.ts';
import { WIND_TABLE } from './wind.ts';

/**
 * Every scenario input declared once, one row per field (NREL SAM's `var_info` style): path, kind,
 * unit, label (English and Chinese), hard bounds (refused outside), the usual range (a warning
 * outside), and a default — a value with its source and grade, a seeded figure read from the engine
 * reference, or a named rule with its one line of prose — or none (the field is then required, or
 * leaving it out means "not modelled", never a silent 0). From these rows come:
 * - the scenario schema's leaves and their metadata (models/scenario.ts; hence the JSON Schema the
 *   editor reads and the API documents),
 * - docs/scenarios.md's field tables (tools/gen-scenario-doc.ts),
 * - the preparation's defaults (models/prepare/resolve.ts reads a default only through its row),
 * - the result's `assumptions`: every default a run used, with its source and grade.
 * Model parameter tables (cooling and electrical by facility class, PV, wind, battery) are rows of the
 * same kind (`InputRow`, models/input-row.ts) in their own modules; the fields that override them
 * (`cooling.overrides`, `green.pv.overrides`, …) name their table here.
 * test/models/inputs.test.ts fails when a schema field has no row, a row no field, a default is used
 * but not listed, or the schema's metadata or the doc disagrees with a row.
 */

/** What a field holds. */
export type FieldKind =
  /** A number in the field's unit, a number with a unit, an expression of `year` or a year schedule. */
  | 'quantity'
  /** A plain number (or whole number with `integer`). */
  | 'number'
  /** One of `choices`. */
  | 'choice'
  /** The id of reference data (`refers`), checked when the run is prepared. */
  | 'id'
  /** Free text. */
  | 'text'
  /** A list of texts. */
  | 'texts'
  /** Ids of reference data (a list). */
  | 'ids'
  /** Overrides of a model parameter table by row name (`table`). */
  | 'table'
  /** A structure the schema spells out (the wind resource, an escalation schedule). */
  | 'structure';

/** A default: a value with its source, a seeded figure (path in the engine reference), or a named rule. */
export type FieldDefault =
  | { value: number | string; source: string; grade: Grade }
  | { seed: SeedPath; warnWhenUsed?: boolean }
  | { rule: RuleName }
  | { row: InputRow };

/** One scenario field. Paths within a cluster: `tariff.energyPriceCnyPerKwh`, `buildout[].racks`. */
export interface FieldRow extends Bounds {
  kind: FieldKind;
  label: string;
  zh: string;
  unit?: string;
  description?: string;
  typical?: Typical;
  choices?: readonly string[];
  /** The reference data an id names. */
  refers?: 'cluster' | 'calendar' | 'shape' | 'curve' | 'incentive' | 'target' | 'design';
  /** The model parameter table a `table` field overrides. */
  table?: string;
  required?: boolean;
  maxLength?: number;
  default?: FieldDefault;
  distribution?: Distribution;
  /**
   * The default is a convention or a choice of the design (orientation, the year in service, the
   * standard rack), not an estimate of something uncertain: `--grades` puts no band on it.
   */
  designChoice?: boolean;
}

/** Where a single seeded default lives in the engine reference. */
export type SeedPath =
  | `assumptions.${Exclude<keyof EngineReference['assumptions'], 'windFullLoadHoursByProvince'> & string}`
  | `costs.${keyof EngineReference['costs'] & string}`;

/** A default as a run uses it: the value, what to list, its source and grade, and a warning if any. */
export interface SourcedValue {
  value: number | string;
  /** A value that changes with the year (grid factors): the listed `value` then describes it. */
  byYear?: (year: number) => number;
  /** A value that changes with the month (a tariff book's components; month 0–11). */
  byMonth?: (year: number, month: number) => number;
  unit?: string;
  source: string;
  grade: string;
  /** What the run should say about this default: one warning a line. */
  warning?: string;
}

/** What a default rule may read: the reference, the cluster's reference and climate, the cluster as given. */
export interface RuleContext {
  ref: EngineReference;
  cref: ClusterReference;
  climate: ClimateYear;
  /** The cluster entry as given (after the scenario's defaults are merged in). */
  cluster: ClusterInput;
  years: number[];
  /** A number the call site knows and the rule needs (the battery's hours of storage). */
  hint?: number;
  /** What the preparation resolved before this field and the rule reads (the tariff's voltage, structure and contract). */
  resolved?: TariffResolved;
}

/** The tariff choices a component's rule reads: voltage, structure and the largest contract capacity. */
export interface TariffResolved {
  voltage?: VoltageLevel;
  structure?: TariffStructure;
  /** Largest contract capacity over the simulated years, kVA. */
  maxContractKva?: number;
  /** The calendar of each month (year × 12 + month) chosen for the run. */
  calendars?: TariffCalendar[];
}

/** The parts of a cluster entry the rules read (the full type is the schema's, models/scenario.ts). */
interface ClusterInput {
  workloadShape?: string;
  cooling?: { design?: string };
  gridFactorScope?: 'province' | 'region' | 'national';
}

/** A named default rule: one line of prose, and the function that applies it. */
interface DefaultRule {
  text: string;
  of: (c: RuleContext) => SourcedValue | null;
}

const own = <T>(rec: Record<string, T> | undefined, key: string | undefined): T | undefined =>
  rec !== undefined && key !== undefined && Object.hasOwn(rec, key) ? rec[key] : undefined;

/** kVA of contract capacity from which two-part billing is mandatory (发改价格〔2023〕526号). */
export const TWO_PART_FROM_KVA = 315;

/**
 * The voltage level of a contract capacity (the rule of `tariff.voltage`'s default).
 *
 * @example
 * voltageForKva(14000) // → '1-10kV'
 */
export function voltageForKva(kva: number): VoltageLevel {
  if (kva < 100) return '<1kV';
  if (kva <= 20_000) return '1-10kV';
  if (kva <= 60_000) return '35kV';
  if (kva <= 200_000) return '110kV';
  return '220kV+';
}

/** The components a calendar's ratios multiply (the energy price only when it names none). */
export const floatsOf = (c: TariffCalendar): string[] => c.floats ?? ['energy'];

/**
 * The calendar of every month of the simulated years (years × 12, in order): the cluster's own, or the
 * province's in force on the month's first day; with a note when a year came before any calendar.
 */
export function monthCalendars(
  ref: EngineReference,
  cref: ClusterReference,
  years: number[],
): { list: TariffCalendar[]; early: string | null } | null {
  if (cref.tariffCalendar !== null) {
    const c = own(ref.tariffCalendars, cref.tariffCalendar);
    return c ? { list: years.flatMap(() => Array(12).fill(c)), early: null } : null;
  }
  const all = Object.values(ref.tariffCalendars);
  const list: TariffCalendar[] = [];
  let early: string | null = null;
  for (const y of years)
    for (let m = 1; m <= 12; m++) {
      const hit = calendarAt(all, cref.province, monthStart(y, m));
      if (!hit) return null;
      if (hit.early && !early)
        early = `no ${cref.province} TOU calendar in force in ${y}: the earliest seeded (${hit.item.id}, from ${hit.item.effectiveFrom}) stands in`;
      list.push(hit.item);
    }
  return { list, early };
}

/**
 * The build cost's split by part, as shares of the cost per kW of IT without the white space (billed
 * per rack): the cost guide's shares renormalised, the critical share divided into power and cooling.
 */
export function buildSplit(
  ref: EngineReference,
): Record<'shell' | 'site' | 'power' | 'cooling' | 'back of house', number> {
  const c = ref.costs;
  const rest = 1 - c.dcWhiteSpaceShare.value;
  const critical = c.dcCriticalShare.value;
  const power = c.dcPowerShareOfCritical.value;
  return {
    shell: c.dcShellShare.value / rest,
    site: c.dcSiteShare.value / rest,
    power: (critical * power) / rest,
    cooling: (critical * (1 - power)) / rest,
    'back of house': c.dcOtherShare.value / rest,
  };
}

const buildSplitText = (ref: EngineReference) =>
  Object.entries(buildSplit(ref))
    .map(([k, v]) => `${k} ${(100 * v).toFixed(1)} %`)
    .join(', ');

const worstGrade = (grades: string[]) =>
  GRADES[Math.max(0, ...grades.map((g) => GRADES.indexOf(g as (typeof GRADES)[number])))];

/** A rule reading one grid-agency component of the province's tariff book, month by month. */
function bookRule(
  key: 'energyCnyPerKwh' | 'lineLossCnyPerKwh' | 'systemOperationCnyPerKwh',
  what: string,
  text: string,
): DefaultRule {
  return {
    text,
    of: ({ ref, cref, years }) => {
      const book = own(ref.tariffBooks, cref.province);
      if (!book) {
        if (key !== 'energyCnyPerKwh')
          return {
            value: 0,
            unit: 'CNY/kWh',
            byMonth: () => 0,
            source: `no tariff book for ${cref.province}: the ${what} is NOT FOUND`,
            grade: 'NOT FOUND',
            warning: `tariff: the ${what} is NOT FOUND for ${cref.province} and counted as 0 CNY/kWh; give it in the scenario`,
          };
        const p = cref.referenceEnergyPrice;
        return { ...p, unit: 'CNY/kWh', byMonth: () => p.value };
      }
      const figs: Array<BookFigure<number | number[]>> = [];
      let early: string | null = null;
      for (const y of years)
        for (let m = 1; m <= 12; m++) {
          const hit = datedAt(book.energy, monthStart(y, m));
          if (hit.early && !early)
            early = `tariff: no ${cref.province} grid-agency table in force in ${y}: the earliest (${hit.item.label}, from ${hit.item.effectiveFrom}) stands in`;
          figs.push(hit.item[key]);
        }
      const used = [...new Set(figs)];
      const estimated = [...new Set(used.flatMap((f) => (f.estimated ? [f.estimated] : [])))];
      const warning =
        [early, ...estimated.map((e) => `tariff: ${e}`)].filter(Boolean).join('\n') || undefined;
      const vals = used.flatMap((f) => (Array.isArray(f.value) ? f.value : [f.value]));
      return {
        value:
          Math.min(...vals) === Math.max(...vals)
            ? Number(vals[0].toPrecision(12))
            : `${Math.min(...vals)}–${Math.max(...vals)} CNY/kWh by month`,
        unit: 'CNY/kWh',
        byMonth: (y, m) => {
          const i = (y - years[0]) * 12 + m;
          return figureIn(figs[i] ?? datedAt(book.energy, monthStart(y, m + 1)).item[key], m);
        },
        source: [...new Set(used.map((f) => f.source))].join(' | '),
        grade: worstGrade(used.map((f) => f.grade)),
        warning,
      };
    },
  };
}

/** A T&D-period figure of a voltage level and structure, by part. */
function tdFigure(
  p: TdPeriod,
  part: 'td' | 'funds' | 'demand' | 'capacity',
  v: VoltageLevel,
  s: TariffStructure,
): number | null {
  if (part === 'funds') return p.fundsCnyPerKwh;
  if (part === 'demand') return p.demandCnyPerKwMonth[v] ?? null;
  if (part === 'capacity') return p.capacityCnyPerKvaMonth[v] ?? null;
  return (s === 'two-part' ? p.twoPartCnyPerKwh : p.singlePartCnyPerKwh)[v] ?? null;
}

/** A rule reading a T&D-period figure of the province's tariff book, month by month. */
function tdRule(part: 'td' | 'funds' | 'demand' | 'capacity', what: string, text: string): DefaultRule {
  const unit = part === 'demand' ? 'CNY/kW/month' : part === 'capacity' ? 'CNY/kVA/month' : 'CNY/kWh';
  return {
    text,
    of: ({ ref, cref, years, resolved }) => {
      const v = resolved?.voltage;
      const st = resolved?.structure;
      if (!v || !st) return null;
      const book = own(ref.tariffBooks, cref.province);
      if (!book)
        return {
          value: 0,
          unit,
          byMonth: () => 0,
          source: `no tariff book for ${cref.province}: the ${what} is NOT FOUND`,
          grade: 'NOT FOUND',
          warning: `tariff: the ${what} is NOT FOUND for ${cref.province} and counted as 0 ${unit}; give it in the scenario`,
        };
      const periods: TdPeriod[] = [];
      let early: string | null = null;
      for (const y of years)
        for (let m = 1; m <= 12; m++) {
          const hit = datedAt(book.td, monthStart(y, m));
          if (hit.early && !early)
            early = `tariff: no ${cref.province} T&D table in force in ${y}: the earliest (${hit.item.label}) stands in`;
          periods.push(hit.item);
        }
      const used = [...new Set(periods)];
      // A two-part row below 1 kV does not exist: the 1–10 kV row stands in (said in the warning).
      let missing: string | null = null;
      const fig = (p: TdPeriod) => {
        const x = tdFigure(p, part, v, st);
        if (x !== null) return x;
        missing = `tariff: ${p.label} has no ${st} ${what} at ${v}: the 1–10 kV figure stands in`;
        return tdFigure(p, part, '1-10kV', st) ?? 0;
      };
      const vals = used.map(fig);
      const estimated = [...new Set(used.flatMap((p) => (p.estimated ? [p.estimated] : [])))];
      const sources =
        part === 'funds'
          ? used.map((p) => p.fundsSource ?? p.source)
          : used.map((p) => `${p.label}: ${p.source}`);
      const grades = part === 'funds' ? used.map((p) => p.fundsGrade ?? p.grade) : used.map((p) => p.grade);
      return {
        value:
          Math.min(...vals) === Math.max(...vals)
            ? vals[0]
            : `${Math.min(...vals)}–${Math.max(...vals)} ${unit} by period`,
        unit,
        byMonth: (y, m) =>
          fig(periods[(y - years[0]) * 12 + m] ?? datedAt(book.td, monthStart(y, m + 1)).item),
        source: `${part === 'funds' ? '' : `${st}, ${v}: `}${[...new Set(sources)].join(' | ')}`,
        grade: worstGrade(grades),
        warning:
          [early, missing, ...estimated.map((e) => `tariff: ${e}`)].filter(Boolean).join('\n') || undefined,
      };
    },
  };
}

/**
 * The default rules, each written once. A rule returns null when it has nothing to give (an
 * unknown id is reported by the preparation, not here).
 */
export const DEFAULT_RULES = {
  standardRackKw: {
    text: `${STANDARD_RACK_KW} kW: a standard rack (标准机架) is a ${STANDARD_RACK_KW} kW equivalent (MIIT statistics convention)`,
    of: () => ({
      value: STANDARD_RACK_KW,
      unit: 'kW',
      source: `MIIT statistics convention: 1 standard rack = ${STANDARD_RACK_KW} kW of IT [miit-standard-rack]`,
      grade: 'A',
    }),
  },
  seededShape: {
    text: 'the seeded default weekly utilisation shape (seeds/workload)',
    of: ({ ref }) => {
      const shape = own(ref.workloadShapes, ref.defaultWorkloadShape);
      return shape ? { value: shape.id, source: shape.source, grade: shape.grade } : null;
    },
  },
  shapeMean: {
    text: "the mean utilisation of the workload shape's trace",
    of: ({ ref, cluster }) => {
      const shape = own(ref.workloadShapes, cluster.workloadShape ?? ref.defaultWorkloadShape);
      return shape
        ? { value: shape.meanUtilisation, unit: '', source: shape.source, grade: shape.grade }
        : null;
    },
  },
  seededCurve: {
    text: 'the seeded default SPECpower_ssj2008 server curve (seeds/servers)',
    of: ({ ref }) => {
      const curve = own(ref.powerCurves, ref.defaultPowerCurve);
      return curve
        ? {
            value: ref.defaultPowerCurve,
            source: `${curve.label}: ${curve.source ?? 'no source given'}`,
            grade: curve.grade ?? 'NOT FOUND',
          }
        : null;
    },
  },
  designClass: {
    text: "the design's default facility class (see the cooling tables)",
    of: ({ cluster }) => {
      const design = cluster.cooling?.design;
      if (!design || !(COOLING_DESIGN_NAMES as readonly string[]).includes(design)) return null;
      return {
        value: designDefaultClass(design as CoolingDesignName),
        source: `dcplan default class of the ${design} design (parameter sets of Lei & Masanet 2022 [lei-masanet-2022])`,
        grade: 'assumption',
      };
    },
  },
  tariffCalendar: {
    text: "the province's TOU calendar in force in each month (seeds/tariffs; a user-added cluster's own calendar)",
    of: ({ ref, cref, years }) => {
      const cals = monthCalendars(ref, cref, years);
      if (!cals) return null;
      const used = [...new Set(cals.list)];
      const worst = Math.max(...used.flatMap((c) => c.sources.map((x) => GRADES.indexOf(x.grade))), 0);
      return {
        value: used
          .map((c) => `${c.id} (${c.effectiveFrom}${c.effectiveTo ? ` – ${c.effectiveTo}` : ''})`)
          .join(', '),
        source: used
          .map((c) => `${c.label}: ${[...new Set(c.sources.map((x) => x.source))].join('; ')}`)
          .join(' | '),
        grade: GRADES[worst],
        warning: cals.early ? `tariff.calendar: ${cals.early}` : undefined,
      };
    },
  },
  calendarFloats: {
    text: 'the components the calendar in force lets float (Hubei and Gansu: energy + line loss; Henan: energy + T&D)',
    of: ({ resolved }) => {
      const cals = resolved?.calendars;
      if (!cals?.length) return null;
      const kinds = [...new Set(cals.map((c) => floatsOf(c).join('+')))];
      return {
        value: kinds.join('; '),
        source: [
          ...new Set(
            cals.map(
              (c) =>
                c.sources.find((x) => x.field === 'floats')?.source ??
                `${c.label}: the energy price only (no rule seeded)`,
            ),
          ),
        ].join(' | '),
        grade:
          GRADES[
            Math.max(
              ...cals.map((c) =>
                GRADES.indexOf(c.sources.find((x) => x.field === 'floats')?.grade ?? 'assumption'),
              ),
            )
          ],
      };
    },
  },
  bookEnergy: bookRule(
    'energyCnyPerKwh',
    'energy',
    "the grid-agency purchase price of the month (the province's tariff book), else the provincial coal-fired benchmark",
  ),
  bookLineLoss: bookRule(
    'lineLossCnyPerKwh',
    'line-loss charge',
    "the grid-agency line-loss charge of the month (the province's tariff book)",
  ),
  bookSystemOperation: bookRule(
    'systemOperationCnyPerKwh',
    'system-operation charge',
    "the system-operation charge of the month (the province's tariff book)",
  ),
  bookTd: tdRule(
    'td',
    'T&D charge',
    "the T&D charge of the voltage level and structure in the regulatory period in force (the province's tariff book)",
  ),
  bookFunds: tdRule(
    'funds',
    'government funds',
    "the government funds of the regulatory period in force (the province's tariff book)",
  ),
  bookDemandRate: tdRule(
    'demand',
    'demand charge',
    "the demand charge of the voltage level in the regulatory period in force (the province's tariff book)",
  ),
  bookCapacityRate: tdRule(
    'capacity',
    'capacity charge',
    "the capacity charge of the voltage level in the regulatory period in force (the province's tariff book)",
  ),
  voltageByContract: {
    text: 'the voltage level of the largest contract capacity: < 100 kVA below 1 kV, ≤ 20,000 kVA 10 kV, ≤ 60,000 kVA 35 kV, ≤ 200,000 kVA 110 kV, else 220 kV',
    of: ({ resolved }) => {
      const kva = resolved?.maxContractKva;
      if (kva === undefined) return null;
      return {
        value: voltageForKva(kva),
        source: `largest contract ${Math.round(kva).toLocaleString('en-US')} kVA; 10 kV up to 20,000 kVA of transformers per State Grid's 10 kV connection rules (C) [gsgy-1996]; the 35/110/220 kV bands are a dcplan assumption (the 供电营业规则 sets the voltage case by case and no table of bands was found)`,
        grade: 'assumption',
      };
    },
  },
  structureByContract: {
    text: 'two-part from 315 kVA of contract capacity, single-part below (发改价格〔2023〕526号)',
    of: ({ resolved }) => {
      const kva = resolved?.maxContractKva;
      if (kva === undefined) return null;
      return {
        value: kva >= TWO_PART_FROM_KVA ? 'two-part' : 'single-part',
        source: `largest contract ${Math.round(kva).toLocaleString('en-US')} kVA: two-part is mandatory from 315 kVA, single-part up to 100 kVA, the customer's choice between (single-part assumed) — 发改价格〔2023〕526号 as summarised [ndrc-2023-526]`,
        grade: 'B',
      };
    },
  },
  twoPartKind: {
    text: 'a demand charge when the structure is two-part (the customer may choose capacity instead), none when single-part',
    of: ({ resolved }) =>
      resolved?.structure === undefined
        ? null
        : {
            value: resolved.structure === 'two-part' ? 'demand' : 'none',
            source:
              resolved.structure === 'two-part'
                ? "dcplan default: the demand charge (on the month's maximum demand, at least 40 % of the contract) — a data centre's steady load keeps it below the capacity charge on the whole contract"
                : 'single-part: no capacity or demand charge',
            grade: 'assumption',
          },
  },
  latitudeTilt: {
    text: '|latitude| of the climate site (a rule of thumb for fixed arrays)',
    of: ({ climate }) => ({
      value: Math.abs(climate.site.latDeg),
      unit: '°',
      source: 'dcplan default: tilt = |latitude|, a common rule of thumb for fixed arrays',
      grade: 'assumption',
    }),
  },
  equatorAzimuth: {
    text: '180 (south) north of the equator, else 0',
    of: ({ climate }) => ({
      value: climate.site.latDeg >= 0 ? 180 : 0,
      unit: '°',
      source: 'dcplan default: facing the equator (180° = south)',
      grade: 'assumption',
    }),
  },
  firstYear: {
    text: 'the first simulated year (`startYear`)',
    of: ({ years }) => ({
      value: years[0],
      unit: 'year',
      source: 'dcplan default: in service from the first simulated year',
      grade: 'assumption',
    }),
  },
  batteryCapex: {
    text: 'the seeded 2-h storage cost under 3 h of storage, the seeded 4-h cost from 3 h',
    of: ({ ref, hint }) => {
      const c = (hint ?? 2) >= 3 ? ref.costs.storageCapexCnyPerWh4h : ref.costs.storageCapexCnyPerWh2h;
      return { ...c, unit: 'CNY/Wh' };
    },
  },
  gridFactor: {
    text: 'the seeded factor of gridFactorScope for the year; the nearest published year is held, with a warning [provincial-grid-factors]',
    of: ({ cref, cluster, years }) => {
      const scope = cluster.gridFactorScope ?? 'province';
      const factors =
        scope === 'region'
          ? cref.regionGridFactors
          : scope === 'national'
            ? cref.nationalGridFactors
            : cref.gridFactors;
      if (!factors) return null;
      const what =
        scope === 'province'
          ? `${cref.province} provincial`
          : scope === 'region'
            ? `${cref.gridRegion} regional grid`
            : 'national average';
      const held = years.filter((y) => !nearestYearValue(factors.byYear, y).exact);
      return {
        value: `${what} factor by year`,
        byYear: (y) => nearestYearValue(factors.byYear, y).value,
        source: factors.source,
        grade: factors.grade,
        warning: held.length
          ? `gridFactorKgPerKwh: no published ${what} factor for ${held[0]}${held.length > 1 ? `–${held[held.length - 1]}` : ''}; the nearest published year is held (${factors.source})`
          : undefined,
      };
    },
  },
  windResource: {
    text: "the province's published wind utilisation hours (seeded), to which the station's hourly wind at hub height is scaled; else the station's wind as it is (with a warning)",
    of: ({ ref, cref }) => {
      const p = ref.assumptions.windFullLoadHoursByProvince;
      const hours = p?.provinces[cref.province] ?? null;
      if (p && hours !== null) return { value: hours, unit: 'h', source: p.source, grade: p.grade };
      return {
        value: 'station',
        source: p?.source ?? 'no provincial default seeded',
        grade: p?.grade ?? 'NOT FOUND',
      };
    },
  },
  residualFactor: {
    text: 'the national factor excluding market-traded non-fossil power for the year (MEE/NBS); the nearest published year is held [mee-nbs-2025-47]',
    of: ({ cref, years }) => {
      const f = cref.residualGridFactors;
      if (!f) return null;
      const held = years.filter((y) => !nearestYearValue(f.byYear, y).exact);
      return {
        value: 'national residual-mix factor by year',
        byYear: (y) => nearestYearValue(f.byYear, y).value,
        source: f.source,
        grade: f.grade,
        warning: held.length
          ? `residualFactorKgPerKwh: no published residual factor for ${held[0]}${held.length > 1 ? `–${held[held.length - 1]}` : ''}; the nearest published year is held`
          : undefined,
      };
    },
  },
  buildCost: {
    text: 'the mid-spec build cost per MW of IT (C&W 2025, converted at costs.cnyPerUsd) less its white-space share (billed per rack), plus the liquid-cooling premium for the liquid-cold-plate design',
    of: ({ ref, cluster }) => {
      const c = ref.costs;
      const liquid = cluster.cooling?.design === 'liquid-cold-plate';
      const perKw = (c.dcBuildUsdPerMwIt.value / 1000) * c.cnyPerUsd.value;
      const value =
        perKw * (1 - c.dcWhiteSpaceShare.value) * (liquid ? 1 + c.dcLiquidCoolingPremium.value : 1);
      const used = [
        c.dcBuildUsdPerMwIt,
        c.cnyPerUsd,
        c.dcWhiteSpaceShare,
        ...(liquid ? [c.dcLiquidCoolingPremium] : []),
      ];
      return {
        value: Number(value.toPrecision(12)),
        unit: 'CNY/kW',
        source: `USD ${c.dcBuildUsdPerMwIt.value / 1e6} M per MW × ${c.cnyPerUsd.value} CNY/USD × (1 − white space ${c.dcWhiteSpaceShare.value})${liquid ? ` × (1 + liquid-cooling premium ${c.dcLiquidCoolingPremium.value})` : ''}: ${c.dcBuildUsdPerMwIt.source}. Split ${buildSplitText(ref)}: ${c.dcShellShare.source}; power ${c.dcPowerShareOfCritical.value} of the critical share (${c.dcPowerShareOfCritical.source}). Chinese project totals give less (≈ 18–32 M CNY per MW, 2021–2024 [cn-dc-project-costs]): a low case to test`,
        grade: worstGrade([...used, c.dcShellShare, c.dcPowerShareOfCritical].map((u) => u.grade)),
      };
    },
  },
  fitOutCost: {
    text: 'the white-space share of the mid-spec build cost per MW, spread over mid-spec racks (costs.dcMidSpecKwPerRack)',
    of: ({ ref }) => {
      const c = ref.costs;
      const perKw = (c.dcBuildUsdPerMwIt.value / 1000) * c.cnyPerUsd.value;
      return {
        value: Number((perKw * c.dcWhiteSpaceShare.value * c.dcMidSpecKwPerRack.value).toPrecision(12)),
        unit: 'CNY',
        source: `USD ${c.dcBuildUsdPerMwIt.value / 1e6} M per MW × ${c.cnyPerUsd.value} CNY/USD × white space ${c.dcWhiteSpaceShare.value} × ${c.dcMidSpecKwPerRack.value} kW per rack (${c.dcMidSpecKwPerRack.source})`,
        grade: worstGrade([
          c.dcBuildUsdPerMwIt.grade,
          c.cnyPerUsd.grade,
          c.dcWhiteSpaceShare.grade,
          c.dcMidSpecKwPerRack.grade,
        ]),
      };
    },
  },
  staffCost: {
    text: 'the national average wage of the power-supply sector × the employer on-cost',
    of: ({ ref }) => {
      const c = ref.costs;
      return {
        value: Number((c.staffWageCnyPerYear.value * c.staffOnCost.value).toPrecision(12)),
        unit: 'CNY/yr',
        source: `${c.staffWageCnyPerYear.value} CNY (${c.staffWageCnyPerYear.source}) × ${c.staffOnCost.value} (${c.staffOnCost.source})`,
        grade: worstGrade([c.staffWageCnyPerYear.grade, c.staffOnCost.grade]),
      };
    },
  },
  clusterWater: {
    text: "the cluster's seeded non-residential water price (with sewage), where known",
    of: ({ cref }) =>
      cref.waterPrice
        ? { ...cref.waterPrice, unit: 'CNY/m^3' }
        : {
            value: 0,
            unit: 'CNY/m^3',
            source: `no water price seeded for ${cref.name}: NOT FOUND`,
            grade: 'NOT FOUND',
            warning: `finance.waterPriceCnyPerM3: no water price is seeded for ${cref.name}; water is counted as 0 CNY/m³ — give it in the scenario`,
          },
  },
  clusterOutbound: {
    text: "the cluster's seeded outbound capacity, where known (none: no bandwidth check)",
    of: ({ cref }) =>
      cref.outboundCapacityGbps === null
        ? null
        : {
            value: cref.outboundCapacityGbps,
            unit: 'Gbps',
            source: `the ${cref.name} cluster's seeded outbound capacity (seeds/clusters.json)`,
            grade: 'B',
          },
  },
} satisfies Record<string, DefaultRule>;

export type RuleName = keyof typeof DEFAULT_RULES;

/** The published value of `year`, else the nearest earlier published year's (the first one before them all). */
export function nearestYearValue(
  byYear: Record<string, number>,
  year: number,
): { value: number; exact: boolean } {
  const ys = Object.keys(byYear)
    .map(Number)
    .sort((a, b) => a - b);
  if (byYear[String(year)] !== undefined) return { value: byYear[String(year)], exact: true };
  const y = year < ys[0] ? ys[0] : ys.filter((v) => v <= year).pop()!;
  return { value: byYear[String(y)], exact: false };
}

// ---------------------------------------------------------------------------------------------------
// The rows

const _NONE = 'dcplan default: not modelled unless given';
const YEAR: Bounds = { min: 1990, max: 2100, integer: true };
const CNY: Bounds = { min: 0, max: 1e13 };
const CNY_PER_YEAR: Bounds = { min: 0, max: 1e12 };
const SHARE: Bounds = { min: 0, max: 1 };
const zero = (why: string): FieldDefault => ({
  value: 0,
  source: `dcplan default: 0 — ${why}`,
  grade: 'assumption',
});
const choiceDefault = (value: string, why: string): FieldDefault => ({
  value,
  source: `dcplan default: ${why}`,
  grade: 'assumption',
});

/** A field whose default, label, unit and bounds are a model table's row (declared there). */
function fromRow(row: InputRow, zh: string): FieldRow {
  const { value: _v, source: _s, grade: _g, label, unit, typical, distribution, ...bounds } = row;
  return { kind: 'number', label, zh, unit, typical, distribution, ...bounds, default: { row } };
}

/** The top-level fields of a scenario. */
export const SCENARIO_FIELDS: Record<string, FieldRow> = {
  name: { kind: 'text', label: 'Scenario name', zh: '情景名称', required: true, min: 1, maxLength: 200 },
  description: { kind: 'text', label: 'Description', zh: '说明', maxLength: 5000 },
  sources: { kind: 'texts', label: 'Sources the scenario draws on', zh: '情景依据的来源' },
  startYear: {
    kind: 'number',
    label: 'First simulated year',
    zh: '首个模拟年份',
    unit: 'year',
    required: true,
    ...YEAR,
  },
  years: {
    kind: 'number',
    label: 'Simulated years',
    zh: '模拟年数',
    unit: 'yr',
    required: true,
    min: 1,
    max: 100,
    integer: true,
  },
};

/** The fields of a cluster entry (and of the scenario's shared `defaults`), by path within the cluster. */
export const CLUSTER_FIELDS: Record<string, FieldRow> = {
  cluster: { kind: 'id', refers: 'cluster', label: 'Cluster id', zh: '集群', required: true },
  label: { kind: 'text', label: 'Label shown for the cluster', zh: '集群显示名称', maxLength: 200 },
  'buildout[].year': {
    kind: 'number',
    label: 'In service from (1 January)',
    zh: '投运年份（1月1日起）',
    unit: 'year',
    required: true,
    ...YEAR,
  },
  'buildout[].racks': {
    kind: 'quantity',
    label: 'Racks added',
    zh: '新增机架数',
    unit: 'rack',
    description: 'Physical racks this phase adds',
    min: 0,
    max: 1e6,
  },
  'buildout[].standardRacks': {
    kind: 'quantity',
    label: 'Standard racks added',
    zh: '新增标准机架数',
    unit: 'rack',
    description: 'Capacity added in 2.5 kW standard-rack equivalents',
    min: 0,
    max: 2e6,
  },
  'buildout[].itPowerKw': {
    kind: 'quantity',
    label: 'IT design power added',
    zh: '新增IT设计功率',
    unit: 'kW',
    min: 0,
    max: 1e7,
  },
  'buildout[].kwPerRack': {
    kind: 'quantity',
    label: 'Design power per rack',
    zh: '单机架设计功率',
    unit: 'kW',
    min: 0,
    exclusiveMin: true,
    max: 500,
    typical: { min: 2.5, max: 130 },
    default: { rule: 'standardRackKw' },
    designChoice: true,
  },
  'buildout[].retireYear': {
    kind: 'number',
    label: 'Retired from (1 January)',
    zh: '退役年份（1月1日起）',
    unit: 'year',
    ...YEAR,
  },
  occupancy: {
    kind: 'quantity',
    label: 'Occupancy (上架率)',
    zh: '上架率',
    unit: '',
    description: 'Fraction of built racks populated and powered',
    required: true,
    min: 0,
    max: 1,
    minPositive: 1e-6,
  },
  serverUtilisation: {
    kind: 'quantity',
    label: 'Mean server utilisation',
    zh: '服务器平均利用率',
    unit: '',
    description: 'Mean CPU load of installed servers; the weekly trace shape is scaled to it',
    min: 0,
    exclusiveMin: true,
    minPositive: 1e-6,
    max: 1,
    default: { rule: 'shapeMean' },
  },
  workloadShape: {
    kind: 'id',
    refers: 'shape',
    label: 'Weekly utilisation shape',
    zh: '周利用率曲线',
    default: { rule: 'seededShape' },
  },
  workloadPhaseShiftHours: {
    kind: 'number',
    label: 'Shift of the weekly shape',
    zh: '周曲线时移',
    unit: 'h',
    min: -167,
    max: 167,
    integer: true,
    default: { value: 0, source: "dcplan default: the trace's own hours, unshifted", grade: 'assumption' },
    designChoice: true,
  },
  powerCurve: {
    kind: 'id',
    refers: 'curve',
    label: 'Server power curve (SPECpower)',
    zh: '服务器功率曲线（SPECpower）',
    default: { rule: 'seededCurve' },
  },
  'cooling.design': { kind: 'id', refers: 'design', label: 'Cooling design', zh: '制冷方案', required: true },
  'cooling.facilityClass': {
    kind: 'choice',
    choices: ['hyperscale', 'large', 'small'],
    label: 'Facility class (parameter set of Lei & Masanet 2022)',
    zh: '设施等级（Lei & Masanet 2022 参数集）',
    default: { rule: 'designClass' },
  },
  'cooling.overrides': {
    kind: 'table',
    table: "the cooling design's parameters (cooling and electrical, by facility class)",
    label: 'Design parameter overrides',
    zh: '制冷方案参数覆盖',
  },
  'tariff.calendar': {
    kind: 'id',
    refers: 'calendar',
    label: 'TOU calendar (every month; default: the one in force each month)',
    zh: '分时电价日历',
    default: { rule: 'tariffCalendar' },
  },
  'tariff.voltage': {
    kind: 'choice',
    choices: VOLTAGE_LEVELS,
    label: 'Supply voltage level',
    zh: '供电电压等级',
    default: { rule: 'voltageByContract' },
  },
  'tariff.structure': {
    kind: 'choice',
    choices: ['single-part', 'two-part'],
    label: 'Billing structure',
    zh: '电价制度（单一制/两部制）',
    default: { rule: 'structureByContract' },
  },
  'tariff.contractKva': {
    kind: 'quantity',
    label: 'Contract capacity (transformer kVA)',
    zh: '合同容量',
    unit: 'kVA',
    min: 0,
    max: 1e8,
  },
  'tariff.contractKvaPerItKw': {
    kind: 'quantity',
    label: 'Contract capacity per kW of IT design power in service',
    zh: '每千瓦IT设计功率的合同容量',
    unit: 'kVA/kW',
    min: 0,
    max: 10,
    typical: { min: 1.1, max: 2 },
    default: {
      value: 1.3889,
      source:
        'dcplan default: a design peak PUE of 1.25 (the national hub-node cap for new large data centres) ÷ a power factor of 0.9 (the assessment standard of the power-factor adjustment rules for users above 100 kVA) = 1.389 kVA per kW of IT',
      grade: 'assumption',
    },
  },
  'tariff.energyPriceCnyPerKwh': {
    kind: 'quantity',
    label: 'Energy price of the flat period (the agency purchase price, or a market contract price)',
    zh: '电能量价格（平段：代理购电或市场交易价）',
    unit: 'CNY/kWh',
    min: 0,
    max: 10,
    default: { rule: 'bookEnergy' },
  },
  'tariff.lineLossCnyPerKwh': {
    kind: 'quantity',
    label: 'Line-loss charge',
    zh: '上网环节线损费用',
    unit: 'CNY/kWh',
    min: 0,
    max: 1,
    default: { rule: 'bookLineLoss' },
  },
  'tariff.tdCnyPerKwh': {
    kind: 'quantity',
    label: 'T&D charge (per kWh)',
    zh: '输配电价（电度）',
    unit: 'CNY/kWh',
    min: 0,
    max: 10,
    default: { rule: 'bookTd' },
  },
  'tariff.systemOperationCnyPerKwh': {
    kind: 'quantity',
    label: 'System-operation charge',
    zh: '系统运行费',
    unit: 'CNY/kWh',
    min: 0,
    max: 1,
    default: { rule: 'bookSystemOperation' },
  },
  'tariff.fundsCnyPerKwh': {
    kind: 'quantity',
    label: 'Government funds and surcharges',
    zh: '政府性基金及附加',
    unit: 'CNY/kWh',
    min: 0,
    max: 10,
    default: { rule: 'bookFunds' },
  },
  'tariff.touAppliesTo': {
    kind: 'choice',
    choices: ['energy', 'energy+lineloss', 'energy+td', 'energy+lineloss+td'],
    label: 'Parts of the price the TOU ratios multiply',
    zh: '分时系数适用的电价部分',
    default: { rule: 'calendarFloats' },
  },
  'tariff.twoPart.kind': {
    kind: 'choice',
    choices: ['none', 'capacity', 'demand'],
    label: 'Capacity or demand charge (the second part of a two-part tariff)',
    zh: '基本电价方式（容量/需量）',
    default: { rule: 'twoPartKind' },
  },
  'tariff.twoPart.cnyPerKvaMonth': {
    kind: 'quantity',
    label: 'Capacity charge',
    zh: '容量电价',
    unit: 'CNY/kVA/month',
    min: 0,
    max: 1000,
    default: { rule: 'bookCapacityRate' },
  },
  'tariff.twoPart.kva': {
    kind: 'quantity',
    label: 'Contract capacity (as tariff.contractKva)',
    zh: '合同容量',
    unit: 'kVA',
    min: 0,
    max: 1e8,
  },
  'tariff.twoPart.kvaPerItKw': {
    kind: 'quantity',
    label: 'Contract kVA per kW of IT design power (as tariff.contractKvaPerItKw)',
    zh: '每千瓦IT设计功率的合同容量',
    unit: 'kVA/kW',
    min: 0,
    max: 10,
  },
  'tariff.twoPart.cnyPerKwMonth': {
    kind: 'quantity',
    label: 'Demand charge',
    zh: '需量电价',
    unit: 'CNY/kW/month',
    min: 0,
    max: 1000,
    default: { rule: 'bookDemandRate' },
  },
  'tariff.incentive.kind': {
    kind: 'choice',
    choices: ['none', 'delivered-price', 'discount', 'cap', 'seeded'],
    label: 'Electricity incentive',
    zh: '电价优惠',
    default: choiceDefault('none', 'no incentive unless given'),
  },
  'tariff.incentive.cnyPerKwh': {
    kind: 'quantity',
    label: 'Delivered price or cap',
    zh: '到户电价或上限',
    unit: 'CNY/kWh',
    required: true,
    min: 0,
    max: 10,
  },
  'tariff.incentive.fraction': {
    kind: 'quantity',
    label: 'Discount on the energy bill',
    zh: '电费折扣',
    unit: '',
    required: true,
    ...SHARE,
  },
  'tariff.incentive.id': {
    kind: 'id',
    refers: 'incentive',
    label: 'A quantitative incentive from seeds/tariffs/incentives.json, by id',
    zh: '内置电价优惠（按编号）',
    required: true,
  },
  'tariff.escalation.kind': {
    kind: 'choice',
    choices: ['none', 'rate', 'schedule'],
    label: 'Energy-price escalation (multiplies energyPriceCnyPerKwh)',
    zh: '电能量价格逐年变化',
    default: choiceDefault('none', 'the energy price as given in every year'),
  },
  'tariff.escalation.ratePerYear': {
    kind: 'number',
    label: 'Escalation rate',
    zh: '年增长率',
    unit: '1/yr',
    required: true,
    min: -0.5,
    max: 1,
  },
  'tariff.escalation.baseYear': {
    kind: 'number',
    label: 'Base year of the rate',
    zh: '基准年',
    unit: 'year',
    required: true,
    ...YEAR,
  },
  'tariff.escalation.factors': {
    kind: 'structure',
    label: 'Price factor by year (held from each given year to the next)',
    zh: '逐年价格系数',
    unit: '',
    required: true,
    min: 0,
    max: 100,
  },
  greenShare: {
    kind: 'quantity',
    label: 'Contracted green-power share',
    zh: '绿电交易占比',
    unit: '',
    description: 'Share of facility energy bought as contracted green power (绿电交易)',
    ...SHARE,
    default: zero('no contracted green power unless given'),
  },
  'green.pv.dcKw': {
    kind: 'quantity',
    label: 'PV array DC rating',
    zh: '光伏直流装机',
    unit: 'kW',
    required: true,
    min: 0,
    max: 1e8,
  },
  'green.pv.tiltDeg': {
    kind: 'number',
    label: 'Tilt',
    zh: '倾角',
    unit: '°',
    min: 0,
    max: 90,
    default: { rule: 'latitudeTilt' },
    designChoice: true,
  },
  'green.pv.azimuthDeg': {
    kind: 'number',
    label: 'Azimuth (180 = south)',
    zh: '方位角（180 = 正南）',
    unit: '°',
    min: 0,
    max: 360,
    default: { rule: 'equatorAzimuth' },
    designChoice: true,
  },
  'green.pv.tracking': {
    kind: 'choice',
    choices: ['fixed', 'single-axis'],
    label: 'Mount',
    zh: '支架方式',
    default: choiceDefault('fixed', 'fixed mount unless the scenario says single-axis'),
  },
  'green.pv.beam': {
    kind: 'choice',
    choices: ['dni', 'ghi-dhi'],
    label: "Beam irradiance: the file's DNI or the closure rebuild (GHI − DHI)/cos z",
    zh: '直射辐照来源',
    default: choiceDefault('dni', "the weather file's direct normal irradiance"),
  },
  'green.pv.overrides': {
    kind: 'table',
    table: 'PV_TABLE (models/pv.ts)',
    label: 'PV parameter overrides (albedo, tempCoeffPerC, systemLoss, …)',
    zh: '光伏参数覆盖',
  },
  'green.pv.capexCnyPerW': {
    kind: 'quantity',
    label: 'PV installed cost per W',
    zh: '光伏单位造价',
    unit: 'CNY/W',
    min: 0,
    max: 100,
    default: { seed: 'costs.pvCapexCnyPerW' },
  },
  'green.pv.fromYear': {
    kind: 'number',
    label: 'PV in service from',
    zh: '光伏投运年份',
    unit: 'year',
    ...YEAR,
    default: { rule: 'firstYear' },
    designChoice: true,
  },
  'green.wind.ratedKw': {
    kind: 'quantity',
    label: 'Wind farm rating',
    zh: '风电装机',
    unit: 'kW',
    required: true,
    min: 0,
    max: 1e8,
  },
  'green.wind.hubHeightM': fromRow(WIND_TABLE.hubHeightM, '轮毂高度'),
  'green.wind.overrides': {
    kind: 'table',
    table: 'WIND_TABLE (models/wind.ts)',
    label: 'Wind parameter overrides (shearExponent, cutInMps, availability, …)',
    zh: '风电参数覆盖',
  },
  'green.wind.resource': {
    kind: 'structure',
    label:
      "Wind resource: the station's 10 m wind as it is ('station'), or its hourly shape scaled to a full-load-hours figure with its source",
    zh: '风资源',
    default: { rule: 'windResource' },
  },
  'green.wind.resource.fullLoadHours': {
    kind: 'number',
    label: 'Wind full-load hours',
    zh: '风电满发小时数',
    unit: 'h',
    required: true,
    min: 50,
    max: 6000,
  },
  'green.wind.resource.source': {
    kind: 'text',
    label: 'Where the figure comes from',
    zh: '数据来源',
    required: true,
    min: 1,
    maxLength: 500,
  },
  'green.wind.capexCnyPerW': {
    kind: 'quantity',
    label: 'Wind installed cost per W',
    zh: '风电单位造价',
    unit: 'CNY/W',
    min: 0,
    max: 100,
    default: { seed: 'costs.windCapexCnyPerW' },
  },
  'green.wind.fromYear': {
    kind: 'number',
    label: 'Wind in service from',
    zh: '风电投运年份',
    unit: 'year',
    ...YEAR,
    default: { rule: 'firstYear' },
    designChoice: true,
  },
  'green.battery.energyKwh': {
    kind: 'quantity',
    label: 'Battery energy',
    zh: '储能容量',
    unit: 'kWh',
    required: true,
    min: 0,
    max: 1e9,
  },
  'green.battery.powerKw': {
    kind: 'quantity',
    label: 'Battery power',
    zh: '储能功率',
    unit: 'kW',
    required: true,
    min: 0,
    max: 1e8,
  },
  'green.battery.policy': {
    kind: 'choice',
    choices: ['arbitrage', 'peak-shaving', 'surplus', 'optimal'],
    label: 'Dispatch policy',
    zh: '调度策略',
    required: true,
  },
  'green.battery.roundTripEfficiency': fromRow(BATTERY_TABLE.roundTripEfficiency, '往返效率'),
  'green.battery.depthOfDischarge': fromRow(BATTERY_TABLE.depthOfDischarge, '放电深度'),
  'green.battery.fadePerYear': fromRow(BATTERY_TABLE.fadePerYear, '年衰减率'),
  'green.battery.fadePerCycle': fromRow(BATTERY_TABLE.fadePerCycle, '每循环衰减率'),
  'green.battery.capexCnyPerWh': {
    kind: 'quantity',
    label: 'Battery installed cost per Wh',
    zh: '储能单位造价',
    unit: 'CNY/Wh',
    min: 0,
    max: 100,
    default: { rule: 'batteryCapex' },
  },
  'green.battery.fromYear': {
    kind: 'number',
    label: 'Battery in service from',
    zh: '储能投运年份',
    unit: 'year',
    ...YEAR,
    default: { rule: 'firstYear' },
    designChoice: true,
  },
  'green.contracted.share': {
    kind: 'quantity',
    label: 'Contracted green share of grid import',
    zh: '绿电交易占电网购电比例',
    unit: '',
    ...SHARE,
  },
  'green.contracted.mwh': {
    kind: 'quantity',
    label: 'Contracted green energy per year',
    zh: '年绿电交易电量',
    unit: 'MWh',
    min: 0,
    max: 1e9,
  },
  'green.contracted.premiumCnyPerMwh': {
    kind: 'quantity',
    label: 'Green-power premium over the grid price',
    zh: '绿电溢价',
    unit: 'CNY/MWh',
    min: -1000,
    max: 10000,
    default: zero('no premium unless given'),
  },
  'green.contracted.priceCnyPerMwh': {
    kind: 'quantity',
    label: 'Contracted green energy price (replaces the energy component; T&D and funds still apply)',
    zh: '绿电交易电能量价格',
    unit: 'CNY/MWh',
    min: 0,
    max: 10000,
  },
  'green.certificates.mwh': {
    kind: 'quantity',
    label: 'Green certificates (GEC) bought per year',
    zh: '年购绿证',
    unit: 'MWh',
    required: true,
    min: 0,
    max: 1e9,
  },
  'green.certificates.priceCnyPerMwh': {
    kind: 'quantity',
    label: 'Green certificate price',
    zh: '绿证价格',
    unit: 'CNY/MWh',
    min: 0,
    max: 1000,
    default: { seed: 'costs.certificatePriceCnyPerMwh' },
  },
  'green.exportCapKw': {
    kind: 'quantity',
    label: 'Export limit for on-site surplus',
    zh: '余电上网上限',
    unit: 'kW',
    min: 0,
    max: 1e8,
    default: zero('surplus the battery cannot take is curtailed'),
  },
  'green.exportPriceCnyPerKwh': {
    kind: 'quantity',
    label: 'Price for exported surplus',
    zh: '上网电价',
    unit: 'CNY/kWh',
    min: 0,
    max: 10,
    default: zero('no revenue for exported surplus unless given'),
  },
  gridFactorKgPerKwh: {
    kind: 'quantity',
    label: 'Grid emission factor',
    zh: '电网排放因子',
    unit: 'kg/kWh',
    min: 0,
    max: 2,
    default: { rule: 'gridFactor' },
  },
  residualFactorKgPerKwh: {
    kind: 'quantity',
    label: 'Residual-mix factor (market-based carbon)',
    zh: '剩余电力排放因子（基于市场法）',
    unit: 'kg/kWh',
    min: 0,
    max: 2,
    default: { rule: 'residualFactor' },
  },
  gridFactorScope: {
    kind: 'choice',
    choices: ['province', 'region', 'national'],
    label: 'Grid emission factor: provincial, regional grid or national average',
    zh: '电网排放因子范围',
    default: choiceDefault('province', 'the provincial average factor (MEE/NBS)'),
  },
  'network.gbpsPerStandardRack': {
    kind: 'quantity',
    label: 'Egress per occupied standard rack',
    zh: '每个在用标准机架的出口带宽',
    unit: 'Gbps',
    min: 0,
    max: 1000,
  },
  'network.peakFactor': {
    kind: 'quantity',
    label: 'Egress peak-to-mean factor',
    zh: '出口带宽峰均比',
    unit: '',
    min: 1,
    max: 20,
    default: { seed: 'assumptions.egressPeakFactor' },
  },
  'network.outboundCapacityGbps': {
    kind: 'quantity',
    label: 'Outbound bandwidth capacity',
    zh: '出省带宽',
    unit: 'Gbps',
    min: 0,
    max: 1e7,
    default: { rule: 'clusterOutbound' },
  },
  'network.equipmentMs': {
    kind: 'quantity',
    label: 'Fixed one-way latency of equipment and the IP layer',
    zh: '设备与IP层固定时延（单程）',
    unit: 'ms',
    min: 0,
    max: 100,
    typical: { min: 0, max: 5 },
    default: { seed: 'assumptions.latencyEquipmentMs' },
  },
  'network.routeFactor': {
    kind: 'quantity',
    label: 'Fibre route factor (route ÷ great-circle)',
    zh: '光纤路由系数',
    unit: '',
    min: 1,
    max: 5,
    default: { seed: 'assumptions.routeFactor' },
  },
  'finance.capexCnyPerRack': {
    kind: 'quantity',
    label: 'Capex per physical rack, all in (replaces the build cost model)',
    zh: '单机架投资（全部，替代按兆瓦估算）',
    unit: 'CNY',
    min: 0,
    max: 1e8,
  },
  'finance.capexCnyPerKwIt': {
    kind: 'quantity',
    label: 'Capex per kW of IT design power, all in (replaces the build cost model)',
    zh: '每千瓦IT投资（全部，替代按兆瓦估算）',
    unit: 'CNY/kW',
    min: 0,
    max: 1e7,
  },
  'finance.buildCnyPerKwIt': {
    kind: 'quantity',
    label: 'Build cost per kW of IT design power: shell, site, power, cooling, back of house',
    zh: '每千瓦IT建设投资（土建、场地、供电、制冷、辅助）',
    unit: 'CNY/kW',
    min: 0,
    max: 1e6,
    typical: { min: 15000, max: 70000 },
    default: { rule: 'buildCost' },
  },
  'finance.fitOutCnyPerRack': {
    kind: 'quantity',
    label: 'White-space fit-out per physical rack (cabinet, containment, busway, cabling)',
    zh: '单机架机房装修（机柜、封闭通道、母线、布线）',
    unit: 'CNY',
    min: 0,
    max: 1e7,
    typical: { min: 5000, max: 200000 },
    default: { rule: 'fitOutCost' },
  },
  'finance.itCapexCnyPerKw': {
    kind: 'quantity',
    label: 'IT equipment capex per kW (optional)',
    zh: 'IT设备投资（每千瓦）',
    unit: 'CNY/kW',
    min: 0,
    max: 1e7,
  },
  'finance.gridConnectionCny': {
    kind: 'quantity',
    label: 'Grid connection cost',
    zh: '电网接入费用',
    unit: 'CNY',
    ...CNY,
    default: zero('no grid connection cost unless given'),
  },
  'finance.rentCnyPerRackMonth': {
    kind: 'quantity',
    label: 'Rent per occupied physical rack-month (replaces the rent per kW)',
    zh: '机架月租金（每个已用机架）',
    unit: 'CNY',
    min: 0,
    max: 1e6,
  },
  'finance.rentCnyPerKwMonth': {
    kind: 'quantity',
    label: 'Rent per occupied kW of IT design power per month, power included',
    zh: '每千瓦月租金（含电费）',
    unit: 'CNY/kW/month',
    min: 0,
    max: 1e5,
    typical: { min: 150, max: 1500 },
    default: { seed: 'costs.rentCnyPerKwMonth', warnWhenUsed: true },
  },
  'finance.otherOpexCnyPerYear': {
    kind: 'quantity',
    label: 'Other fixed opex per year',
    zh: '其他固定运营费用',
    unit: 'CNY',
    ...CNY_PER_YEAR,
  },
  'finance.staffCnyPerYear': {
    kind: 'quantity',
    label: 'Staff per year, all in (replaces the staffing rule)',
    zh: '人员费用（全部，替代按人数估算）',
    unit: 'CNY',
    ...CNY_PER_YEAR,
  },
  'finance.staffPer10Mw': {
    kind: 'quantity',
    label: 'Facility staff for every 10 MW of IT design power in service (or part of it)',
    zh: '每10兆瓦IT运维人员',
    unit: '',
    min: 0,
    max: 1000,
    typical: { min: 8, max: 40 },
    default: { seed: 'costs.dcStaffPer10Mw' },
  },
  'finance.staffCostCnyPerYear': {
    kind: 'quantity',
    label: 'Employer cost of one member of staff per year',
    zh: '人均年用工成本',
    unit: 'CNY',
    min: 0,
    max: 1e7,
    typical: { min: 60000, max: 500000 },
    default: { rule: 'staffCost' },
  },
  'finance.maintenanceFractionOfCapex': {
    kind: 'quantity',
    label: 'Facility maintenance per year, share of the M&E plant capex (power and cooling)',
    zh: '年维护费（占机电设备投资比例）',
    unit: '',
    ...SHARE,
    typical: { min: 0.005, max: 0.05 },
    default: { seed: 'costs.dcMaintenanceFractionOfCapex' },
  },
  'finance.landLeaseCnyPerYear': {
    kind: 'quantity',
    label: 'Land lease per year (land is not in the build cost)',
    zh: '土地租金（建设投资不含土地）',
    unit: 'CNY',
    ...CNY_PER_YEAR,
  },
  'finance.facilityLifeYears': {
    kind: 'quantity',
    label: 'Facility life for the salvage value at the end of a run',
    zh: '设施寿命（用于期末残值）',
    unit: 'yr',
    min: 1,
    max: 100,
    typical: { min: 10, max: 40 },
    default: { seed: 'costs.dcFacilityLifeYears' },
  },
  'finance.incentiveAwardCny': {
    kind: 'quantity',
    label: 'One-off award in the first year (e.g. relocation award)',
    zh: '一次性奖励',
    unit: 'CNY',
    ...CNY,
    default: zero('no award unless given'),
  },
  'finance.waterPriceCnyPerM3': {
    kind: 'quantity',
    label: 'Water price (non-residential, with sewage)',
    zh: '水价（非居民，含污水处理费）',
    unit: 'CNY/m^3',
    min: 0,
    max: 100,
    typical: { min: 1, max: 15 },
    default: { rule: 'clusterWater' },
  },
  'finance.discountRate': {
    kind: 'number',
    label: 'Discount rate',
    zh: '折现率',
    unit: '1/yr',
    min: -0.5,
    max: 1,
    default: { seed: 'assumptions.discountRate' },
  },
  'targets.include': {
    kind: 'ids',
    refers: 'target',
    label: 'Targets to check besides those that bind',
    zh: '额外检查的目标',
  },
  'targets.exclude': { kind: 'ids', refers: 'target', label: 'Targets not to check', zh: '不检查的目标' },
};

/** Paths of structural fields, documented by hand (they hold other fields or notes, not inputs). */
export const STRUCTURAL_FIELDS = ['$comment', '$schema', 'defaults', 'clusters'] as const;

/**
 * The row of a cluster field (`tariff.energyPriceCnyPerKwh`); throws for a path without one, so a
 * renamed field cannot lose its declaration.
 */
export function clusterField(path: string): FieldRow {
  const row = CLUSTER_FIELDS[path];
  if (!row) throw new Error(`no input row for clusters[].${path} (models/inputs.ts)`);
  return row;
}

/** The row of a top-level scenario field. */
export function scenarioField(path: string): FieldRow {
  const row = SCENARIO_FIELDS[path];
  if (!row) throw new Error(`no input row for ${path} (models/inputs.ts)`);
  return row;
}

/**
 * The default of a field as a run uses it (value, source, grade, warning), from its row; null when
 * the row has none or its rule gives none.
 *
 * @example
 * defaultOf('network.routeFactor', ctx) // → { value: 1.89, source: '…', grade: 'D' }
 */
export function defaultOf(path: string, c: RuleContext): SourcedValue | null {
  const d = clusterField(path).default;
  if (!d) return null;
  if ('row' in d) return { value: d.row.value, unit: d.row.unit, source: d.row.source, grade: d.row.grade };
  if ('rule' in d) return DEFAULT_RULES[d.rule].of(c);
  if ('seed' in d) {
    const s = seeded(c.ref, d.seed);
    const unit = clusterField(path).unit;
    return {
      ...s,
      unit,
      warning: d.warnWhenUsed
        ? `${path} not given: counted as ${s.value}${unit ? ` ${unit}` : ''} (${s.source})`
        : undefined,
    };
  }
  return { ...d, unit: typeof d.value === 'number' ? clusterField(path).unit : undefined };
}

/** A seeded default through its path in the engine reference (value, source and grade). */
export function seeded(ref: Pick<EngineReference, 'assumptions' | 'costs'>, seed: SeedPath): SourcedDefault {
  const [group, key] = seed.split('.') as ['assumptions' | 'costs', string];
  const v = (ref[group] as Record<string, SourcedDefault | undefined>)[key];
  if (!v) throw new Error(`the engine reference has no ${seed}`);
  return v;
}

/** The one line a field's default reads in the docs and the schema (`x-default`). */
export function defaultText(row: FieldRow): string | null {
  const d = row.default;
  if (!d) return null;
  if ('row' in d) return `${d.row.value}${d.row.unit ? ` ${d.row.unit}` : ''}`;
  if ('rule' in d) return DEFAULT_RULES[d.rule].text;
  if ('seed' in d) return `seeded (${d.seed})${d.warnWhenUsed ? ', with a warning' : ''}`;
  return typeof d.value === 'number' ? `${d.value}${row.unit ? ` ${row.unit}` : ''}` : `\`${d.value}\``;
}
