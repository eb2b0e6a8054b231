import { describe, it } from 'vitest';
import { carbonYear } from '../../models/carbon.ts';
import { expectClose } from '../helpers/tolerance.ts';

describe('carbon', () => {
  it('location-based counts all grid electricity; market-based nets contracted green power', () => {
    // 1,000 MWh facility, 300 MWh contracted green, 0.4772 kg/kWh (Gansu 2022):
    // location = 1,000 × 0.4772 = 477.2 t; market = 700 × 0.4772 = 334.04 t; CUE = 477.2 t / 800 MWh = 0.5965 kg/kWh
    const c = carbonYear(1000, 0, 300, 0.4772, 800);
    expectClose(c.carbonLocationTco2, 477.2, { abs: 1e-9 });
    expectClose(c.carbonMarketTco2, 334.04, { abs: 1e-9 });
    expectClose(c.cueLocationKgPerKwh, 0.5965, { abs: 1e-9 });
  });

  it('on-site generation is not grid electricity in either method', () => {
    // 1,000 MWh load, 200 MWh on-site PV, 100 MWh contracted: location 800 × 0.5 = 400 t, market 700 × 0.5 = 350 t
    const c = carbonYear(1000, 200, 100, 0.5, 800);
    expectClose(c.carbonLocationTco2, 400, { abs: 1e-9 });
    expectClose(c.carbonMarketTco2, 350, { abs: 1e-9 });
  });
});
