/**
 * Two small clusters over two years whose occupancy is uncertain (from the shared defaults) and
 * Wuhan's build cost too: the Monte Carlo fixture of the CLI, API and page tests.
 */
export function twoUncertainClusters(name: string) {
  return {
    name,
    startYear: 2025,
    years: 2,
    defaults: {
      buildout: [{ year: 2025, itPowerKw: '2 MW', kwPerRack: '5 kW' }],
      occupancy: { dist: 'triangular', min: 0.4, mode: 0.6, max: 0.7 },
      cooling: { design: 'water-cooled-chiller-wse', facilityClass: 'hyperscale' },
    },
    clusters: [
      { cluster: 'lanzhou' },
      {
        cluster: 'wuhan',
        finance: { buildCnyPerKwIt: { dist: 'uniform', min: '20000 CNY/kW', max: 40000 } },
      },
    ],
  };
}
