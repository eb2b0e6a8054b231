import * as Plot from '@observablehq/plot';
import type { CheckResult } from '../../models/operator/check.ts';
import { formatNumber } from '../format.ts';
import { t } from '../i18n.ts';
import type { FigureSpec } from './figure.ts';
import type { ChartOptions } from './plan.ts';

/**
 * Measured PUE by month beside what the site's plant should give on its metered IT load — on the
 * month's own weather (expected) and on the typical year (weather-normalised). A month far above its
 * expected value is marked: the operation, not the weather.
 */
export function monthlyPueChart(r: CheckResult, o: ChartOptions): FigureSpec {
  // drawn in this order: the typical year under the month's weather under the measurement
  const series = [
    { key: 'normalisedPue', label: t('Weather-normalised PUE (typical year)'), colour: '#9ec5fe' },
    {
      key: 'expectedPue',
      label: t('Expected PUE (the plant model on this load and weather)'),
      colour: '#1f6feb',
    },
    { key: 'pue', label: t('Measured PUE'), colour: '#1f2328' },
  ] as const;
  const data = r.monthly.flatMap((m) =>
    series.flatMap((s) =>
      m[s.key] === null ? [] : [{ month: m.month, series: s.label, pue: m[s.key] as number }],
    ),
  );
  const flagged = r.monthly.filter((m) => m.operationFlag && m.pue !== null);
  const values = data.map((d) => d.pue);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max(0.01, (hi - lo) * 0.15);
  const chart = Plot.plot({
    width: o.width,
    height: o.height ?? 300,
    marginLeft: o.width < 500 ? 48 : 60,
    marginRight: 16,
    x: { label: t('Month'), type: 'band', tickFormat: (m: string) => m.slice(5) },
    y: { label: 'PUE', grid: true, domain: [lo - pad, hi + pad] },
    color: { legend: true, domain: series.map((s) => s.label), range: series.map((s) => s.colour) },
    marks: [
      Plot.line(
        data.filter((d) => d.series === series[0].label),
        { x: 'month', y: 'pue', stroke: 'series', strokeWidth: 2, strokeDasharray: '5 4' },
      ),
      Plot.line(
        data.filter((d) => d.series !== series[0].label),
        { x: 'month', y: 'pue', stroke: 'series', strokeWidth: 2 },
      ),
      Plot.dot(data, { x: 'month', y: 'pue', fill: 'series', r: 3, tip: { format: { pue: '.3f' } } }),
      Plot.dot(flagged, { x: 'month', y: 'pue', r: 9, stroke: '#d1242f', strokeWidth: 2, fill: 'none' }),
      Plot.text(flagged, {
        x: 'month',
        y: 'pue',
        text: () => t('operation'),
        dy: -16,
        fill: '#d1242f',
        fontWeight: 600,
      }),
    ],
  });
  return {
    id: 'chart-meter-pue',
    title: t('Measured versus expected PUE, by month'),
    description: `${t('Measured PUE')} ${formatNumber(r.pue, 3)}; ${t('expected')} ${formatNumber(r.expected.pue, 3)}; ${t('weather-normalised')} ${formatNumber(r.expected.normalisedPue, 3)}.${
      flagged.length
        ? ` ${t('Months above their expected PUE by more than the year’s usual gap (the operation, not the weather)')}: ${flagged.map((m) => m.month).join(', ')}.`
        : ''
    }`,
    chart,
    table: {
      columns: [
        { key: 'month', label: 'Month' },
        { key: 'pue', label: 'Measured PUE', digits: 3 },
        { key: 'expectedPue', label: 'Expected PUE', digits: 3 },
        { key: 'normalisedPue', label: 'Weather-normalised PUE', digits: 3 },
        { key: 'itMwh', label: 'IT energy', unit: 'MWh', digits: 1 },
        { key: 'flag', label: 'Finding' },
      ],
      rows: r.monthly.map((m) => ({
        month: m.month,
        pue: m.pue,
        expectedPue: m.expectedPue,
        normalisedPue: m.normalisedPue,
        itMwh: m.itKwh / 1000,
        flag: m.operationFlag ? t('the operation, not the weather') : '',
      })),
    },
  };
}
