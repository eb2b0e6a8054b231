import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario, ValidationError } from '../../models/scenario.ts';
import { engineReference } from '../../seeds/index.ts';
import { firstNonFinite } from '../../server/finite.ts';
import { runScenario } from '../../server/run.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const W = JSON.parse(readFileSync(join(ROOT, 'scenarios/hubei-wuhan-2025.json'), 'utf8'));
const C = W.clusters[0];
const ref = engineReference();

/** The field errors of an invalid scenario (parse + prepare, as a run does). */
function errorsOf(s: unknown): Array<{ path: string; message: string }> {
  try {
    runScenario(s, ref);
  } catch (e) {
    if (e instanceof ValidationError) return e.errors;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('names of Object.prototype members are unknown ids (issue 10, point 9)', () => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    it(`"${name}" is refused wherever an id is looked up`, () => {
      const cases: Array<[unknown, string]> = [
        [{ ...C, tariff: { calendar: name } }, 'clusters[0].tariff.calendar'],
        [{ ...C, workloadShape: name }, 'clusters[0].workloadShape'],
        [{ ...C, powerCurve: name }, 'clusters[0].powerCurve'],
        [{ ...C, cooling: { design: name } }, 'clusters[0].cooling.design'],
        [{ ...C, cluster: name }, 'clusters[0].cluster'],
      ];
      for (const [cluster, path] of cases) {
        const errs = errorsOf({ ...W, clusters: [cluster] });
        expect(errs[0].path).toBe(path);
      }
      const ov = errorsOf({
        ...W,
        clusters: [{ ...C, cooling: { ...C.cooling, overrides: JSON.parse(`{"${name}": 1}`) } }],
      });
      expect(ov[0].path).toMatch(/^clusters\[0\]\.cooling\.overrides/);
    });
  }
});

describe('legal input that used to crash or give NaN (issue 10, point 10)', () => {
  it('a multi-cluster scenario with no occupied rack-years compares without crashing', () => {
    for (const clusters of [
      [
        { ...C, occupancy: 0 },
        { ...C, occupancy: 0 },
      ],
      [
        { ...C, buildout: [{ year: 2090, racks: 10, kwPerRack: 2.5 }] },
        { ...C, buildout: [{ year: 2090, racks: 10, kwPerRack: 2.5 }] },
      ],
    ]) {
      const r = runScenario({ ...W, clusters }, ref);
      expect(r.comparison?.best).toBeNull();
      expect(r.comparison?.drivers).toEqual([]);
      expect(r.comparison?.ranking).toHaveLength(2);
    }
  });

  it('physical inputs are bounded, so no result holds NaN or Infinity', () => {
    expect(errorsOf({ ...W, clusters: [{ ...C, occupancy: 5e-324 }] })[0]).toEqual({
      path: 'clusters[0].occupancy',
      message: 'must be 0 or ≥ 0.000001',
    });
    expect(
      errorsOf({ ...W, clusters: [{ ...C, buildout: [{ year: 2024, racks: 1e308, kwPerRack: 2.5 }] }] })[0],
    ).toEqual({ path: 'clusters[0].buildout[0].racks', message: 'must be ≤ 1000000' });
  });

  it('firstNonFinite finds NaN and Infinity, in typed arrays too', () => {
    expect(firstNonFinite({ a: [1, { b: Number.NaN }] })).toBe('a[1].b');
    expect(firstNonFinite({ h: new Float64Array([0, Number.POSITIVE_INFINITY]) })).toBe('h[1]');
    expect(firstNonFinite({ a: [1, null, 'x'] })).toBeNull();
  });
});

describe('messages (issue 10, point 12)', () => {
  const first = (s: unknown) => {
    try {
      parseScenario(s);
    } catch (e) {
      return (e as ValidationError).errors[0];
    }
    return errorsOf(s)[0];
  };
  it('say "an object", not "a object", and name the field once', () => {
    expect(first('str')).toEqual({ path: '', message: 'must be an object (got string)' });
    expect(first({ ...W, $comment: 5 })).toEqual({
      path: '$comment',
      message: 'must be a string or an array of strings',
    });
    const sched = first({ ...W, clusters: [{ ...C, occupancy: { 2025: 'x' } }] });
    expect(sched.path).toBe('clusters[0].occupancy.2025');
    expect(sched.message).not.toContain('clusters[0]');
    expect(first({ ...W, clusters: [{ ...C, occupancy: '1/0' }] }).message).not.toMatch(/in 0/);
    expect(
      first({ ...W, clusters: [{ ...C, cooling: { ...C.cooling, overrides: { nope: 1 } } }] }).path,
    ).toBe('clusters[0].cooling.overrides.nope');
  });
});
