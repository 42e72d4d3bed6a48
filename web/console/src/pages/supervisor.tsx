import { type Decision, getReviewStats, type ReviewStats } from '../../../common/api';
import { Alert } from '../../../common/components';
import { formatAge, formatDateTime } from '../../../common/format';
import { useAsync } from '../../../common/use-async';
import { label, type Strings, useI18n } from '../i18n';
import { useSession } from '../session-context';

/** Every decision the figures count: reviews of onboarding, changes and transfers, then risk alerts'. */
const DECISIONS: readonly Decision[] = [
  'APPROVE',
  'REJECT',
  'REQUEST_CHANGES',
  'DISMISS',
  'SUSPEND_TERMINAL',
  'SUSPEND_MERCHANT',
  'LOWER_LIMITS',
];

/**
 * The supervisor view (spec section 10): queue depth, escalations and the oldest task's age by
 * kind, and the decisions of each of the last 14 days as a bar chart drawn in SVG, with the same
 * figures in a table (the chart's text alternative).
 */
export function SupervisorPage() {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const stats = useAsync(() => getReviewStats(session.token), [session.token]);
  const value = stats.value;

  return (
    <section>
      <h1>{t.supervisor.title}</h1>
      <div class="filters">
        <button type="button" class="secondary" onClick={stats.reload} disabled={stats.loading}>
          {t.queue.refresh}
        </button>
        <p class="hint" aria-live="polite">
          {stats.loading ? t.loading : value ? t.supervisor.asOf(formatDateTime(value.asOf, lang)) : ''}
        </p>
      </div>
      {stats.error ? <Alert>{describeError(stats.error)}</Alert> : null}
      {value ? (
        <>
          <p>{t.supervisor.totals(value.pending, value.escalated)}</p>
          <div class="table-scroll">
            <table>
              <caption>{t.supervisor.queueCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.supervisor.kind}</th>
                  <th scope="col" class="numeric">
                    {t.supervisor.pending}
                  </th>
                  <th scope="col" class="numeric">
                    {t.supervisor.escalated}
                  </th>
                  <th scope="col">{t.supervisor.oldest}</th>
                </tr>
              </thead>
              <tbody>
                {value.queue.map((kind) => (
                  <tr key={kind.kind}>
                    <th scope="row">{label(t.kinds, kind.kind)}</th>
                    <td class="numeric">{kind.pending}</td>
                    <td class="numeric">{kind.escalated}</td>
                    <td>
                      {kind.oldestCreatedAt ? (
                        <time dateTime={kind.oldestCreatedAt}>
                          {formatAge(kind.oldestCreatedAt, Date.parse(value.asOf), lang)}
                        </time>
                      ) : (
                        t.supervisor.noneWaiting
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <DecisionsChart t={t} days={value.days} />
          <DecisionsTable t={t} days={value.days} />
        </>
      ) : null}
    </section>
  );
}

type Days = ReviewStats['days'];

const total = (day: Days[number]) => DECISIONS.reduce((sum, decision) => sum + day.decisions[decision], 0);

/** `2026-12-01` → `12-01`. */
const shortDay = (day: string) => day.slice(5);

/** Stacked bars of the decisions per day, in a 560 × 200 view box; the table below says the same. */
function DecisionsChart(props: { t: Strings; days: Days }) {
  const { t, days } = props;
  const width = 560;
  const height = 200;
  const left = 32;
  const bottom = 24;
  const top = 8;
  const plotHeight = height - bottom - top;
  const slot = (width - left) / Math.max(days.length, 1);
  const totals = days.map(total);
  const max = Math.max(1, ...totals);
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  const ticks = [...new Set([0, Math.round(max / 2), max])];
  const sum = totals.reduce((a, b) => a + b, 0);
  const busiest = totals.indexOf(Math.max(...totals, 0));
  return (
    <figure>
      <svg
        class="chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="decisions-chart-title decisions-chart-summary"
      >
        <title id="decisions-chart-title">{t.supervisor.chartTitle}</title>
        {ticks.map((tick) => (
          <g key={tick}>
            <line class="axis" x1={left} x2={width} y1={y(tick)} y2={y(tick)} />
            <text x={left - 6} y={y(tick) + 4} text-anchor="end">
              {tick}
            </text>
          </g>
        ))}
        {days.map((day, index) => {
          let base = 0;
          const x = left + index * slot + slot * 0.15;
          return (
            <g key={day.day}>
              {DECISIONS.map((decision) => {
                const count = day.decisions[decision];
                const from = base;
                base += count;
                return count > 0 ? (
                  <rect
                    key={decision}
                    class={`bar-${decision}`}
                    x={x}
                    width={slot * 0.7}
                    y={y(from + count)}
                    height={y(from) - y(from + count)}
                  />
                ) : null;
              })}
              {index % 2 === days.length % 2 ? null : (
                <text x={x + slot * 0.35} y={height - 8} text-anchor="middle">
                  {shortDay(day.day)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <p id="decisions-chart-summary">
          {t.supervisor.chartSummary(sum, days[busiest]?.day ?? '', totals[busiest] ?? 0)}{' '}
          {t.supervisor.tableNote}
        </p>
        <ul class="legend" aria-hidden="true">
          {DECISIONS.map((decision) => (
            <li key={decision}>
              <span class={`swatch swatch-${decision}`} />
              {label(t.decisions, decision)}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** The chart's figures, one row per day (the text alternative of the chart). */
function DecisionsTable(props: { t: Strings; days: Days }) {
  const { t, days } = props;
  return (
    <div class="table-scroll">
      <table>
        <caption>{t.supervisor.decisionsCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.supervisor.day}</th>
            {DECISIONS.map((decision) => (
              <th key={decision} scope="col" class="numeric">
                {label(t.decisions, decision)}
              </th>
            ))}
            <th scope="col" class="numeric">
              {t.supervisor.total}
            </th>
            <th scope="col" class="numeric">
              {t.supervisor.escalations}
            </th>
          </tr>
        </thead>
        <tbody>
          {[...days].reverse().map((day) => (
            <tr key={day.day}>
              <th scope="row">
                <time dateTime={day.day}>{day.day}</time>
              </th>
              {DECISIONS.map((decision) => (
                <td key={decision} class="numeric">
                  {day.decisions[decision]}
                </td>
              ))}
              <td class="numeric">{total(day)}</td>
              <td class="numeric">{day.escalations}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
