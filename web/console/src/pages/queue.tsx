import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { listReviews, type ReviewItem, type ReviewKind } from '../../../common/api';
import { Alert, SelectField } from '../../../common/components';
import { formatAge, formatDateTime } from '../../../common/format';
import { hrefOf, navigate } from '../../../common/router';
import { label, type Strings, useI18n } from '../i18n';
import { formatYuan } from '../money';
import { useSession } from '../session-context';

const KINDS: readonly ReviewKind[] = [
  'APPLICATION',
  'CHANGE_REQUEST',
  'TERMINAL_TRANSFER',
  'RISK_ALERT',
  'LIMIT_INCREASE',
];

/**
 * Tasks per page: the oldest 50 are what a reviewer works next, and half the rows of the API's
 * largest page render in about half the time on a slow machine; "Load more" fetches the next 50.
 */
export const QUEUE_PAGE_SIZE = 50;

/**
 * The loaded pages of one listing: the whole queue (`kind: ''`) or one kind's, all its tasks or the
 * escalated ones, and its next cursor.
 */
interface Listing {
  readonly kind: ReviewKind | '';
  readonly escalated: boolean;
  readonly items: readonly ReviewItem[];
  readonly cursor: string | null;
}

/**
 * The review queue (spec 4.2, section 10): pending tasks oldest first, with kind, subject, age,
 * deadline and escalation; each row links to its case. The kind filter is the page's address
 * (`#/queue?kind=RISK_ALERT`, the "Risk alerts" link) and asks the API for that kind's own queue,
 * so a kind behind thousands of older tasks of other kinds still shows; "escalated only" asks the
 * API for the escalated tasks (with the kind, when one is chosen), so an escalated task behind
 * thousands of others shows too. With both, a page can hold fewer rows than asked for, even none,
 * while "Load more" goes on.
 */
