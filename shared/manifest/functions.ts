import * as agreements from './agreements';
import * as changeRequests from './change-requests';
import * as contacts from './contacts';
import * as dailyChecks from './daily-checks';
import * as integration from './integration';
import * as merchants from './merchants';
import * as onboarding from './onboarding';
import * as platform from './platform';
import { PROCESSES } from './processes';
import * as providers from './providers';
import * as retention from './retention';
import * as reviews from './reviews';
import * as terminals from './terminals';
import * as transfers from './transfers';
import {
  type FunctionEntry,
  type LazyModule,
  type ProcessName,
  type RouteDefinition,
  type RouteEntry,
  type ScheduleTrigger,
  type TaskEntry,
  WORKFLOW_CAPABILITIES,
} from './types';

/*
 * The whole manifest, for the CDK stack, the local stack, the bench and the tests (never for a
 * function: a function imports its own entry from its area's module). Every export of an area
 * module is an entry, so adding a function is its file plus one exported entry.
 */

/** Every function, area by area. */
export const FUNCTIONS: readonly FunctionEntry[] = [
  platform,
  onboarding,
  contacts,
  reviews,
  merchants,
  terminals,
  transfers,
  changeRequests,
  integration,
  dailyChecks,
  retention,
  providers,
  agreements,
].flatMap((area) => Object.values(area) as FunctionEntry[]);

/** The entry of `functions/<name>.ts`; throws for a name without one. */
export function entryOf(name: string): FunctionEntry {
  const entry = FUNCTIONS.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`No manifest entry for functions/${name}.ts`);
  return entry;
}

/** The entries invoked by a route, in manifest order. */
export const ROUTE_ENTRIES: readonly RouteEntry[] = FUNCTIONS.filter(
  (entry): entry is RouteEntry => entry.trigger.kind === 'route',
);

/** Every route of `/v1`, flattened with the name of the function that serves it. */
export const ROUTES: readonly RouteDefinition[] = ROUTE_ENTRIES.map(({ name, trigger }) => {
  const { kind: _kind, ...route } = trigger;
  return { ...route, functionName: name };
});

/** The Task functions of one process's state machine. */
export function taskFunctionsOf(process: ProcessName): readonly string[] {
  return FUNCTIONS.filter(
    (entry): entry is TaskEntry => entry.trigger.kind === 'task' && entry.trigger.process === process,
  ).map((entry) => entry.name);
}

/**
 * The functions invoked on the schedule their entry states (an EventBridge rule each); a schedule
 * owned by its source's construct (the daily run) is not among them.
 */
export const SCHEDULED_FUNCTIONS: readonly (FunctionEntry & { readonly trigger: ScheduleTrigger })[] =
  FUNCTIONS.filter(
    (entry): entry is FunctionEntry & { readonly trigger: ScheduleTrigger } =>
      entry.trigger.kind === 'schedule' && 'schedule' in entry.trigger,
  );

/** The functions invoked by an event source. */
export const EVENT_FUNCTIONS: readonly string[] = FUNCTIONS.filter(
  (entry) => entry.trigger.kind === 'event',
).map((entry) => entry.name);

/** The function of a stream, schedule or queue source (exactly one each). */
export function functionOfSource(
  kind: 'stream' | 'schedule' | 'queue',
  source: string,
  entries: readonly FunctionEntry[] = FUNCTIONS,
): string {
  const found = entries.filter(
    ({ trigger }) =>
      trigger.kind === kind &&
      (('source' in trigger && trigger.source === source) ||
        (trigger.kind === 'queue' && trigger.queue === source)),
  );
  if (found.length !== 1 || !found[0]) throw new Error(`Expected one ${kind} function for ${source}`);
  return found[0].name;
}

/** The functions that ship `module` next to their bundle. */
export function functionsWithLazyModule(module: LazyModule): readonly string[] {
  return FUNCTIONS.filter((entry) => entry.lazyModules?.includes(module)).map((entry) => entry.name);
}

/**
 * What the types cannot say about the manifest as a whole; every consumer (CDK synth, the local
 * stack, the tests) calls it, and an empty list means the manifest is consistent.
 */
export function manifestProblems(entries: readonly FunctionEntry[] = FUNCTIONS): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const routes = new Set<string>();
  for (const entry of entries) {
    const { name, trigger } = entry;
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name)) problems.push(`${name}: not a kebab-case file name`);
    if (seen.has(name)) problems.push(`${name}: more than one entry`);
    seen.add(name);
    if (trigger.kind === 'route') {
      const key = `${trigger.method} ${trigger.path}`;
      if (routes.has(key)) problems.push(`${name}: ${key} is served by another function too`);
      routes.add(key);
      if (!trigger.path.startsWith('/v1/')) problems.push(`${name}: ${trigger.path} is outside /v1`);
      const staffGroups = trigger.auth === 'staff' || trigger.auth === 'merchant-or-staff';
      if (staffGroups !== (trigger.groups !== undefined && trigger.groups.length > 0))
        problems.push(`${name}: groups are required on staff routes and allowed nowhere else`);
      const guarded = trigger.auth === 'merchant' || trigger.auth === 'merchant-or-staff';
      if (guarded !== (trigger.object !== undefined))
        problems.push(`${name}: an object kind is required on merchant routes and allowed nowhere else`);
      // The guard forgets a first token's replayable copy on the token's first use (spec 6).
      if (trigger.object === 'application' && !entry.table?.write?.includes('tokenReplay'))
        problems.push(`${name}: an application route must write tokenReplay (the guard forgets it)`);
    }
    // A scheduled function runs locally on its path, unless only a provider's profile deploys it.
    if (
      trigger.kind === 'schedule' &&
      'schedule' in trigger &&
      (trigger.localPath === undefined) === (trigger.provider === undefined)
    )
      problems.push(`${name}: a scheduled function has a local path or a provider, not both`);
    if (trigger.kind === 'task' && !PROCESSES.some((process) => process.name === trigger.process))
      problems.push(`${name}: unknown process ${trigger.process}`);
    const drives = (entry.capabilities ?? []).some((capability) =>
      WORKFLOW_CAPABILITIES.includes(capability),
    );
    if (drives !== (entry.workflows !== undefined && entry.workflows.length > 0))
      problems.push(
        `${name}: workflows are required with a state machine capability and allowed nowhere else`,
      );
    for (const process of entry.workflows ?? [])
      if (!PROCESSES.some((candidate) => candidate.name === process))
        problems.push(`${name}: unknown process ${process}`);
    const capabilities = entry.capabilities ?? [];
    if (new Set(capabilities).size !== capabilities.length) problems.push(`${name}: a capability twice`);
  }
  return problems;
}
