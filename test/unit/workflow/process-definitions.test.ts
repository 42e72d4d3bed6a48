import { describe, expect, it } from 'vitest';

import { agreementExecution } from '../../../shared/agreements/process';
import { changeRequestExecution } from '../../../shared/change-requests/process';
import { DEADLINE_DEFAULTS } from '../../../shared/config/env';
import { readAsl, substitutionKey } from '../../../shared/manifest/asl';
import { taskFunctionsOf } from '../../../shared/manifest/functions';
import { PROCESSES } from '../../../shared/manifest/processes';
import { onboardingExecution } from '../../../shared/onboarding/process';
import { transferExecution } from '../../../shared/transfers/process';

/*
 * Each process's ASL against its typed contract: it reads only its own subject id and the waits its
 * execution input carries, calls only its own Task functions, and every Task keeps Retry, Catch and
 * a deadline.
 */

interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
}

const deadlines = { ...DEADLINE_DEFAULTS };
/** What each process's execution starts with (its typed input, built as the routes build it). */
const EXECUTION_INPUT: Record<string, Record<string, unknown>> = {
  onboarding: { ...onboardingExecution('APP1', deadlines) },
  'terminal-transfer': { ...transferExecution('TR1', deadlines) },
  'change-request': { ...changeRequestExecution('CR1', deadlines) },
  agreement: { ...agreementExecution('AGR-102110554110001-001', 259_200) },
};

/** Every process with its Task functions, from the manifest. */
const WORKFLOW_PROCESSES = PROCESSES.map((process) => ({
  ...process,
  taskFunctions: taskFunctionsOf(process.name),
}));

const CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

describe.each(WORKFLOW_PROCESSES)('$name', (process) => {
  const text = readAsl(process);
  const asl = JSON.parse(text) as { StartAt: string; States: Record<string, State> };
  const tasks = Object.entries(asl.States).filter(([, state]) => state.Type === 'Task');
  const input = EXECUTION_INPUT[process.name] ?? {};

  it('starts with a typed input: its subject id and the waits its ASL reads, nothing else', () => {
    const [subjectId, ...others] = Object.keys(input).filter((key) => key !== 'config');
    expect(others).toEqual([]);
    expect(subjectId).toMatch(/Id$/);
    // Every path the definition reads (`….$` parameters, TimeoutSecondsPath, Choice variables) is the
    // subject id, a wait of `config`, or what an earlier state wrote (`callback`, `checks`, `failure`).
    const read = new Set<string>();
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          const reads = key.endsWith('.$') || key === 'TimeoutSecondsPath' || key === 'Variable';
          if (reads && typeof inner === 'string' && inner.startsWith('$.')) read.add(inner.slice(2));
          else visit(inner);
        }
      }
    };
    visit(asl);
    expect(read).toContain(subjectId);
    const config = input.config as Record<string, number>;
    for (const path of read) {
      const [head, tail] = path.split('.');
      if (head === 'config') expect(Object.keys(config), path).toContain(tail);
      else expect([subjectId, 'callback', 'checks', 'failure'], path).toContain(head);
    }
    for (const wait of Object.values(config)) expect(wait).toBeGreaterThan(0);
  });

  it('calls exactly its own Task functions', () => {
    const called = new Set([...text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((match) => match[1]));
    expect(called).toEqual(new Set(process.taskFunctions.map(substitutionKey)));
  });

  it.each(tasks)('%s keeps Retry, Catch and a deadline', (_name, state) => {
    expect(state.Retry?.some((retry) => retry.ErrorEquals.includes('States.TaskFailed'))).toBe(true);
    expect(state.Retry?.some((retry) => retry.ErrorEquals.includes('Lambda.ServiceException'))).toBe(true);
    expect(state.Catch?.some((c) => c.ErrorEquals.includes('States.ALL'))).toBe(true);
    if (state.Resource === CALLBACK) expect(state.TimeoutSecondsPath).toMatch(/^\$\.config\./);
    else expect(state.TimeoutSeconds).toBeGreaterThan(0);
  });

  it('records its failures with its own RecordFailure function, then fails', () => {
    const recorders = tasks.filter(([name]) => name.endsWith('RecordFailure'));
    expect(recorders).toHaveLength(1);
    const [name, recorder] = recorders[0] ?? ['', { Type: '' }];
    const own = process.taskFunctions.find((fn) => fn.endsWith('record-failure'));
    expect(recorder.Resource).toBe(`\${${substitutionKey(own ?? '')}}`);
    expect(asl.States[recorder.Catch?.[0]?.Next ?? '']?.Type).toBe('Fail');
    // Every other Task's catch-all leads there, or on to the next state (notifications).
    for (const [other, state] of tasks.filter(([candidate]) => candidate !== name)) {
      const catchAll = state.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
      expect([name, (state as { Next?: string }).Next], other).toContain(catchAll?.Next);
    }
  });
});
