import type { CheckResult } from '../models/operator/check.ts';
import { METER_COLUMNS, type MeterRefusal } from '../models/operator/meter.ts';

const f = (v: number | null | undefined, d: number) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${f(v * 100, 1)} %`);

/** A refused meter file as the CLI prints it: one line per defect (the first 20 and a count). */
export function formatRefusal(file: string, r: MeterRefusal): string {
  const lines = r.defects.map((d) => `${file}:${d.line}${d.column ? ` [${d.column}]` : ''}: ${d.message}`);
  if (r.total > r.defects.length)
    lines.push(`… and ${r.total - r.defects.length} more defects (${r.total} in all)`);
  lines.push(
    `nothing was checked: fix the file and run again (columns: ${METER_COLUMNS.map((c) => c.name).join(', ')})`,
  );
  return `${lines.join('\n')}\n`;
}

/** The operator's scorecard as text: coverage, metrics, benchmarks, months, calibration, retrofits. */
export function formatCheck(r: CheckResult): string {
  const out: string[] = [];
  const s = r.site;
  out.push(
    `Meter check — ${s.name} [${s.cluster}, ${s.province}]; plant modelled as ${s.cooling} (${s.facilityClass} class), ${f(s.designItKw, 0)} kW IT design power, UPS online ${f(s.upsOnlineKw, 0)} kW`,
  );
  out.push(`  coverage: ${r.coverage.note}`);
  out.push(`  ${r.category.note}`);
  out.push('');
  out.push(
    `  PUE ${f(r.pue, 3)} (GB 40879 grade ${r.gb40879Grade ?? '—'})   pPUE cooling ${f(r.pPueCooling, 3)}   WUE ${f(r.wueLPerKwh, 3)} L/kWh   ERF ${pct(r.erf)}`,
  );
  out.push(
    `  CUE ${f(r.cueLocationKgPerKwh, 3)} kg/kWh location-based, ${f(r.cueMarketKgPerKwh, 3)} market-based   REF / green share ${pct(r.ref)}`,
  );
  out.push('');
  out.push('  benchmarks:');
  for (const t of r.targets) {
    const status = t.met === null ? 'n/a ' : t.met ? 'MET ' : 'MISS';
    const v = t.metric === 'greenShare' ? pct(t.value) : f(t.value, t.metric === 'gb40879Grade' ? 0 : 3);
    const lim = t.metric === 'greenShare' ? pct(t.limit) : f(t.limit, t.metric === 'gb40879Grade' ? 0 : 3);
    const months = t.monthsMissed.length
      ? `; missed in ${t.monthsMissed.length} month${t.monthsMissed.length > 1 ? 's' : ''} (worst ${t.monthsMissed.reduce((a, b) => (Math.abs(b.by) > Math.abs(a.by) ? b : a)).month}, by ${f(Math.max(...t.monthsMissed.map((x) => Math.abs(x.by))), 3)})`
      : '';
    out.push(
      `    ${status} ${t.label}: ${v} ${t.comparator} ${lim}${months}${t.scope === 'project' ? '' : ` {${t.scope}-wide average}`} — ${t.source} [${t.grade}]`,
    );
  }
  out.push('');
  out.push(
    `  month     measured PUE  expected PUE  weather-normalised   (expected: the plant model on the metered IT load, ${r.expected.weather})`,
  );
  for (const m of r.monthly)
    out.push(
      `  ${m.month}  ${f(m.pue, 3).padStart(12)}  ${f(m.expectedPue, 3).padStart(12)}  ${f(m.normalisedPue, 3).padStart(18)}${m.operationFlag ? '   ← the operation, not the weather' : ''}`,
    );
  const c = r.calibration;
  out.push('');
  out.push(
    `  calibration: ${c.claim ? 'holds' : 'not claimed'} — ${c.reason}; RMS monthly PUE error before ${f(c.rmseBefore, 4)}, fit ${f(c.rmseFit, 4)}, held-out ${f(c.rmseTest, 4)}`,
  );
  for (const p of c.params)
    out.push(
      `    ${p.label}: ${f(p.start, 4)} → ${f(p.value, 4)} ${p.unit}${p.atBound ? ' (at the edge of its usual range)' : ''}`,
    );
  out.push('');
  out.push('  retrofits (on the calibrated plant, typical year):');
  for (const o of r.retrofits)
    out.push(
      `    ${o.label}: PUE ${f(o.pueBefore, 3)} → ${f(o.pue, 3)} (grade ${o.gb40879Grade}), green ${pct(o.greenShare)}; saves ${f(o.savedGridKwh / 1000, 0)} MWh, ${f(o.savedCnyPerYear / 1e4, 1)} 万 CNY and ${f(o.savedTco2PerYear, 0)} t CO2 a year; capex ${f(o.capexCny / 1e4, 0)} 万 CNY; payback ${o.simplePaybackYears === null ? '—' : `${f(o.simplePaybackYears, 1)} yr`}`,
    );
  for (const w of r.warnings) out.push(`  warning: ${w}`);
  return `${out.join('\n')}\n`;
}
