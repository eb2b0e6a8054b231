import { type BuildoutPhase, capacityInYear } from '../capacity.ts';
import { floatsOf, monthCalendars, type SourcedValue, type TariffResolved } from '../inputs.ts';
import { type ClusterScenario, ValidationError } from '../scenario.ts';
import {
  escalationFactor,
  type Incentive,
  type MonthTariff,
  PRICE_COMPONENTS,
  type PriceComponent,
  type TariffCalendar,
  type TariffInput,
  type TariffStructure,
  type TwoPart,
  type VoltageLevel,
} from '../tariff.ts';
import {
  own,
  type PrepareContext,
  plain,
  quantity,
  quantityOrThrow,
  type Resolved,
  unknownRef,
  useDefault,
} from './resolve.ts';

type TariffChoice = NonNullable<ClusterScenario['tariff']>;

/** A per-kWh component or rate of a year's month (0–11): the scenario's value, or the tariff book's. */
type Monthly = (year: number, month: number) => number;

/** The scenario's `touAppliesTo` as the components it names. */
const FLOATS: Record<string, PriceComponent[]> = {
  energy: ['energy'],
  'energy+lineloss': ['energy', 'lineLoss'],
  'energy+td': ['energy', 'td'],
  'energy+lineloss+td': ['energy', 'lineLoss', 'td'],
};

/**
 * The calendar of every month of the simulated years: the scenario's (every month), else the
 * province's in force each month (the row's rule); a warning for a draft or superseded calendar the
 * scenario picks.
 */
function calendars(ctx: PrepareContext, t: TariffChoice): TariffCalendar[] {
  if (t.calendar !== undefined) {
    const calendar = own(ctx.ref.tariffCalendars, t.calendar);
    if (!calendar)
      throw unknownRef(`${ctx.p}.tariff.calendar`, 'tariff calendar', t.calendar, ctx.ref.tariffCalendars);
    if (calendar.status === 'draft')
      ctx.warnings.push(
        `tariff calendar ${calendar.id} is a consultation DRAFT (${calendar.label}); the final text is NOT FOUND`,
      );
    else if (calendar.status === 'superseded')
      ctx.warnings.push(`tariff calendar ${calendar.id} has been superseded (${calendar.label})`);
    return ctx.years.flatMap(() => Array<TariffCalendar>(12).fill(calendar));
  }
  const found = monthCalendars(ctx.ref, ctx.cref, ctx.years);
  if (!found)
    throw new ValidationError([
      {
        path: `${ctx.p}.tariff.calendar`,
        message: `no TOU calendar seeded for ${ctx.cref.province}: give one (known: ${Object.keys(ctx.ref.tariffCalendars).sort().join(', ')})`,
      },
    ]);
  useDefault(ctx, 'tariff.calendar');
  return found.list;
}

/**
 * Contract capacity of each year, kVA: the scenario's, else the IT design power in service × the kVA
 * per kW (the scenario's or the row's default, listed).
 */
function contractKva(ctx: PrepareContext, t: TariffChoice, phases: BuildoutPhase[]): Resolved {
  const tp = t.twoPart?.kind === 'capacity' ? t.twoPart : undefined;
  const fixed =
    quantity(ctx, 'tariff.contractKva', t.contractKva) ?? quantity(ctx, 'tariff.twoPart.kva', tp?.kva);
  if (fixed) return fixed;
  const perKw =
    quantity(ctx, 'tariff.twoPart.kvaPerItKw', tp?.kvaPerItKw) ??
    quantityOrThrow(ctx, 'tariff.contractKvaPerItKw', t.contractKvaPerItKw);
  return (y) => perKw(y) * capacityInYear(phases, y).designItKw;
}

/** A component or rate by month: the scenario's quantity (every month of its year), else the row's rule. */
function monthly(ctx: PrepareContext, path: string, given: unknown, resolved: TariffResolved): Monthly {
  if (given !== undefined) {
    const r = quantityOrThrow(ctx, path, given);
    return (y) => r(y);
  }
  const d = useDefault(ctx, path, { resolved }) as SourcedValue;
  const byMonth = d.byMonth;
  if (byMonth) return byMonth;
  const v = d.value as number;
  return () => v;
}

/** The second part: none, capacity or demand, on the year's contract, at the month's rate. */
function twoPartAt(
  ctx: PrepareContext,
  t: TariffChoice,
  structure: TariffStructure,
  resolved: TariffResolved,
  kva: Resolved,
): (y: number) => TwoPart {
  if (structure === 'single-part') {
    if (t.twoPart === undefined) useDefault(ctx, 'tariff.twoPart.kind', { resolved });
    return () => ({ kind: 'none' });
  }
  const kind = t.twoPart?.kind ?? (useDefault(ctx, 'tariff.twoPart.kind', { resolved })?.value as string);
  if (kind === 'capacity') {
    const given = t.twoPart?.kind === 'capacity' ? t.twoPart.cnyPerKvaMonth : undefined;
    const rate = monthly(ctx, 'tariff.twoPart.cnyPerKvaMonth', given, resolved);
    return (y) => ({
      kind: 'capacity',
      kva: kva(y),
      cnyPerKvaMonth: Array.from({ length: 12 }, (_, m) => rate(y, m)),
    });
  }
  const given = t.twoPart?.kind === 'demand' ? t.twoPart.cnyPerKwMonth : undefined;
  const rate = monthly(ctx, 'tariff.twoPart.cnyPerKwMonth', given, resolved);
  return (y) => ({
    kind: 'demand',
    kva: kva(y),
    cnyPerKwMonth: Array.from({ length: 12 }, (_, m) => rate(y, m)),
  });
}

