/**
 * Derive the map outline the overview page draws: China (ISO 3166 numeric 156) and Taiwan (158) from
 * Natural Earth 1:50m admin-0 countries as packaged by `world-atlas` 2.0.2 (ISC; Natural Earth is in
 * the public domain), merged into one GeoJSON MultiPolygon with coordinates rounded to 0.01°.
 *
 * Run: npx tsx tools/derive-china-outline.ts   (writes web/geo/china-50m.json)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

const require = createRequire(import.meta.url);
const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8')) as Topology<{
  countries: GeometryCollection<{ name: string }>;
}>;
const all = feature(topo, topo.objects.countries);
const keep = all.features.filter((f) => f.id === '156' || f.id === '158');
if (keep.length !== 2) throw new Error(`expected China and Taiwan, found ${keep.length}`);
const round = (x: number) => Math.round(x * 100) / 100;
const polygons: number[][][][] = [];
for (const f of keep) {
  const g = f.geometry;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  for (const p of polys) {
    polygons.push(
      p.map((ring) =>
        ring
          .map(([x, y]) => [round(x), round(y)])
          .filter((pt, i, arr) => i === 0 || pt[0] !== arr[i - 1][0] || pt[1] !== arr[i - 1][1]),
      ),
    );
  }
}
const out = {
  type: 'Feature',
  properties: {
    name: 'China',
    source:
      'Natural Earth 1:50m admin-0 countries (public domain) via world-atlas 2.0.2 (ISC), ids 156 and 158',
  },
  geometry: { type: 'MultiPolygon', coordinates: polygons },
};
writeFileSync(new URL('../web/geo/china-50m.json', import.meta.url), `${JSON.stringify(out)}\n`);
console.log(`wrote ${polygons.length} polygons`);
