import { type BuildoutPhase, capacityInYear } from '../capacity.ts';
import { GRADES, seededDefault } from '../inputs.ts';
import { type ClusterScenario, type QuantityRule, RULES, ValidationError } from '../scenario.ts';
import { escalationFactor, type TariffCalendar, type TariffInput } from '../tariff.ts';
import {
  optional,
  orDefault,
  own,
  type PrepareContext,
  type Resolved,
  unknownRef,
  useDefault,
} from './resolve.ts';

type TariffChoice = NonNullable<ClusterScenario['tariff']>;

/** The cluster's TOU calendar (or the scenario's choice), with a warning when it is a draft or superseded. */
function tariffCalendar(ctx: PrepareContext, t: TariffChoice): TariffCalendar {
  const calendarId = t.calendar ?? ctx.cref.tariffCalendar;
  const calendar = own(ctx.ref.tariffCalendars, calendarId);
  if (!calendar)
    throw unknownRef(`${ctx.p}.tariff.calendar`, 'tariff calendar', calendarId, ctx.ref.tariffCalendars);
  if (t.calendar === undefined) {
    // The calendar's weakest field grade is its grade: a calendar is as sure as its least sure part.
    const worst = calendar.sources.reduce((w, s) => Math.max(w, GRADES.indexOf(s.grade)), 0);
    useDefault(ctx, 'tariff.calendar', {
      value: calendar.id,
      source: `${calendar.label} (${calendar.status}, from ${calendar.effectiveFrom}): ${[...new Set(calendar.sources.map((s) => s.source))].join('; ')}`,
      grade: GRADES[worst],
    });
  }
  if (calendar.status === 'draft') {
    ctx.warnings.push(
      `tariff calendar ${calendar.id} is a consultation DRAFT (${calendar.label}); the final text is NOT FOUND`,
    );
  } else if (calendar.status === 'superseded') {
    ctx.warnings.push(`tariff calendar ${calendar.id} has been superseded (${calendar.label})`);
  }
  return calendar;
}

/** T&D or funds: the scenario's, else the seeded figure (NOT FOUND: 0), with a warning. */
function chargeOrZero(
  ctx: PrepareContext,
  t: TariffChoice,
  field: 'tdCnyPerKwh' | 'fundsCnyPerKwh',
  rule: QuantityRule,
): Resolved {
  const given = t[field];
  const a = seededDefault(ctx.ref, `tariff.${field}`);
  const r = orDefault(ctx, given, rule, `tariff.${field}`, `tariff.${field}`, a);
  if (given === undefined)
    ctx.warnings.push(`tariff.${field} not given: counted as ${a.value} CNY/kWh (${a.source})`);
  return r;
}

/** The two-part charge (capacity per kVA, demand per kW, or none) as a function of year and IT design power. */
function twoPartCharge(
  ctx: PrepareContext,
  t: TariffChoice,
): (y: number, designItKw: number) => TariffInput['twoPart'] {
  const twoPart = t.twoPart ?? { kind: 'none' as const };
  const tp = 'tariff.twoPart';
  if (twoPart.kind === 'capacity') {
    const rate = optional(ctx, twoPart.cnyPerKvaMonth, RULES.capacityCharge, `${tp}.cnyPerKvaMonth`)!;
    if (twoPart.kva === undefined && twoPart.kvaPerItKw === undefined) {
      throw new ValidationError([{ path: `${ctx.p}.${tp}.kva`, message: 'give kva or kvaPerItKw' }]);
    }
    const kva = optional(ctx, twoPart.kva, RULES.kva, `${tp}.kva`);
    const perKw = optional(ctx, twoPart.kvaPerItKw, RULES.kvaPerItKw, `${tp}.kvaPerItKw`);
    return (y, designItKw) => ({
      kind: 'capacity',
      cnyPerKvaMonth: rate(y),
      kva: kva ? kva(y) : perKw!(y) * designItKw,
    });
  }
  if (twoPart.kind === 'demand') {
    const rate = optional(ctx, twoPart.cnyPerKwMonth, RULES.demandCharge, `${tp}.cnyPerKwMonth`)!;
    return (y) => ({ kind: 'demand', cnyPerKwMonth: rate(y) });
  }
  return () => ({ kind: 'none' });
}

/** The incentive: the scenario's own, or a seeded one by id (checked against the cluster's province). */
function incentive(ctx: PrepareContext, t: TariffChoice): (y: number) => TariffInput['incentive'] {
  const { p, cref, ref } = ctx;
  let inc = t.incentive ?? { kind: 'none' as const };
  if (inc.kind === 'seeded') {
    const s = own(ref.incentives, inc.id);
    if (!s) throw unknownRef(`${p}.tariff.incentive.id`, 'incentive', inc.id, ref.incentives ?? {});
    if (s.province !== 'all' && s.province !== cref.province)
      throw new ValidationError([
        {
          path: `${p}.tariff.incentive.id`,
          message: `incentive "${inc.id}" is for ${s.province}, not ${cref.province}`,
        },
      ]);
    useDefault(ctx, 'tariff.incentive', {
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
    const v = optional(ctx, inc.cnyPerKwh, RULES.deliveredPrice, 'tariff.incentive.cnyPerKwh')!;
    const kind = inc.kind;
    return (y) => ({ kind, cnyPerKwh: v(y) });
  }
  if (inc.kind === 'discount') {
    const v = optional(ctx, inc.fraction, RULES.discount, 'tariff.incentive.fraction')!;
    return (y) => ({ kind: 'discount', fraction: v(y) });
  }
  return () => ({ kind: 'none' });
}

/**
 * The cluster's electricity tariff in every year: calendar, energy price (the scenario's, else the
 * provincial benchmark), T&D and funds, two-part charge, incentive and escalation.
 */
export function prepareTariff(
  ctx: PrepareContext,
  t: TariffChoice,
  phases: BuildoutPhase[],
): { calendar: TariffCalendar; tariffAt: (year: number) => TariffInput } {
  const calendar = tariffCalendar(ctx, t);
  const energyPrice = orDefault(
    ctx,
    t.energyPriceCnyPerKwh,
    RULES.energyPrice,
    'tariff.energyPriceCnyPerKwh',
    'tariff.energyPriceCnyPerKwh',
    ctx.cref.referenceEnergyPrice,
  );
  const td = chargeOrZero(ctx, t, 'tdCnyPerKwh', RULES.tdPrice);
  const funds = chargeOrZero(ctx, t, 'fundsCnyPerKwh', RULES.funds);
  const twoPartAt = twoPartCharge(ctx, t);
  const incentiveAt = incentive(ctx, t);
  const touAppliesTo = t.touAppliesTo ?? 'energy';
  const escalation = t.escalation ?? { kind: 'none' as const };
  const tariffAt = (y: number): TariffInput => ({
    calendar,
    energyPriceCnyPerKwh: energyPrice(y) * escalationFactor(escalation, y),
    tdCnyPerKwh: td(y),
    fundsCnyPerKwh: funds(y),
    touAppliesTo,
    twoPart: twoPartAt(y, capacityInYear(phases, y).designItKw),
    incentive: incentiveAt(y),
  });
  return { calendar, tariffAt };
}
