import type { CardLimits, CardType, Limits } from '../../common/api';
import { FieldNotes } from '../../common/components';
import { label, useI18n } from './i18n';
import { CARD_TYPES, formatYuan, LIMIT_NAMES, type LimitProblem, type LimitsDraft, percentOf } from './money';

/**
 * The limits of every card type as a grid of inputs in yuan: one row per card type, one column per
 * limit. Each input is named by its row and column headers ("Debit card Per transaction"), says the
 * limit in force under it and carries its own error (by the API's field path, `limits.DEBIT.dailyFen`).
 */
export function LimitsEditor(props: {
  id: string;
  caption: string;
  /** The caption for screen readers only (a legend around the table says it already). */
  hideCaption?: boolean;
  draft: LimitsDraft;
  current: Limits;
  onDraft: (draft: LimitsDraft) => void;
  /** The error of a field path, if any. */
  problem: (field: string) => string | undefined;
  /** The card types first in the list (the alert's own). */
  first?: CardType | undefined;
}) {
  const { t } = useI18n();
  const cards = props.first
    ? [props.first, ...CARD_TYPES.filter((card) => card !== props.first)]
    : CARD_TYPES;
  const set = (card: CardType, name: keyof CardLimits, value: string) =>
    props.onDraft({ ...props.draft, [card]: { ...props.draft[card], [name]: value } });
  return (
    <div class="table-scroll">
      <table class="limits-editor">
        <caption class={props.hideCaption ? 'visually-hidden' : undefined}>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="nowrap">
              {t.limits.cardType}
            </th>
            {LIMIT_NAMES.map((name) => (
              <th scope="col" key={name} id={`${props.id}-col-${name}`}>
                {label(t.limitNames, name)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cards.map((card) => (
            <tr key={card}>
              <th scope="row" class="nowrap" id={`${props.id}-row-${card}`}>
                {label(t.cardTypes, card)}
              </th>
              {LIMIT_NAMES.map((name) => {
                const id = `${props.id}-${card}-${name}`;
                const error = props.problem(`limits.${card}.${name}`);
                return (
                  <td key={name} class={error ? 'limit-cell field--error' : 'limit-cell'}>
                    <input
                      id={id}
                      name={id}
                      type="text"
                      inputMode="decimal"
                      autoComplete="off"
                      maxLength={16}
                      value={props.draft[card][name]}
                      aria-labelledby={`${props.id}-row-${card} ${props.id}-col-${name}`}
                      aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
                      aria-invalid={error ? 'true' : undefined}
                      onInput={(e) => set(card, name, e.currentTarget.value)}
                    />
                    <FieldNotes
                      id={id}
                      hint={`${t.risk.inForce} ${formatYuan(props.current[card][name])}`}
                      error={error}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A limit problem found before sending, in words. */
export function limitProblemText(
  t: ReturnType<typeof useI18n>['t'],
  problem: Pick<LimitProblem, 'code' | 'currentFen'>,
): string {
  return problem.code === 'NOT_LOWER'
    ? t.risk.notLower(formatYuan(problem.currentFen))
    : t.risk.invalidAmount;
}

/**
 * A usage figure with its share of the limit as a meter, named by its card type and period (so a
 * screen reader says what it is: "Debit card, today: 38% used").
 */
export function UsageMeter(props: { used: number; limit: number; card: string; period: string }) {
  const { t } = useI18n();
  const percent = percentOf(props.used, props.limit);
  return (
    <span class="usage">
      <span>
        {formatYuan(props.used)} <span class="subtle">· {percent}%</span>
      </span>
      <meter
        min={0}
        max={100}
        low={80}
        high={100}
        optimum={0}
        value={Math.min(percent, 100)}
        aria-label={t.limits.meter(props.card, props.period, percent)}
      />
    </span>
  );
}
