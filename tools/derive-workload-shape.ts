/**
 * Derive normalised utilisation shapes (seeds/workload/shapes.json) from the public 5-minute cluster
 * traces in ../shared/data/workload (never committed) and the SPECpower curves (seeds/servers/specpower.json)
 * from ../shared/data/server_power. Run: npx tsx tools/derive-workload-shape.ts
 *
 * What the traces do not say (../shared/data/workload/PROVENANCE.md): no trace gives its time zone or
 * the weekday it starts on, and Alibaba's 8 days have ~61 missing windows at unknown positions. So:
 * - every trace is read as starting at 00:00 on a Sunday of local time (an assumption; scenarios can shift
 *   the phase with `workloadPhaseShiftHours`);
 * - Alibaba gives a daily (24-hour) shape only, repeated over the week: 8 days with gaps cannot give a
 *   weekly pattern;
 * - Google (28 days = 4 weeks) and Azure (30 days, timestamped) give 168-hour weekly shapes.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const DATA = new URL('../../shared/data/', import.meta.url);

function readCsv(name: string): { header: string[]; rows: number[][] } {
  const lines = readFileSync(new URL(`workload/${name}`, DATA), 'utf8')
    .trim()
    .split(/\r?\n/);
  const header = lines[0].split(',');
  return { header, rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

/** Hourly means of a 5-minute series (12 windows an hour, from index 0). */
export function hourlyMeans(values: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 12 <= values.length; i += 12) {
    let s = 0;
    for (let j = 0; j < 12; j++) s += values[i + j];
    out.push(s / 12);
  }
  return out;
}

/** Mean of hourly values by hour-of-period (24 or 168), normalised to mean 1. */
export function foldShape(hourly: number[], period: number): number[] {
  const sums = new Array(period).fill(0);
  const counts = new Array(period).fill(0);
  hourly.forEach((v, h) => {
    sums[h % period] += v;
    counts[h % period]++;
  });
  const raw = sums.map((s, i) => s / counts[i]);
  const mean = raw.reduce((a, b) => a + b, 0) / period;
  return raw.map((v) => Number((v / mean).toFixed(4)));
}

const stats = (v: number[]) => ({
  mean: Number((v.reduce((a, b) => a + b, 0) / v.length).toFixed(4)),
  min: Number(Math.min(...v).toFixed(4)),
  max: Number(Math.max(...v).toFixed(4)),
});

const ATTRIBUTION =
  'Alejandro Fernández, DataCenter-Traces-Datasets, doi:10.5281/zenodo.14564847 (CC BY 4.0), aggregating the Alibaba cluster-trace-v2018, Google cluster-usage traces 2019 and Azure Public Dataset V2 [datacenter-traces-zenodo] [alibaba-2018] [google-2019] [azure-v2]';

