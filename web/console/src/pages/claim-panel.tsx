import { useEffect, useState } from 'preact/hooks';
import { ApiError, claimReview, type ReviewClaim } from '../../../common/api';
import { Alert } from '../../../common/components';
import { formatDateTime } from '../../../common/format';
import { useAction } from '../../../common/use-action';
import { useI18n } from '../i18n';
import { useSession } from '../session-context';

/** The current time, ticking every 15 seconds (the claim's remaining minutes). */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** A claim while its lease is live at `now`. */
export function liveClaimOf(claim: ReviewClaim | null | undefined, now: number): ReviewClaim | undefined {
  return claim && Date.parse(claim.until) > now ? claim : undefined;
}

/**
 * Who holds the case (spec: two reviewers never work one case): claim it, or renew one's own
 * lease; a case another reviewer holds says who and until when.
 */
export function ClaimPanel(props: {
  taskId: string;
  claim: ReviewClaim | undefined;
  mine: boolean;
  /** Ticks every 15 s, so that the remaining minutes are rendered again. */
  now: number;
  onClaimed: (claim: ReviewClaim) => void;
}) {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const { busy, error, run } = useAction((caught) => {
    if (!(caught instanceof ApiError && caught.code === 'REVIEW_CLAIMED')) return describeError(caught);
    // Another reviewer was first: the panel shows their claim.
    const by = String(caught.details.claimedBy ?? '');
    const until = String(caught.details.claimedUntil ?? '');
    props.onClaimed({ by, until });
    return t.claim.heldByOther(by, formatDateTime(until, lang));
  });
  const { claim, mine } = props;
  // `now` re-renders the panel every 15 s; the minutes are counted from this very moment.
  const minutes = claim ? Math.max(1, Math.ceil((Date.parse(claim.until) - Date.now()) / 60_000)) : 0;

  const takeClaim = () =>
    run(async () => {
      const answer = await claimReview(session.token, props.taskId);
      props.onClaimed({ by: answer.claimedBy, until: answer.claimedUntil });
    });

  return (
    <section class="card claim" aria-labelledby="claim-heading">
      <h2 id="claim-heading">{t.claim.title}</h2>
      {error ? <Alert>{error}</Alert> : null}
      <p aria-live="polite">
        {!claim
          ? t.claim.free
          : mine
            ? t.claim.yours(formatDateTime(claim.until, lang), minutes)
            : t.claim.heldByOther(claim.by, formatDateTime(claim.until, lang))}
      </p>
      {!claim || mine ? (
        <button
          type="button"
          class={mine ? 'secondary' : undefined}
          disabled={busy}
          onClick={() => void takeClaim()}
        >
          {mine ? t.claim.renew : t.claim.claim}
        </button>
      ) : null}
    </section>
  );
}
