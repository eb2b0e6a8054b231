import { describe, expect, it } from 'vitest';
import type { RunsRepo } from '../../server/db/repositories.ts';
import { ResultCache } from '../../server/jobs/result-cache.ts';

/** A repository that only serves result bytes, counting reads. */
function fakeRuns() {
  const reads: string[] = [];
  const repo = {
    resultBytes(id: string, v: string) {
      reads.push(`${id}:${v}`);
      return id.startsWith('missing') ? undefined : new TextEncoder().encode(`{"id":"${id}","view":"${v}"}`);
    },
  } as unknown as RunsRepo;
  return { repo, reads };
}

describe('result cache (bytes of stored results, bounded)', () => {
  it('reads a result once, then serves it from memory; unknown results stay undefined', () => {
    const { repo, reads } = fakeRuns();
    const cache = new ResultCache(repo);
    expect(cache.stored('a', 'full')?.toString()).toBe('{"id":"a","view":"full"}');
    expect(cache.stored('a', 'full')?.toString()).toBe('{"id":"a","view":"full"}');
    expect(reads).toEqual(['a:full']);
    expect(cache.stored('missing-1', 'summary')).toBeUndefined();
  });

  it('keeps at most 64 results, the least recently used out first; forget drops both forms', () => {
    const { repo, reads } = fakeRuns();
    const cache = new ResultCache(repo);
    for (let i = 0; i < 64; i++) cache.remember(`r${i}`, 'full', new Uint8Array([i]));
    cache.stored('r0', 'full'); // r0 is now the most recently used: r1 is the oldest
    cache.remember('r64', 'full', new Uint8Array([64])); // 65 entries → r1 goes
    expect(reads).toEqual([]);
    cache.stored('r0', 'full');
    cache.stored('r1', 'full');
    expect(reads).toEqual(['r1:full']);
    cache.remember('x', 'summary', new Uint8Array([1]));
    cache.remember('x', 'full', new Uint8Array([2]));
    cache.forget('x');
    cache.stored('x', 'full');
    cache.stored('x', 'summary');
    expect(reads).toEqual(['r1:full', 'x:full', 'x:summary']);
  });
});