/** The incentive: the scenario's own, or a seeded one by id (checked against the cluster's province). */
function incentive(ctx: PrepareContext, t: TariffChoice): (y: number) => Incentive {
  const { p, cref, ref } = ctx;
  if (t.incentive === undefined) useDefault(ctx, 'tariff.incentive.kind');
  let inc = t.incentive ?? { kind: 'none' as const };
  if (inc.kind === 'seeded') {
    const s = own(ref.incentives, inc.id as string);
    if (!s) throw unknownRef(`${p}.tariff.incentive.id`, 'incentive', inc.id as string, ref.incentives ?? {});
    if (s.province !== 'all' && s.province !== cref.province)
      throw new ValidationError([
        {
          path: `${p}.tariff.incentive.id`,
          message: `incentive "${inc.id}" is for ${s.province}, not ${cref.province}`,
        },
      ]);
    ctx.assumptions.push({
      field: 'tariff.incentive',
      value: `${s.kind} ${s.kind === 'discount' ? s.fraction : s.cnyPerKwh}`,
      source: `${s.label} — ${s.source}`,
      grade: s.grade,
    });
    inc =
      s.kind === 'discount'
        ? { kind: 'discount' as const, fraction: s.fraction! }
        : { kind: s.kind, cnyPerKwh: s.cnyPerKwh! };
  }
  if (inc.kind === 'delivered-price' || inc.kind === 'cap') {
    const v = quantityOrThrow(ctx, 'tariff.incentive.cnyPerKwh', inc.cnyPerKwh);
    const kind = inc.kind;
    return (y) => ({ kind, cnyPerKwh: v(y) });
  }
  if (inc.kind === 'discount') {
    const v = quantityOrThrow(ctx, 'tariff.incentive.fraction', inc.fraction);
    return (y) => ({ kind: 'discount', fraction: v(y) });
  }
  return () => ({ kind: 'none' });
}

/** What `prepareTariff` gives: the tariff of every year, the calendar of every month, the voltage and structure. */
export interface PreparedTariff {
  tariffAt: (year: number) => TariffInput;
  /** The calendar of month `m` (0–11) of `year`. */
  calendarAt: (year: number, month: number) => TariffCalendar;
  voltage: VoltageLevel;
  structure: TariffStructure;
  /** Largest contract capacity over the simulated years, kVA. */
  maxContractKva: number;
}

/**
 * The cluster's electricity tariff in every month of every year, as the grid bills it: the calendar
 * in force; energy, line loss, T&D (by voltage and structure), system operation and funds — each the
 * scenario's or the province's tariff book's (models/inputs.ts rules, listed); the components the
 * calendar floats; the capacity or demand charge on the contract capacity; incentive and escalation.
 */
export function prepareTariff(ctx: PrepareContext, t: TariffChoice, phases: BuildoutPhase[]): PreparedTariff {
  const cals = calendars(ctx, t);
  const kva = contractKva(ctx, t, phases);
  const maxContractKva = Math.max(0, ...ctx.years.map(kva));
  const base: TariffResolved = { maxContractKva, calendars: [...new Set(cals)] };
  const voltage = plain(ctx, 'tariff.voltage', t.voltage, { resolved: base }) as VoltageLevel;
  const structure: TariffStructure =
    t.twoPart !== undefined
      ? t.twoPart.kind === 'none'
        ? 'single-part'
        : 'two-part'
      : (plain(ctx, 'tariff.structure', t.structure, { resolved: base }) as TariffStructure);
  const resolved: TariffResolved = { ...base, voltage, structure };
  const floatsGiven = t.touAppliesTo !== undefined ? FLOATS[t.touAppliesTo] : null;
  if (!floatsGiven) useDefault(ctx, 'tariff.touAppliesTo', { resolved });
  const comp: Record<PriceComponent, Monthly> = {
    energy: monthly(ctx, 'tariff.energyPriceCnyPerKwh', t.energyPriceCnyPerKwh, resolved),
    lineLoss: monthly(ctx, 'tariff.lineLossCnyPerKwh', t.lineLossCnyPerKwh, resolved),
    td: monthly(ctx, 'tariff.tdCnyPerKwh', t.tdCnyPerKwh, resolved),
    systemOperation: monthly(ctx, 'tariff.systemOperationCnyPerKwh', t.systemOperationCnyPerKwh, resolved),
    funds: monthly(ctx, 'tariff.fundsCnyPerKwh', t.fundsCnyPerKwh, resolved),
  };
  const second = twoPartAt(ctx, t, structure, resolved, kva);
  const incentiveAt = incentive(ctx, t);
  if (t.escalation === undefined) useDefault(ctx, 'tariff.escalation.kind');
  const escalation = t.escalation ?? { kind: 'none' as const };
  const first = ctx.years[0];
  const calendarAt = (y: number, m: number) =>
    cals[Math.min(cals.length - 1, Math.max(0, (y - first) * 12 + m))];
  const tariffAt = (y: number): TariffInput => {
    const esc = escalationFactor(escalation as never, y);
    const months: MonthTariff[] = Array.from({ length: 12 }, (_, m) => {
      const calendar = calendarAt(y, m);
      const components = Object.fromEntries(
        PRICE_COMPONENTS.map((c) => [c, comp[c](y, m) * (c === 'energy' ? esc : 1)]),
      ) as Record<PriceComponent, number>;
      return { calendar, components, floats: floatsGiven ?? (floatsOf(calendar) as PriceComponent[]) };
    });
    return { months, twoPart: second(y), incentive: incentiveAt(y) };
  };
  return { tariffAt, calendarAt, voltage, structure, maxContractKva };
}
