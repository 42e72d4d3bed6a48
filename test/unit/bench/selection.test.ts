import { describe, expect, it } from 'vitest';
import { PARTS, parseSelection } from '../../../bench/selection';

describe('npm run bench command line', () => {
  it('is the whole bench without arguments, the only run that writes bench/results.md', () => {
    const all = parseSelection([]);
    expect([...all.parts]).toEqual([...PARTS]);
    expect(all.functions).toBeUndefined();
    expect(all.complete).toBe(true);
  });

  it('narrows to parts and functions, in both flag forms, and is then partial', () => {
    const some = parseSelection([
      '--only',
      'cold-start,throughput',
      '--functions=health, create-application',
    ]);
    expect([...some.parts]).toEqual(['cold-start', 'throughput']);
    expect(some.functions).toEqual(['health', 'create-application']);
    expect(some.complete).toBe(false);
    expect(parseSelection(['--functions', 'health']).complete).toBe(false);
  });

  it('refuses unknown parts, unknown flags and a flag without its list', () => {
    expect(() => parseSelection(['--only', 'coldstart'])).toThrow(/unknown part coldstart/);
    expect(() => parseSelection(['--all'])).toThrow(/unknown argument/);
    expect(() => parseSelection(['--only'])).toThrow(/needs a comma-separated list/);
  });
});
