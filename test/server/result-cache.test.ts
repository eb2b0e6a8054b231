import { describe, expect, it } from 'vitest';
import { MAX_CACHED_FORM_BYTES, ResultCache } from '../../server/jobs/result-cache.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('result cache (small stored forms in memory, bounded)', () => {
  it('keeps a small form and hands it back; a form over the bound is not kept', () => {
    const cache = new ResultCache();
    expect(cache.remember('a', 'full', bytes('{"a":1}')).toString()).toBe('{"a":1}');
    expect(cache.get('a', 'full')?.toString()).toBe('{"a":1}');
    expect(cache.get('a', 'summary')).toBeUndefined();
    const big = new Uint8Array(MAX_CACHED_FORM_BYTES + 1);
    expect(cache.remember('b', 'full', big).length).toBe(MAX_CACHED_FORM_BYTES + 1);
    expect(cache.get('b', 'full')).toBeUndefined();
  });

  it('keeps at most 128 forms, the least recently used out first; forget drops every form of a run', () => {
    const cache = new ResultCache();
    for (let i = 0; i < 128; i++) cache.remember(`r${i}`, 'full', new Uint8Array([i]));
    cache.get('r0', 'full'); // r0 is now the most recently used: r1 is the oldest
    cache.remember('r128', 'full', new Uint8Array([128])); // 129 entries → r1 goes
    expect(cache.get('r0', 'full')).toBeDefined();
    expect(cache.get('r1', 'full')).toBeUndefined();
    expect(cache.get('r2', 'full')).toBeDefined();
    cache.remember('x', 'summary', new Uint8Array([1]));
    cache.remember('x', 'annual.csv', new Uint8Array([2]));
    cache.remember('x1', 'full', new Uint8Array([3]));
    cache.forget('x');
    expect(cache.get('x', 'summary')).toBeUndefined();
    expect(cache.get('x', 'annual.csv')).toBeUndefined();
    expect(cache.get('x1', 'full')).toBeDefined();
  });
});
