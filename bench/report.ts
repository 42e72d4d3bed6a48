import { describeTarget, meets, ratioOf, type Target } from './stats';

/** The parts of the bench, in report order. */
export const SECTIONS = {
  'cold-start': 'Cold start (per deployed function; init in CPU time)',
  'warm-overhead': 'Warm overhead (per API route, in-process)',
  throughput: 'Local throughput (POST /v1/applications)',
  cost: 'Cost per onboarding',
  scale: 'Scale (read units vs stored applications)',
  'agreement-pdf': 'Agreement PDF rendering (per agreement, in-process)',
  ingest: 'Daily checks: transaction stream ingest',
  console: 'Staff console (first page, queue paint, read units vs pending tasks)',
  'merchant-pages': 'Merchant pages (first page, largest contentful paint on a phone)',
} as const;

/** One of {@link SECTIONS}. */
export type Section = keyof typeof SECTIONS;

/** A measured figure before it is judged. */
export interface FigureInput {
  readonly section: Section;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The same figure for the floor, measured in the same run. */
  readonly floor?: number;
  /** What the floor is, in a few words. */
  readonly floorName?: string;
  readonly target: Target;
  /** For a miss: why, and what would close it. Also used for notes on passing figures. */
  readonly why?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A judged figure, as written to `bench/results.json`. */
export interface Figure extends FigureInput {
  readonly ratio?: number;
  readonly targetText: string;
  /** `undefined` for a figure that is reported but not judged. */
  readonly pass?: boolean;
}

/** Judges a figure against its target. */
export function judge(input: FigureInput): Figure {
  return {
    ...input,
    ratio: ratioOf(input.value, input.floor),
    targetText: describeTarget(input.target),
    pass: meets(input.target, input.value, input.floor),
  };
}

/** A number for a table cell: more decimals for small values, thousands grouped. */
export function formatNumber(value: number | null): string {
  // NaN and Infinity come back from results.json as null: a figure that could not be measured.
  if (value === null || !Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  const digits = abs === 0 || abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : abs >= 0.01 ? 3 : 5;
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function verdict(figure: Figure): string {
  if (figure.pass === undefined) return 'info';
  return figure.pass ? 'pass' : '**FAIL**';
}

/** One markdown table of figures. */
export function figureTable(figures: readonly Figure[]): string {
  const lines = [
    '| figure | value | floor | ratio | target | result | why / what would close it |',
    '|---|---:|---:|---:|---|---|---|',
  ];
  for (const figure of figures) {
    const floor =
      figure.floor === undefined
        ? '—'
        : `${formatNumber(figure.floor)} ${figure.unit}${figure.floorName ? ` (${figure.floorName})` : ''}`;
    lines.push(
      `| ${cell(figure.name)} | ${formatNumber(figure.value)} ${figure.unit} | ${cell(floor)} | ${
        figure.ratio === undefined ? '—' : figure.ratio.toFixed(2)
      } | ${cell(figure.targetText)} | ${verdict(figure)} | ${cell(figure.why ?? '')} |`,
    );
  }
  return lines.join('\n');
}

/** Per section: how many figures are judged, how many pass. */
export function summaryTable(figures: readonly Figure[]): string {
  const lines = ['| part | judged | pass | fail | worst ratio |', '|---|---:|---:|---:|---:|'];
  for (const [section, title] of Object.entries(SECTIONS)) {
    const inSection = figures.filter((figure) => figure.section === section);
    if (inSection.length === 0) continue;
    const judged = inSection.filter((figure) => figure.pass !== undefined);
    const passed = judged.filter((figure) => figure.pass).length;
    const ratios = judged
      .filter((figure) => figure.ratio !== undefined && figure.target.kind === 'ratio-max')
      .map((figure) => figure.ratio as number);
    const worst = ratios.length > 0 ? Math.max(...ratios).toFixed(2) : '—';
    lines.push(`| ${title} | ${judged.length} | ${passed} | ${judged.length - passed} | ${worst} |`);
  }
  return lines.join('\n');
}

/** Everything `bench/results.md` says, given the figures and the run's facts. */
export function renderMarkdown(input: {
  figures: readonly Figure[];
  startedAt: string;
  durationSeconds: number;
  machine: string;
  notes: readonly string[];
}): string {
  const parts = [
    '# `npm run bench` results',
    '',
    `Run ${input.startedAt} on ${input.machine}; the whole run took ${Math.round(input.durationSeconds)} s.`,
    'Every floor was measured in the same run on the same machine, so the ratios hold on a noisy machine',
    'even when the absolute numbers move. See docs/performance.md for how to read this.',
    '',
    '## Summary',
    '',
    summaryTable(input.figures),
    '',
  ];
  for (const [section, title] of Object.entries(SECTIONS)) {
    const inSection = input.figures.filter((figure) => figure.section === section);
    if (inSection.length === 0) continue;
    parts.push(`## ${title}`, '', figureTable(inSection), '');
  }
  if (input.notes.length > 0) {
    parts.push('## Notes', '', ...input.notes.map((note) => `- ${note}`), '');
  }
  return parts.join('\n');
}
