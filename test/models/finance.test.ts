import { describe, expect, it } from 'vitest';
import { irr, npv, paybackYears } from '../../models/finance.ts';
import { expectClose } from '../helpers/tolerance.ts';

describe('finance', () => {
  it('NPV discounts each year-end flow', () => {
    // −100/1.1 + 60/1.1² + 60/1.1³ = −90.9091 + 49.5868 + 45.0789 = 3.7566
    expectClose(npv(0.1, [-100, 60, 60]), 3.7566, { abs: 1e-4 });
  });

  it('IRR solves NPV = 0', () => {
    // x = 1/(1+r): 60x² + 60x − 100 = 0 → x = (−60 + √(3,600 + 24,000)) / 120 = 0.884 437 → r = 0.130 663
    expectClose(irr([-100, 60, 60])!, 0.130663, { abs: 1e-5 });
    expect(irr([100, 60])).toBeNull();
  });

  it('payback interpolates within the year the cumulative flow turns positive', () => {
    // cumulative −100, −40, +20: 40/60 of the third year → 2.667
    expectClose(paybackYears([-100, 60, 60])!, 2 + 40 / 60, { abs: 1e-12 });
    expect(paybackYears([-100, 10, 10])).toBeNull();
  });
});

describe('discounted payback', () => {
  it('discounts each flow before accumulating', () => {
    // at 10 %: −90.909, +49.587, +45.079 → cumulative −90.909, −41.322, +3.757 → 2 + 41.322/45.079 = 2.9167
    expectClose(paybackYears([-100, 60, 60], 0.1)!, 2.9167, { abs: 1e-4 });
  });
});
