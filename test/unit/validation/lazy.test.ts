import { describe, expect, it } from 'vitest';
import { mccTable } from '../../../shared/reference/mcc';
import { applicationSchemas } from '../../../shared/validation/application-schema';
import { changeRequestSchemas } from '../../../shared/validation/change-request-schema';
import { lazy } from '../../../shared/validation/lazy';

describe('lazy', () => {
  it('builds on the first call only, and keeps falsy values', () => {
    let builds = 0;
    const value = lazy(() => {
      builds += 1;
      return builds === 1 ? 0 : 99;
    });
    expect(builds).toBe(0);
    expect(value()).toBe(0);
    expect(value()).toBe(0);
    expect(builds).toBe(1);
  });

  it('builds a failed value again on the next call (nothing half-built is kept)', () => {
    let calls = 0;
    const value = lazy(() => {
      calls += 1;
      if (calls === 1) throw new Error('first');
      return 'ok';
    });
    expect(() => value()).toThrow('first');
    expect(value()).toBe('ok');
  });

  it('hands out one schema set and one table per process', () => {
    expect(applicationSchemas()).toBe(applicationSchemas());
    expect(changeRequestSchemas().changes.shape.contact).toBeDefined();
    // The change request reuses the intake's section schema, not a copy.
    expect(changeRequestSchemas()).toBe(changeRequestSchemas());
    expect(mccTable()).toBe(mccTable());
  });
});
