/*
 * The command line of `npm run bench` (bench/run.ts): no arguments is the whole bench; `--only` and
 * `--functions` narrow it for work on one part. Kept apart from run.ts, which runs on import.
 */

/** The parts `--only` can name. */
export const PARTS = [
  'cold-start',
  'warm-overhead',
  'throughput',
  'cost',
  'scale',
  'agreement-pdf',
  'ingest',
  'console',
  'merchant-pages',
] as const;
/** One of {@link PARTS}. */
export type Part = (typeof PARTS)[number];

/** What the command line asks for; no flags is the whole bench. */
export interface BenchSelection {
  readonly parts: ReadonlySet<Part>;
  /** Cold start only for these functions (`undefined`: every deployed function). */
  readonly functions?: readonly string[];
  /** Whether this is the whole bench, the only run that may write bench/results.md. */
  readonly complete: boolean;
}

/** Parses `--only a,b` and `--functions x,y` (also as `--only=a,b`); throws on anything else. */
export function parseSelection(argv: readonly string[]): BenchSelection {
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    const match = /^--(only|functions)(?:=(.*))?$/.exec(arg);
    if (!match?.[1]) throw new Error(`unknown argument ${arg} (use --only <parts> and --functions <names>)`);
    const value = match[2] ?? argv[++index];
    if (value === undefined || value === '') throw new Error(`--${match[1]} needs a comma-separated list`);
    values.set(match[1], value);
  }
  const list = (name: string) =>
    values
      .get(name)
      ?.split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const only = list('only');
  const unknown = (only ?? []).filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(', ')} (parts: ${PARTS.join(', ')})`);
  const functions = list('functions');
  return {
    parts: new Set((only ?? PARTS) as readonly Part[]),
    ...(functions ? { functions } : {}),
    complete: only === undefined && functions === undefined,
  };
}
