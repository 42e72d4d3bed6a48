import type { Figure } from './report';

/*
 * The "why, and what would close it" of each part whose figures miss their target, for
 * bench/results.md. The causes named here were found by bisecting bundles and reading the request
 * paths; the per-row numbers come from the run.
 */

function misses(figures: readonly Figure[], section: Figure['section'], suffix = ''): Figure[] {
  return figures.filter(
    (figure) => figure.section === section && figure.pass === false && figure.name.endsWith(suffix),
  );
}

/** The packages most often among the largest extras of the given cold-start figures. */
function commonExtras(figures: readonly Figure[]): string {
  const counts = new Map<string, number>();
  for (const figure of figures) {
    const extras = String(figure.details?.extraContributors ?? '');
    for (const part of extras.split(', ').filter(Boolean)) {
      const owner = part.replace(/ \d+ KB$/, '');
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([owner, count]) => `${owner} (${count})`)
    .join(', ');
}

/** Notes for the parts that missed a target (nothing for a part that met all of its targets). */
export function explainMisses(figures: readonly Figure[]): string[] {
  const notes: string[] = [];
  const initMisses = misses(figures, 'cold-start', '· init');
  const initJudged = figures.filter(
    (figure) => figure.section === 'cold-start' && figure.name.endsWith('· init'),
  );
  if (initMisses.length > 0) {
    notes.push(
      `Cold start (init): ${initMisses.length} of ${initJudged.length} functions take more than 1.15 × their floor. ` +
        `The floor only loads and creates the SDK clients and a Powertools logger and exports a @middy/core handler. Profiles of the import (node --cpu-prof, 20 runs) put ` +
        `most of init into compiling the bundle's source and reading its source map, both in proportion to its ` +
        `bytes; evaluating the product's own module scope is under 1 ms, so init grows with bytes. ` +
        `Most frequent among the largest ` +
        `extras of the missing functions: ${commonExtras(initMisses)}. What closes a miss is fewer bytes: ` +
        'annotate module-scope values with a `@__PURE__` comment so unused ones (and zod behind them) are dropped, ' +
        'make each of many helpers an export of its own and import the module as a namespace (shared/keys.ts) rather than one object of them, ' +
        'split an adapter class whose methods only some functions call (shared/adapters/dynamodb-daily-check-decisions.ts), ' +
        `keep a use case a Task needs out of modules that also hold request schemas, ship a package needed ` +
        'only on some requests next to the bundle (`lazyModules` of its manifest entry). Init is judged ' +
        `in CPU time, which leaves out waiting for a core; still, on this 2-core VM the median of 15 ` +
        `processes moves by a few per cent from run to run, so verdicts near 1.15 can flip between runs ` +
        '(each row gives its 90 % interval).',
    );
    const withoutClients = initMisses.filter((figure) => figure.floorName?.includes('no SDK client'));
    if (withoutClients.length > 0) {
      notes.push(
        `Cold start (init) without an SDK client (${withoutClients.map((figure) => figure.name.replace(' · init', '')).join(', ')}): ` +
          'the floor is a @middy/core handler with the Powertools logger and nothing else (no SDK client to load), ' +
          'so the route stack (the house middlewares, the error map, the config module) weighs on it as on no other ' +
          'function: a few milliseconds are a large share of a small floor.',
      );
    }
  }
  const bytesMisses = misses(figures, 'cold-start', '· bytes');
  if (bytesMisses.length > 0) {
    notes.push(
      `Cold start (bytes): ${bytesMisses.length} functions ship more than 100 KB over their floor; the rows name the ` +
        `largest extra packages. Closing it is the same work as for init: fewer modules evaluated per function.`,
    );
  }
  const warm = misses(figures, 'warm-overhead');
  if (warm.length > 0) {
    notes.push(
      'Warm overhead: the handler adds the middy chain (Powertools injectLambdaContext, the request log ' +
        'context, header normalization, the body size, media type and JSON checks), one Powertools log line per ' +
        'request (the line is built, copied, serialized through the redacting replacer and written: ~14 µs ' +
        'in-process on this VM), body JSON.parse (the bare use case receives the parsed body), authentication ' +
        'and JSON.stringify of the response; middy runs without its early-timeout timer. The route rows show ' +
        'which of these dominate: a route far above the others does more before its use case (a token check, ' +
        'a guard read) than the chain does.',
    );
  }
  const throughput = misses(figures, 'throughput');
  if (throughput.length > 0) {
    const api = figures.find(
      (figure) => figure.section === 'throughput' && figure.target.kind === 'ratio-min',
    );
    const pattern = figures.find(
      (figure) => figure.section === 'throughput' && figure.name.startsWith('raw '),
    );
    const share = (figure: Figure | undefined) =>
      figure?.ratio === undefined ? 'n/a' : `${figure.ratio.toFixed(2)} × PutItem`;
    notes.push(
      `Throughput: the API reached ${share(api)}; the route's own DynamoDB requests, sent raw without API, ` +
        `Lambda or SDK, reached ${share(pattern)}. A create with a new key is one TransactWriteItems of two ` +
        'items: the application (its own idempotency record: the request hash is on it, a replay gets the ' +
        'stored item back with the refusal, no read) and the sealed copy of its first token that only a replay ' +
        'before first use may hand out (spec 6), written together so a replay never finds one without the ' +
        'other. DynamoDB Local runs such a transaction at about half the rate of a PutItem, so the access ' +
        'pattern alone sits near or under the 0.5 target and the judged ratio cannot reach it on this stack; ' +
        'the API against its own pattern is the figure to watch. The rest of the gap is the request path: ' +
        'during the API run the DynamoDB Local JVM shares the 2 cores with the API server, the handler (body ' +
        'validation, field encryption, keyed hashes), its SDK client, the local stream and queue pollers and ' +
        'the load generator. On AWS the table scales out and Lambda does not share cores with it, so this ' +
        'ratio is a property of the local stack more than of the deployment; it is also noisy on a busy ' +
        'machine (run it quiet).',
    );
  }
  const cost = misses(figures, 'cost');
  if (cost.length > 0) {
    notes.push(
      'Cost: the totals with email and SMS meet the target because messages dominate them; without messages ' +
        'the design spends more than the floor on: (1) state transitions, the largest line — the routing Choice states ' +
        '(ChecksOutcome, RouteDecision), the final Succeed state and a Task of its own for the ' +
        '"application received" message, where one Task per spec step would do (and the REQUEST_CHANGES loop ' +
        'records and notifies in two Tasks); (2) reads — every merchant route reads the application twice ' +
        '(once to check the token hash, once in the use case: 2 reads per document URL, submit and GET), the ' +
        'checks read the uniqueness marker again, and the review wait reads the application and the task ' +
        'before writing; (3) writes — the review wait first tries to attach a token to a task that does not ' +
        'exist yet, then puts the task and writes the application, and the activation code is a write of its ' +
        'own at send time. Found by tracing the DynamoDB requests of one happy path. What would close it: ' +
        'return the application read by the token check to the use case (−1 read per merchant call, −6 on ' +
        'the happy path); send "received" from the checks Task (−1 transition and invocation per submission) ' +
        'and record and notify changes requested in one Task (−1 per loop); end on the last Task instead of a ' +
        'Succeed state (−1 transition); and create the review task before attaching a token (−1 refused ' +
        'write, which DynamoDB bills but the adapter cannot count).',
    );
  }
  const scale = misses(figures, 'scale');
  if (scale.length > 0) {
    notes.push(
      'Scale: an access path reads more as the table grows; it must be a GetItem or a bounded Query.',
    );
  }
  return notes;
}
