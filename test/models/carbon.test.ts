import { describe, it } from 'vitest';
import { carbonYear } from '../../models/carbon.ts';
import { expectClose } from '../helpers/tolerance.ts';

describe('carbon', () => {
  it('location-based counts all grid electricity; market-based nets contracted green power at the residual factor', () => {
    // 1,000 MWh facility, 300 MWh contracted green, Gansu 2023 average 0.4471 kg/kWh and the national residual
    // 0.6096 kg/kWh (MEE/NBS 公告2025年第47号): location = 1,000 × 0.4471 = 447.1 t; market = 700 × 0.6096 =
    // 426.72 t; CUE = 447.1 t / 800 MWh = 0.558875 kg/kWh
    const c = carbonYear(1000, 0, 300, 0.4471, 0.6096, 800);
    expectClose(c.carbonLocationTco2, 447.1, { abs: 1e-9 });
    expectClose(c.carbonMarketTco2, 426.72, { abs: 1e-9 });
    expectClose(c.cueLocationKgPerKwh, 0.558875, { abs: 1e-9 });
  });

  it('on-site generation is not grid electricity in either method', () => {
    // 1,000 MWh load, 200 MWh on-site PV, 100 MWh contracted: location 800 × 0.5 = 400 t, market 700 × 0.6 = 420 t
    const c = carbonYear(1000, 200, 100, 0.5, 0.6, 800);
    expectClose(c.carbonLocationTco2, 400, { abs: 1e-9 });
    expectClose(c.carbonMarketTco2, 420, { abs: 1e-9 });
  });
});
