import { describe, expect, it } from 'vitest';
import { readAsl } from '../../../shared/manifest/asl';
import { PROCESSES } from '../../../shared/manifest/processes';
import { WORKFLOW_SEND_ATTEMPTS } from '../../../shared/notifications/send-once';

interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Next?: string;
  Default?: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts: number; BackoffRate: number; IntervalSeconds: number }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
}

/** `${TaskNotifyArn}`: how the ASL names a task function before substitution. */
const placeholder = (name: string) => `\${${name}Arn}`;

type Asl = { StartAt: string; States: Record<string, State> };
const aslOf = Object.fromEntries(
  PROCESSES.map((process) => [process.name, JSON.parse(readAsl(process)) as Asl]),
);
const onboarding = aslOf.onboarding as Asl;
const transfer = aslOf['terminal-transfer'] as Asl;
/** Every state of every process, as `<process> <state>`. */
const allStates = Object.entries(aslOf).flatMap(([process, asl]) =>
  Object.entries(asl.States).map(([name, state]): [string, State] => [`${process} ${name}`, state]),
);
const NOTIFY_RESOURCES = [
  placeholder('TaskNotify'),
  placeholder('TaskTransferNotify'),
  placeholder('TaskChangeNotify'),
];
const notifyStates = allStates.filter(([, state]) => NOTIFY_RESOURCES.includes(state.Resource ?? ''));
/** Steps that send the merchant's messages themselves (the callback ones through FunctionName). */
const SENDING_STEPS = [
  placeholder('TaskEscalateReview'),
  placeholder('TaskTransferEscalateReview'),
  placeholder('TaskChangeEscalateReview'),
  placeholder('TaskRunChecks'),
  placeholder('TaskAwaitResubmission'),
  placeholder('TaskRecordDecision'),
  placeholder('TaskProvisionMerchant'),
];
const functionOf = (state: State) => state.Resource ?? '';
const sendingStates = allStates.filter(([, state]) =>
  [...NOTIFY_RESOURCES, ...SENDING_STEPS].some(
    (resource) => functionOf(state) === resource || state.Parameters?.FunctionName === resource,
  ),
);

describe('notification states of the workflow', () => {
  it('acknowledges every onboarding submission in the checks step, its first state, and every corrected resubmission', () => {
    expect(onboarding.StartAt).toBe('CheckAndAwaitReview');
    expect(onboarding.States.CheckAndAwaitReview).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: placeholder('TaskRunChecks') },
      Next: 'RouteDecision',
    });
    expect(onboarding.States.AwaitResubmission?.Next).toBe('CheckAndAwaitReview');
    expect(transfer.StartAt).toBe('TransferNotifyRequested');
    expect(transfer.States.TransferAwaitAcceptance?.Next).toBe('TransferNotifyAccepted');
    expect(transfer.States.TransferNotifyAccepted).toMatchObject({
      Parameters: { event: 'ACCEPTED' },
      Next: 'TransferAwaitReview',
    });
  });

  it('sends from every step that ends an onboarding or waits for the merchant', () => {
    expect(sendingStates.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'onboarding CheckAndAwaitReview',
        'onboarding EscalateReview',
        'onboarding AwaitResubmission',
        'onboarding RecordRejection',
        'onboarding ProvisionMerchant',
        'onboarding NotifyOutcome',
        'terminal-transfer TransferEscalateReview',
        'terminal-transfer TransferNotifyOutcome',
        'change-request ChangeEscalateReview',
        'change-request ChangeNotifyOutcome',
      ]),
    );
  });

  it.each(sendingStates)(
    '%s retries with backoff exactly as often as the send records count attempts',
    (_name, state) => {
      const retrier = state.Retry?.find((retry) => retry.ErrorEquals.includes('States.TaskFailed'));
      expect(retrier?.MaxAttempts).toBe(WORKFLOW_SEND_ATTEMPTS - 1);
      expect(retrier?.BackoffRate).toBeGreaterThan(1);
    },
  );

  it.each(notifyStates)('%s goes on with the workflow when notifying fails for good', (_name, state) => {
    expect(state.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.notifyFailure', Next: state.Next },
    ]);
  });
});
