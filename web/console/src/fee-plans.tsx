import { type PlanRiskLevel, rateLines, surchargeLine } from '../../../shared/fee-plans/plan';
import type { FeePlanView } from '../../common/api';
import { SelectField } from '../../common/components';
import { useI18n } from './i18n';

/** A plan's rates in words, one line per card type (% from bps, 元 from fen: integer arithmetic). */
export function PlanRates(props: {
  rates: FeePlanView['rates'];
  t0SurchargeBps: number;
  cycle: string | undefined;
  id?: string;
}) {
  const { lang } = useI18n();
  const surcharge =
    props.cycle === 'T0' || props.cycle === 'T1'
      ? surchargeLine(props.t0SurchargeBps, props.cycle, lang)
      : undefined;
  return (
    <ul class="rates" id={props.id}>
      {[...rateLines(props.rates, lang), ...(surcharge ? [surcharge] : [])].map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

/**
 * A fee plan picker: the plans allowed for the MCC, the default one marked as such, and the rates
 * of the chosen one. The value is the plan code (a string); rates stay integers from the API.
 */
export function FeePlanPicker(props: {
  id: string;
  plans: readonly FeePlanView[];
  value: string;
  onValue: (code: string) => void;
  defaultCode: string | undefined;
  level: PlanRiskLevel | undefined;
  cycle: string | undefined;
  error?: string | undefined;
  label?: string;
}) {
  const { t } = useI18n();
  const chosen = props.plans.find((plan) => plan.code === props.value);
  return (
    <div class="fee-plan">
      <SelectField
        id={props.id}
        label={props.label ?? t.feePlans.label}
        value={props.value}
        options={props.plans.map((plan) => ({
          value: plan.code,
          label: t.feePlans.option(plan.code, plan.version, plan.name, plan.code === props.defaultCode),
        }))}
        onValue={props.onValue}
        error={props.error}
        hint={props.level && props.defaultCode ? t.feePlans.hint(props.level, props.defaultCode) : undefined}
      />
      {chosen ? (
        <div class="fee-plan-rates">
          <p id={`${props.id}-rates-title`} class="hint">
            {t.feePlans.rates} · {chosen.code} v{chosen.version}
          </p>
          <PlanRates rates={chosen.rates} t0SurchargeBps={chosen.t0SurchargeBps} cycle={props.cycle} />
        </div>
      ) : null}
    </div>
  );
}
