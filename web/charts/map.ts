import * as d3 from 'd3';
import type { Feature, MultiPolygon } from 'geojson';
import { formatNumber, pct } from '../format.ts';
import outlineJson from '../geo/china-50m.json' with { type: 'json' };
import { t, unitText } from '../i18n.ts';

/** One cluster mark on the map with the figures of the chosen scenario (null where not simulated). */
export interface MapCluster {
  id: string;
  name: string;
  latDeg: number;
  lonDeg: number;
  hubNode: boolean;
  seeded: boolean;
  figures: {
    standardRacks: number;
    pue: number | null;
    priceCnyPerKwh: number;
    gridFactorKgPerKwh: number;
    greenShare: number;
    year: number;
  } | null;
  latency: Array<{ to: string; oneWayMs: number }>;
}

/** A demand centre (city) that latency is measured to. */
export interface MapCentre {
  id: string;
  name: string;
  latDeg: number;
  lonDeg: number;
}

const outline = outlineJson as unknown as Feature<MultiPolygon>;

/** Lines of text describing a cluster's figures (tooltip and accessible name). */
export function clusterSummary(c: MapCluster): string[] {
  const f = c.figures;
  if (!f) return [c.name, t('not in the chosen scenario')];
  return [
    c.name,
    `${formatNumber(f.standardRacks, 0)} ${unitText('std racks')} · PUE ${formatNumber(f.pue, 3)} (${f.year})`,
    `${t('Energy price')} ${formatNumber(f.priceCnyPerKwh, 3)} ${unitText('CNY/kWh')} · ${t('Grid factor')} ${formatNumber(f.gridFactorKgPerKwh, 3)} kg/kWh`,
    `${t('Green share')} ${pct(f.greenShare, 0)}`,
  ];
}

type Svg = d3.Selection<SVGSVGElement, undefined, null, undefined>;
type Group = d3.Selection<SVGGElement, undefined, null, undefined>;
type Xy = [number, number] | null;

/** Demand centres as small grey dots with their names, except where a cluster mark stands on the city. */
function drawCentres(svg: Svg, projection: d3.GeoProjection, centres: MapCentre[], clusterXy: Xy[]): void {
  const cg = svg.append('g').attr('class', 'centres');
  const near = (p: [number, number], dx: number) =>
    clusterXy.some((q) => q && Math.abs(q[0] - p[0]) < dx && Math.abs(q[1] - p[1]) < 14);
  for (const c of centres) {
    const p = projection([c.lonDeg, c.latDeg]);
    if (!p || near(p, 14)) continue; // a cluster mark stands on this city
    cg.append('circle').attr('cx', p[0]).attr('cy', p[1]).attr('r', 2.5).attr('fill', '#5b6576');
    cg.append('text')
      .attr('x', p[0] + 4)
      .attr('y', p[1] + 3)
      .attr('fill', '#5b6576')
      .attr('font-size', 11)
      .text(t(c.name));
  }
}

/** Dashed fibre lines from a cluster to each demand centre, labelled with the one-way latency. */
function drawLatencyLines(
  lines: Group,
  projection: d3.GeoProjection,
  path: d3.GeoPath,
  c: MapCluster,
  centres: MapCentre[],
): void {
  const from: [number, number] = [c.lonDeg, c.latDeg];
  for (const l of c.latency) {
    const to = centres.find((x) => x.id === l.to);
    if (!to) continue;
    const line = { type: 'LineString' as const, coordinates: [from, [to.lonDeg, to.latDeg]] };
    lines
      .append('path')
      .attr('d', path(line))
      .attr('fill', 'none')
      .attr('stroke', '#1f6feb')
      .attr('stroke-dasharray', '3,2');
    const mid = projection(d3.geoInterpolate(from, [to.lonDeg, to.latDeg])(0.5));
    if (mid)
      lines
        .append('text')
        .attr('x', mid[0])
        .attr('y', mid[1] - 2)
        .attr('text-anchor', 'middle')
        .attr('font-size', 11)
        .attr('fill', '#1f6feb')
        .attr('paint-order', 'stroke')
        .attr('stroke', '#fff')
        .attr('stroke-width', 3)
        .text(`${formatNumber(l.oneWayMs, 1)} ms`);
  }
}

/** The tooltip box with a cluster's summary, placed beside its mark and kept inside the map. */
function drawTip(tip: Group, p: [number, number], c: MapCluster, w: number, h: number): void {
  const text = clusterSummary(c);
  tip.selectAll('*').remove();
  const tw = Math.max(...text.map((s) => s.length)) * 6.2 + 12;
  const tx = Math.min(Math.max(p[0] - tw / 2, 2), w - tw - 2);
  const ty = p[1] + 14 + text.length * 15 > h ? p[1] - 14 - text.length * 15 : p[1] + 14;
  tip
    .append('rect')
    .attr('x', tx)
    .attr('y', ty)
    .attr('width', tw)
    .attr('height', text.length * 15 + 8)
    .attr('rx', 4)
    .attr('fill', '#fff')
    .attr('stroke', '#5b6576');
  text.forEach((s, i) => {
    tip
      .append('text')
      .attr('x', tx + 6)
      .attr('y', ty + 16 + i * 15)
      .attr('font-weight', i === 0 ? 600 : 400)
      .text(s);
  });
}