if (import.meta.url === `file://${process.argv[1]}`) {
  const ali = readCsv('alibaba2018_machine_usage_days1-8_300s.csv');
  const aliCpu = ali.rows.map((r) => r[0] / 100);
  const aliDaily = foldShape(hourlyMeans(aliCpu), 24);
  const goo = readCsv('google2019_instance_usage_300s_month.csv');
  const gooCpu = goo.rows.map((r) => r[0]);
  const az = readCsv('azure_v2_vm_cpu_mem_month_300s.csv');
  const azCpu = az.rows.map((r) => r[1]);
  const azMax = Math.max(...azCpu);

  const shapes = [
    {
      id: 'alibaba2018',
      label: 'Alibaba 2018 (~4,000 machines, 8 days): daily shape repeated over the week',
      trace: 'alibaba2018_machine_usage_days1-8_300s.csv, column cpu_util_percent (mean over machines, %)',
      weekly: Array.from({ length: 7 }, () => aliDaily).flat(),
      daily: aliDaily,
      cpuUtilisation: stats(aliCpu),
      meanUtilisationMeaning: 'machine CPU utilisation (fraction), mean over ~4,000 machines',
      grade: 'D',
    },
    {
      id: 'google2019',
      label: 'Google 2019 (28 days): weekly shape',
      trace:
        'google2019_instance_usage_300s_month.csv, column avg_cpu (instance-level, Google normalised units)',
      weekly: foldShape(hourlyMeans(gooCpu), 168),
      daily: foldShape(hourlyMeans(gooCpu), 24),
      cpuUtilisation: stats(gooCpu),
      meanUtilisationMeaning:
        'instance-level average in Google normalised CPU units — not machine utilisation',
      grade: 'D',
    },
    {
      id: 'azure2019',
      label: 'Azure V2 (30 days, timestamped): weekly shape',
      trace: 'azure_v2_vm_cpu_mem_month_300s.csv, column cpu_usage (sum of VM core usage; shape only)',
      weekly: foldShape(hourlyMeans(azCpu), 168),
      daily: foldShape(hourlyMeans(azCpu), 24),
      cpuUtilisation: stats(azCpu.map((v) => v / azMax)),
      meanUtilisationMeaning: 'core usage ÷ the month maximum — a shape, not a utilisation level',
      grade: 'D',
    },
  ];
  const out = {
    provenance: {
      what: 'Normalised (mean 1) hourly utilisation shapes derived from aggregate 5-minute traces; the traces are not committed',
      attribution: ATTRIBUTION,
      license: 'CC BY 4.0',
      derivedBy: 'tools/derive-workload-shape.ts',
      assumptions: [
        'Each trace is read as starting at 00:00 on a Sunday, local time (time zone and start weekday are not published); shift with workloadPhaseShiftHours.',
        'Alibaba: 8 days with ~61 missing 5-minute windows at unknown positions — only the daily shape is used, repeated for each weekday.',
      ],
    },
    default: 'alibaba2018',
    defaultReason:
      'The only trace whose level is a machine CPU utilisation (mean 40.2 %); its daily shape is the best-supported part of it.',
    shapes,
  };
  writeFileSync(
    new URL('../seeds/workload/shapes.json', import.meta.url),
    `${JSON.stringify(out, null, 1)}\n`,
  );
  console.log(
    'seeds/workload/shapes.json',
    shapes.map((s) => `${s.id} mean ${s.cpuUtilisation.mean}`).join(', '),
  );

  const spec = JSON.parse(readFileSync(new URL('server_power/specpower_ssj2008_curves.json', DATA), 'utf8'));
  const curves = spec.servers.map(
    (s: Record<string, unknown> & { power_w: number[]; model: string; spec_result_id: string }) => ({
      id: `${s.model} ${s.spec_result_id}`
        .toLowerCase()
        .replace(/power_ssj2008-/, '')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, ''),
      model: s.model,
      configuration: s.configuration,
      specResultId: s.spec_result_id,
      specResultUrl: s.spec_result_url,
      citationStatus: s.citation_status,
      powerW: s.power_w,
      fractionAtLoad: s.power_w.map((w) => Number((w / s.power_w[10]).toFixed(4))),
      via: s.source,
    }),
  );
  const def = curves.find((c: { model: string }) => c.model === 'HPE ProLiant DL380 Gen10 Plus');
  writeFileSync(
    new URL('../seeds/servers/specpower.json', import.meta.url),
    `${JSON.stringify(
      {
        provenance: {
          what: 'SPECpower_ssj2008 average active power (W) at 0, 10, …, 100 % target load, as published; each with its SPEC result id. Copied via CloudSim and OpenDC; not re-checked against spec.org here [specpower-ssj2008].',
          attribution: spec.attribution,
          grade: 'B',
        },
        default: def.id,
        defaultReason:
          'A current 2-socket 2U server (Intel Xeon Platinum 8380, 2021), the common build of new Chinese IDC halls; idle draws 21 % of full-load power.',
        curves,
      },
      null,
      1,
    )}\n`,
  );
  console.log('seeds/servers/specpower.json default', def.id);
}
