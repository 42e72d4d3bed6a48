import { useState } from 'preact/hooks';
import {
  ApiError,
  type ApplicationView,
  type ContactChannel,
  confirmVerification,
  requestVerification,
} from '../../common/api';
import { Alert, StatusMessage, TextField } from '../../common/components';
import { useAction } from '../../common/use-action';
import { explainCodeError } from './code-errors';
import { useI18n } from './i18n';
import type { MerchantSession } from './merchant-session';

/**
 * Verifying the contact mobile and email (spec 6): for each, a button that sends a 6-digit code and
 * a labelled field to confirm it. Submit needs both; until then the code is the only message the
 * address gets. Used by the verify step and by the correction of a NEEDS_CHANGES application.
 */
export function ContactVerification(props: {
  app: ApplicationView;
  session: MerchantSession;
  /** Called once a channel is verified, with both channels' state. */
  onVerified: (verified: { phone: boolean; email: boolean }) => void;
}) {
  const { app } = props;
  const [verified, setVerified] = useState(app.contactVerified);
  const done = (channel: ContactChannel) => {
    const next = { ...verified, [channel === 'SMS' ? 'phone' : 'email']: true };
    setVerified(next);
    props.onVerified(next);
  };
  return (
    <div class="verification">
      <ChannelCode
        channel="SMS"
        address={app.contact.phone}
        verified={verified.phone}
        session={props.session}
        onVerified={() => done('SMS')}
      />
      <ChannelCode
        channel="EMAIL"
        address={app.contact.email}
        verified={verified.email}
        session={props.session}
        onVerified={() => done('EMAIL')}
      />
    </div>
  );
}

function ChannelCode(props: {
  channel: ContactChannel;
  /** Masked, as the API shows it. */
  address: string;
  verified: boolean;
  session: MerchantSession;
  onVerified: () => void;
}) {
  const { t } = useI18n();
  const { channel, session } = props;
  const id = channel === 'SMS' ? 'phone-code' : 'email-code';
  const [sentTo, setSentTo] = useState<string>();
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction((caught): string => {
    const known = explainCodeError(t, caught);
    if (known !== undefined || !(caught instanceof ApiError)) return known ?? t.networkError;
    const field = caught.fields[0];
    if (field) return t.problems[field.code] ?? field.message;
    return `${caught.message} (${caught.code})`;
  });
  const label = channel === 'SMS' ? t.verify.phone : t.verify.email;

  return (
    <section class="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{label}</h2>
      <p class="mono">{props.address}</p>
      {props.verified ? (
        <StatusMessage>{t.verify.verified}</StatusMessage>
      ) : (
        <>
          {error ? <Alert>{error}</Alert> : null}
          {sentTo ? <StatusMessage>{t.verify.sentTo(sentTo)}</StatusMessage> : null}
          <button
            type="button"
            class={sentTo ? 'secondary wide' : 'wide'}
            disabled={busy}
            aria-label={`${sentTo ? t.verify.sendAgain : t.verify.send}: ${label}`}
            onClick={() =>
              run(async () => {
                const sent = await requestVerification(session.token, session.applicationId, channel);
                setSentTo(sent.sentTo);
              })
            }
          >
            {sentTo ? t.verify.sendAgain : t.verify.send}
          </button>
          {sentTo ? (
            <form
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                void run(async () => {
                  await confirmVerification(session.token, session.applicationId, channel, code.trim());
                  props.onVerified();
                });
              }}
            >
              <TextField
                id={id}
                label={channel === 'SMS' ? t.verify.phoneCode : t.verify.emailCode}
                value={code}
                onValue={setCode}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
              />
              <button
                type="submit"
                class="wide"
                disabled={busy || !/^\d{6}$/.test(code.trim())}
                aria-label={`${t.verify.confirm}: ${label}`}
              >
                {t.verify.confirm}
              </button>
            </form>
          ) : null}
        </>
      )}
    </section>
  );
}
