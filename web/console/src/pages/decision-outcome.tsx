import type { ComponentChildren } from 'preact';
import type { ReviewDetail } from '../../../common/api';
import { formatDateTime } from '../../../common/format';
import { label, useI18n } from '../i18n';

/**
 * What the decision card of a task that is no longer pending shows: who decided what and when,
 * followed by the reasons (each kind of case lists them its own way), or the status of a task
 * closed without a decision (withdrawn, expired).
 */
export function DecisionOutcome(props: { item: ReviewDetail; reasons?: ComponentChildren }) {
  const { t, lang } = useI18n();
  const { item } = props;
  if (!item.decision) return <p>{t.case.notPending(label(t.statuses, item.status))}</p>;
  return (
    <>
      <p>
        {t.case.decided(
          label(t.decisions, item.decision),
          item.decidedBy ?? '',
          formatDateTime(item.decidedAt, lang),
        )}
      </p>
      {props.reasons}
    </>
  );
}