export function QueuePage(props: { kind?: string }) {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const kind = KINDS.find((known) => known === props.kind) ?? '';
  const [escalatedOnly, setEscalatedOnly] = useState(false);
  const [listing, setListing] = useState<Listing>({ kind, escalated: false, items: [], cursor: null });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [now, setNow] = useState(Date.now());
  // Each load's number: an answer that arrives after a newer load started (another kind, the
  // escalated filter, a refresh) is dropped, so a slow page never lands in the wrong listing.
  const generation = useRef(0);
  // The words of an error in the language of the moment; a language switch does not reload.
  const describe = useRef(describeError);
  describe.current = describeError;

  const load = useCallback(
    (from: string | null) => {
      const mine = ++generation.current;
      setLoading(true);
      setError(undefined);
      listReviews(session.token, {
        limit: QUEUE_PAGE_SIZE,
        ...(kind ? { kind } : {}),
        ...(escalatedOnly ? { escalated: true } : {}),
        ...(from ? { cursor: from } : {}),
      }).then(
        (page) => {
          if (mine !== generation.current) return;
          setListing((previous) => ({
            kind,
            escalated: escalatedOnly,
            items:
              from && previous.kind === kind && previous.escalated === escalatedOnly
                ? [...previous.items, ...page.items]
                : page.items,
            cursor: page.nextCursor,
          }));
          setNow(Date.now());
          setLoading(false);
        },
        (caught: unknown) => {
          if (mine !== generation.current) return;
          setError(describe.current(caught));
          setLoading(false);
        },
      );
    },
    [session.token, kind, escalatedOnly],
  );

  // The first page is asked for as soon as the page is in the document (a layout effect, as
  // useAsync does), not after the browser has painted it; again when the kind, the escalated filter
  // or the user changes.
  useLayoutEffect(() => {
    load(null);
    return () => {
      generation.current += 1;
    };
  }, [load]);

  // Until the new listing's first page is in, the rows loaded for another listing are kept only
  // where they match the kind and the escalated filter; its cursor is not offered.
  const current = listing.kind === kind && listing.escalated === escalatedOnly;
  const shown = listing.items.filter(
    (item) => (kind === '' || item.kind === kind) && (!escalatedOnly || item.escalated),
  );
  const cursor = current ? listing.cursor : null;

  return (
    <section>
      <h1>{t.queue.title}</h1>
      <div class="filters">
        <SelectField
          id="kind-filter"
          label={t.queue.kindFilter}
          value={kind}
          onValue={(value) => navigate(value ? `/queue?kind=${encodeURIComponent(value)}` : '/queue')}
          options={[
            { value: '', label: t.queue.allKinds },
            ...KINDS.map((value) => ({ value, label: label(t.kinds, value) })),
          ]}
        />
        <label class="checkbox">
          <input
            type="checkbox"
            checked={escalatedOnly}
            onChange={(e) => setEscalatedOnly(e.currentTarget.checked)}
          />
          {t.queue.escalatedOnly}
        </label>
        <button type="button" class="secondary" onClick={() => void load(null)} disabled={loading}>
          {t.queue.refresh}
        </button>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      <p class="hint" aria-live="polite">
        {loading ? t.loading : t.queue.count(shown.length, listing.items.length)}
      </p>
      <div class="table-scroll">
        <table class="queue">
          <caption class="visually-hidden">{t.queue.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.queue.subject}</th>
              <th scope="col">{t.queue.kind}</th>
              <th scope="col">{t.queue.age}</th>
              <th scope="col">{t.queue.deadline}</th>
              <th scope="col">{t.queue.escalated}</th>
              <th scope="col">{t.claim.column}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((item) => (
              <tr key={item.taskId} class={item.escalated ? 'escalated' : undefined}>
                <td>
                  <a href={hrefOf(`/cases/${encodeURIComponent(item.taskId)}`)}>{subjectOf(t, item)}</a>
                  <span class="mono subtle">{item.merchantNo ?? item.subjectId}</span>
                </td>
                <td>{label(t.kinds, item.kind)}</td>
                <td>
                  <time dateTime={item.createdAt}>{formatAge(item.createdAt, now, lang)}</time>
                </td>
                <td>
                  <time dateTime={item.deadline}>{formatDateTime(item.deadline, lang)}</time>
                </td>
                <td>
                  {item.escalated ? (
                    <span class="badge badge--bad">{t.yes}</span>
                  ) : (
                    <span class="badge">{t.no}</span>
                  )}
                </td>
                <td>
                  {item.claim && Date.parse(item.claim.until) > now ? (
                    <time dateTime={item.claim.until}>
                      {t.claim.inQueue(
                        item.claim.by,
                        Math.max(1, Math.ceil((Date.parse(item.claim.until) - now) / 60_000)),
                      )}
                    </time>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {/* An escalated page of one kind can be empty while later ones are not: "Load more" then. */}
      {!loading && shown.length === 0 && !cursor ? (
        <p>{escalatedOnly ? t.queue.emptyEscalated : t.queue.empty}</p>
      ) : null}
      {cursor ? (
        <div class="actions">
          <button type="button" class="secondary" onClick={() => void load(cursor)} disabled={loading}>
            {t.queue.loadMore}
          </button>
        </div>
      ) : null}
    </section>
  );
}

/** A row's subject in words: a risk alert's rule, day and terminal; a limit request's card and amounts. */
function subjectOf(t: Strings, item: ReviewItem): string {
  if (item.kind === 'RISK_ALERT' && item.rule)
    return [label(t.rules, item.rule), item.day, item.serialNumber].filter(Boolean).join(' · ');
  if (item.kind === 'LIMIT_INCREASE' && item.request)
    return `${label(t.cardTypes, item.request.cardType)} · ${t.risk.requested} ${formatYuan(item.request.dailyFen)} / ${formatYuan(item.request.monthlyFen)}`;
  return item.summary || item.subjectId;
}
