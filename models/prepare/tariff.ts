import { type BuildoutPhase, capacityInYear } from '../capacity.ts';
import { type ClusterScenario, ValidationError } from '../scenario.ts';
import { escalationFactor, type TariffCalendar, type TariffInput } from '../tariff.ts';
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

/** The cluster's TOU calendar (or the scenario's choice), with a warning when it is a draft or superseded. */
function tariffCalendar(ctx: PrepareContext, t: TariffChoice): TariffCalendar {
  const calendarId = plain(ctx, 'tariff.calendar', t.calendar) as string;
  const calendar = own(ctx.ref.tariffCalendars, calendarId);
  if (!calendar)
    throw unknownRef(`${ctx.p}.tariff.calendar`, 'tariff calendar', calendarId, ctx.ref.tariffCalendars);
  if (calendar.status === 'draft') {
    ctx.warnings.push(
      `tariff calendar ${calendar.id} is a consultation DRAFT (${calendar.label}); the final text is NOT FOUND`,
    );
  } else if (calendar.status === 'superseded') {
    ctx.warnings.push(`tariff calendar ${calendar.id} has been superseded (${calendar.label})`);
  }
  return calendar;
}

/** The two-part charge (capacity per kVA, demand per kW, or none) as a function of year and IT design power. */
function twoPartCharge(
  ctx: PrepareContext,
  t: TariffChoice,
): (y: number, designItKw: number) => TariffInput['twoPart'] {
  if (t.twoPart === undefined) useDefault(ctx, 'tariff.twoPart.kind');
  const twoPart = t.twoPart ?? { kind: 'none' as const };
  const tp = 'tariff.twoPart';
  if (twoPart.kind === 'capacity') {
    const rate = quantityOrThrow(ctx, `${tp}.cnyPerKvaMonth`, twoPart.cnyPerKvaMonth);
    if (twoPart.kva === undefined && twoPart.kvaPerItKw === undefined) {
      throw new ValidationError([{ path: `${ctx.p}.${tp}.kva`, message: 'give kva or kvaPerItKw' }]);
    }
    const kva = quantity(ctx, `${tp}.kva`, twoPart.kva);
    const perKw = quantity(ctx, `${tp}.kvaPerItKw`, twoPart.kvaPerItKw);
    return (y, designItKw) => ({
      kind: 'capacity',
      cnyPerKvaMonth: rate(y),
      kva: kva ? kva(y) : (perKw as Resolved)(y) * designItKw,
    });
  }
  if (twoPart.kind === 'demand') {
    const rate = quantityOrThrow(ctx, `${tp}.cnyPerKwMonth`, twoPart.cnyPerKwMonth);
    return (y) => ({ kind: 'demand', cnyPerKwMonth: rate(y) });
  }
  return () => ({ kind: 'none' });
}

/** The incentive: the scenario's own, or a seeded one by id (checked against the cluster's province). */
function incentive(ctx: PrepareContext, t: TariffChoice): (y: number) => TariffInput['incentive'] {
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

/**
 * The cluster's electricity tariff in every year: calendar, energy price (the scenario's, else the
 * provincial benchmark), T&D and funds, two-part charge, incentive and escalation — each default from
 * its input row (models/inputs.ts), listed.
 */
export function prepareTariff(
  ctx: PrepareContext,
  t: TariffChoice,
  phases: BuildoutPhase[],
): { calendar: TariffCalendar; tariffAt: (year: number) => TariffInput } {
  const calendar = tariffCalendar(ctx, t);
  const energyPrice = quantityOrThrow(ctx, 'tariff.energyPriceCnyPerKwh', t.energyPriceCnyPerKwh);
  const td = quantityOrThrow(ctx, 'tariff.tdCnyPerKwh', t.tdCnyPerKwh);
  const funds = quantityOrThrow(ctx, 'tariff.fundsCnyPerKwh', t.fundsCnyPerKwh);
  const twoPartAt = twoPartCharge(ctx, t);
  const incentiveAt = incentive(ctx, t);
  const touAppliesTo = plain(ctx, 'tariff.touAppliesTo', t.touAppliesTo) as TariffInput['touAppliesTo'];
  if (t.escalation === undefined) useDefault(ctx, 'tariff.escalation.kind');
  const escalation = t.escalation ?? { kind: 'none' as const };
  const tariffAt = (y: number): TariffInput => ({
    calendar,
    energyPriceCnyPerKwh: energyPrice(y) * escalationFactor(escalation as never, y),
    tdCnyPerKwh: td(y),
    fundsCnyPerKwh: funds(y),
    touAppliesTo,
    twoPart: twoPartAt(y, capacityInYear(phases, y).designItKw),
    incentive: incentiveAt(y),
  });
  return { calendar, tariffAt };
}