/** One cluster's mark: a circle sized by racks (hub nodes orange), its name placed clear of neighbours. */
function drawClusterMark(mg: Group, c: MapCluster, p: [number, number], clusterXy: Xy[]): Group {
  const g = mg
    .append('g')
    .attr('class', 'cluster-mark')
    .attr('data-cluster', c.id)
    .attr('tabindex', 0)
    .attr('role', 'button')
    .attr('aria-label', `${clusterSummary(c).join('; ')}. Open in the planner.`)
    .attr('transform', `translate(${p[0]},${p[1]})`)
    .style('cursor', 'pointer');
  const r = c.figures ? 6 + Math.sqrt(c.figures.standardRacks) / 12 : 6;
  // label to the left when another cluster sits just to the right
  const within = (side: 1 | -1) =>
    clusterXy.some(
      (q) => q && side * (q[0] - p[0]) > 0 && side * (q[0] - p[0]) < 110 && Math.abs(q[1] - p[1]) < 16,
    );
  const place = !within(1) ? 'right' : !within(-1) ? 'left' : 'above';
  const rr = Math.min(r, 26);
  g.append('circle')
    .attr('r', rr)
    .attr('fill', c.hubNode ? '#d4711c' : '#1f6feb')
    .attr('fill-opacity', 0.75)
    .attr('stroke', '#fff')
    .attr('stroke-width', 1.5);
  g.append('text')
    .attr('x', place === 'right' ? rr + 4 : place === 'left' ? -(rr + 4) : 0)
    .attr('text-anchor', place === 'right' ? 'start' : place === 'left' ? 'end' : 'middle')
    .attr('y', place === 'above' ? -(rr + 5) : 4)
    .attr('font-weight', 600)
    .attr('paint-order', 'stroke')
    .attr('stroke', '#fff')
    .attr('stroke-width', 3)
    .text(c.name.replace(/ \(.*\)$/, ''));
  return g;
}

/** The legend (hub node / other cluster) and the note on circle size and the outline's source. */
function drawMapLegend(svg: Svg, h: number): void {
  const lg = svg
    .append('g')
    .attr('transform', `translate(12,${h - 40})`)
    .attr('font-size', 11);
  [
    ['#d4711c', 'national hub-node cluster'],
    ['#1f6feb', 'other cluster'],
  ].forEach(([colour, label], i) => {
    lg.append('circle')
      .attr('cx', 6)
      .attr('cy', i * 16)
      .attr('r', 5)
      .attr('fill', colour)
      .attr('fill-opacity', 0.75);
    lg.append('text')
      .attr('x', 16)
      .attr('y', i * 16 + 4)
      .text(t(label));
  });
  // the note, a clause a line (it does not fit one line of a phone-wide map)
  const lines = t(
    'Circle area ∝ standard racks. Outline: Natural Earth 1:50m (public domain); a locator map, not a boundary survey.',
  ).split(/(?<=\. |。|; |；)/);
  lg.attr('transform', `translate(12,${h - 40 - 14 * (lines.length - 1)})`);
  const note = lg.append('text').attr('x', 0).attr('y', 34).attr('fill', '#5b6576').attr('font-size', 11);
  lines.forEach((line, i) => {
    note
      .append('tspan')
      .attr('x', 0)
      .attr('dy', i ? 14 : 0)
      .text(line.trim());
  });
}

/**
 * A map of China (Natural Earth outline, conic equal-area) with the clusters at their coordinates.
 * Hovering or focusing a cluster draws fibre-latency lines to the demand centres; a click or Enter
 * calls `onOpen`.
 */
export function clusterMap(
  clusters: MapCluster[],
  centres: MapCentre[],
  o: { width: number; onOpen: (id: string) => void },
): SVGSVGElement {
  const w = o.width;
  const h = Math.round(w * 0.72);
  const projection = d3
    .geoConicEqualArea()
    .parallels([25, 47])
    .rotate([-105, 0])
    .fitExtent(
      [
        [8, 8],
        [w - 8, h - 8],
      ],
      outline,
    );
  const path = d3.geoPath(projection);
  const svg: Svg = d3
    .create('svg')
    .attr('viewBox', `0 0 ${w} ${h}`)
    .attr('width', w)
    .attr('height', h)
    .attr('class', 'map')
    .attr(
      'style',
      'max-width:100%;height:auto;font:12px system-ui,"Noto Sans CJK SC","Noto Sans SC",sans-serif',
    );
  svg
    .append('path')
    .attr('d', path(outline))
    .attr('fill', '#eef2f7')
    .attr('stroke', '#9aa7b8')
    .attr('stroke-width', 0.8);
  const lines: Group = svg.append('g').attr('class', 'latency');
  const clusterXy = clusters.map((c) => projection([c.lonDeg, c.latDeg]));
  drawCentres(svg, projection, centres, clusterXy);
  const tip: Group = svg
    .append('g')
    .attr('class', 'tip')
    .attr('display', 'none')
    .attr('pointer-events', 'none');
  const showLatency = (c: MapCluster | null) => {
    lines.selectAll('*').remove();
    tip.attr('display', c ? null : 'none');
    if (!c) return;
    drawLatencyLines(lines, projection, path, c, centres);
    drawTip(tip, projection([c.lonDeg, c.latDeg])!, c, w, h);
  };
  const mg: Group = svg.append('g').attr('class', 'clusters');
  for (const c of clusters) {
    const p = projection([c.lonDeg, c.latDeg]);
    if (!p) continue;
    drawClusterMark(mg, c, p, clusterXy)
      .on('pointerenter focus', () => showLatency(c))
      .on('pointerleave blur', () => showLatency(null))
      .on('click', () => o.onOpen(c.id))
      .on('keydown', (ev: KeyboardEvent) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          o.onOpen(c.id);
        }
      });
  }
  drawMapLegend(svg, h);
  return svg.node()!;
}
