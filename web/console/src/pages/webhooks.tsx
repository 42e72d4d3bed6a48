import { useState } from 'preact/hooks';
import { DOMAIN_EVENT_TYPES } from '../../../../shared/events/types';
import {
  ApiError,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverEvent,
  rotateWebhookSecret,
  type WebhookEndpoint,
  type WebhookEventType,
} from '../../../common/api';
import { Alert, ConfirmStep, FieldNotes, StatusMessage, TextField } from '../../../common/components';
import { formatDateTime } from '../../../common/format';
import { hrefOf, navigate } from '../../../common/router';
import { useAction } from '../../../common/use-action';
import { useAsync } from '../../../common/use-async';
import { useCursorPages } from '../../../common/use-cursor-pages';
import { label, useI18n } from '../i18n';
import { keepFieldErrors, useSession } from '../session-context';

/** A secret the API answered once: shown until the operator dismisses it, never stored. */
interface ShownSecret {
  readonly url: string;
  readonly secret: string;
  /** After a rotation: until when the old secret keeps signing. */
  readonly previousUntil?: string;
}

/**
 * Webhooks (spec sections 9 and 10, operator): the endpoints, registering one (its secret shown
 * once, with a copy button), rotating a secret (the new one shown once), deleting one after a
 * confirmation, and an endpoint's deliveries with "Redeliver" per event.
 */
export function WebhooksPage(props: { endpointId?: string | undefined }) {
  const { t } = useI18n();
  const { session, describeError } = useSession();
  const endpoints = useAsync(() => listWebhookEndpoints(session.token), [session.token]);
  const [secret, setSecret] = useState<ShownSecret>();
  const [done, setDone] = useState<string>();
  const items = endpoints.value?.items ?? [];
  const selected = props.endpointId ? items.find((item) => item.id === props.endpointId) : undefined;

  return (
    <section>
      <h1>{t.webhooks.title}</h1>
      <p class="hint">{t.webhooks.intro}</p>
      {secret ? <SecretOnce shown={secret} onDismiss={() => setSecret(undefined)} /> : null}
      {done ? <StatusMessage>{done}</StatusMessage> : null}
      {props.endpointId ? (
        <>
          <p>
            <a href={hrefOf('/webhooks')}>{t.webhooks.back}</a>
          </p>
          {selected ? (
            <Deliveries key={selected.id} endpoint={selected} />
          ) : endpoints.value ? (
            <Alert>{t.webhooks.unknownEndpoint}</Alert>
          ) : null}
        </>
      ) : null}
      <section class="card">
        {endpoints.error ? <Alert>{describeError(endpoints.error)}</Alert> : null}
        <EndpointTable
          endpoints={items}
          loading={endpoints.loading && !endpoints.value}
          onRotated={(shown) => {
            setDone(undefined);
            setSecret(shown);
            endpoints.reload();
          }}
          onDeleted={(endpoint) => {
            setSecret(undefined);
            setDone(t.webhooks.deleted(endpoint.url));
            endpoints.reload();
            if (props.endpointId === endpoint.id) navigate('/webhooks');
          }}
        />
      </section>
      <RegisterForm
        onRegistered={(shown) => {
          setDone(undefined);
          setSecret(shown);
          endpoints.reload();
        }}
      />
    </section>
  );
}

/** The secret of a new endpoint or a rotation: shown this once, with a copy button and a warning. */
function SecretOnce(props: { shown: ShownSecret; onDismiss: () => void }) {
  const { t, lang } = useI18n();
  const [copied, setCopied] = useState<'yes' | 'no'>();
  const { shown } = props;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(shown.secret);
      setCopied('yes');
    } catch {
      // Some browsers refuse the clipboard (permissions, an insecure origin): select it instead.
      (document.getElementById('webhook-secret') as HTMLInputElement | null)?.select();
      setCopied('no');
    }
  };
  return (
    <section class="card secret-once" aria-labelledby="secret-heading">
      <h2 id="secret-heading">{t.webhooks.secretTitle}</h2>
      <p class="notice" id="webhook-secret-warning">
        {t.webhooks.secretWarning}
      </p>
      {shown.previousUntil ? (
        <p>{t.webhooks.rotated(formatDateTime(shown.previousUntil, lang))}</p>
      ) : (
        <p>{t.webhooks.registered(shown.url)}</p>
      )}
      <div class="field">
        <label for="webhook-secret">{t.webhooks.secretLabel}</label>
        <input
          id="webhook-secret"
          class="mono"
          readOnly
          value={shown.secret}
          aria-describedby="webhook-secret-warning"
          onFocus={(e) => e.currentTarget.select()}
        />
      </div>
      <div class="actions">
        <button type="button" onClick={() => void copy()}>
          {t.webhooks.copy}
        </button>
        <button type="button" class="secondary" onClick={props.onDismiss}>
          {t.webhooks.dismiss}
        </button>
      </div>
      {copied === 'yes' ? <StatusMessage>{t.webhooks.copied}</StatusMessage> : null}
      {copied === 'no' ? <Alert>{t.webhooks.copyFailed}</Alert> : null}
    </section>
  );
}

function EndpointTable(props: {
  endpoints: readonly WebhookEndpoint[];
  loading: boolean;
  onRotated: (shown: ShownSecret) => void;
  onDeleted: (endpoint: WebhookEndpoint) => void;
}) {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const [confirming, setConfirming] = useState<string>();
  const { busy, error, run: act } = useAction(describeError);

  return (
    <>
      {error ? <Alert>{error}</Alert> : null}
      <div class="table-scroll">
        <table>
          <caption>{t.webhooks.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.webhooks.url}</th>
              <th scope="col">{t.webhooks.events}</th>
              <th scope="col">{t.webhooks.createdAt}</th>
              <th scope="col">{t.webhooks.rotatedAt}</th>
              <th scope="col">{t.webhooks.actions}</th>
            </tr>
          </thead>
          <tbody>
            {props.endpoints.map((endpoint) => (
              <tr key={endpoint.id}>
                <td class="mono break">{endpoint.url}</td>
                <td>
                  <ul class="plain mono">
                    {endpoint.events.map((type) => (
                      <li key={type}>{type}</li>
                    ))}
                  </ul>
                </td>
                <td>{formatDateTime(endpoint.createdAt, lang)}</td>
                <td>{formatDateTime(endpoint.secretRotatedAt, lang)}</td>
                <td>
                  {confirming === endpoint.id ? (
                    <ConfirmStep
                      question={t.webhooks.confirmDelete(endpoint.url)}
                      confirmLabel={t.webhooks.confirm}
                      cancelLabel={t.webhooks.cancel}
                      busy={busy}
                      onConfirm={() =>
                        void act(async () => {
                          await deleteWebhookEndpoint(session.token, endpoint.id);
                          setConfirming(undefined);
                          props.onDeleted(endpoint);
                        })
                      }
                      onCancel={() => setConfirming(undefined)}
                    />
                  ) : (
                    <div class="actions compact">
                      <a href={hrefOf(`/webhooks/${encodeURIComponent(endpoint.id)}`)}>
                        {t.webhooks.showDeliveries}
                        <span class="visually-hidden"> {endpoint.url}</span>
                      </a>
                      <button
                        type="button"
                        class="secondary"
                        disabled={busy}
                        onClick={() =>
                          void act(async () => {
                            const rotated = await rotateWebhookSecret(session.token, endpoint.id);
                            props.onRotated({
                              url: endpoint.url,
                              secret: rotated.secret,
                              previousUntil: rotated.previousSecretExpiresAt,
                            });
                          })
                        }
                      >
                        {t.webhooks.rotate}
                        <span class="visually-hidden"> {endpoint.url}</span>
                      </button>
                      <button type="button" class="danger" onClick={() => setConfirming(endpoint.id)}>
                        {t.webhooks.delete}
                        <span class="visually-hidden"> {endpoint.url}</span>
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.loading ? <p>{t.loading}</p> : null}
      {!props.loading && props.endpoints.length === 0 ? <p>{t.webhooks.empty}</p> : null}
    </>
  );
}

function RegisterForm(props: { onRegistered: (shown: ShownSecret) => void }) {
  const { t } = useI18n();
  const { session, describeError } = useSession();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<ReadonlySet<WebhookEventType>>(new Set());
  const { busy, error, run } = useAction(keepFieldErrors(describeError));
  const problem = (field: string) =>
    error instanceof ApiError
      ? error.fields.find((p) => p.field === field || p.field.startsWith(`${field}.`))?.message
      : undefined;

  const submit = () =>
    run(async () => {
      const created = await createWebhookEndpoint(session.token, {
        url: url.trim(),
        // In the catalogue's order, whatever order they were ticked in.
        events: DOMAIN_EVENT_TYPES.filter((type) => events.has(type)),
      });
      setUrl('');
      setEvents(new Set());
      props.onRegistered({ url: created.url, secret: created.secret });
    });

  const eventsError = problem('events');
  return (
    <section class="card" aria-labelledby="register-heading">
      <h2 id="register-heading">{t.webhooks.register}</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {typeof error === 'string' ? <Alert>{error}</Alert> : null}
        {error instanceof ApiError ? <Alert>{`${error.message} (${error.code})`}</Alert> : null}
        <TextField
          id="webhook-url"
          label={t.webhooks.url}
          value={url}
          onValue={setUrl}
          inputMode="url"
          maxLength={2048}
          hint={t.webhooks.urlHint}
          error={problem('url')}
          required
        />
        <fieldset
          class={eventsError ? 'field field--error' : 'field'}
          aria-describedby={`webhook-events-hint${eventsError ? ' webhook-events-error' : ''}`}
        >
          <legend>{t.webhooks.events}</legend>
          <div class="event-types">
            {DOMAIN_EVENT_TYPES.map((type) => (
              <label key={type} class="checkbox mono">
                <input
                  type="checkbox"
                  checked={events.has(type)}
                  onChange={(e) => {
                    const next = new Set(events);
                    if (e.currentTarget.checked) next.add(type);
                    else next.delete(type);
                    setEvents(next);
                  }}
                />
                {type}
              </label>
            ))}
          </div>
          <FieldNotes id="webhook-events" hint={t.webhooks.eventsHint} error={eventsError} />
        </fieldset>
        <button type="submit" disabled={busy}>
          {t.webhooks.submit}
        </button>
      </form>
    </section>
  );
}

/** One endpoint's deliveries, newest event first, with "Redeliver" per event. */
function Deliveries(props: { endpoint: WebhookEndpoint }) {
  const { t, lang } = useI18n();
  const { session, describeError } = useSession();
  const { first, items, nextCursor, loadMore } = useCursorPages(
    (cursor) => listWebhookDeliveries(session.token, props.endpoint.id, cursor),
    [props.endpoint.id, session.token],
  );
  const [done, setDone] = useState<string>();
  const { busy, error, run } = useAction(describeError);

  return (
    <section class="card" aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading" class="break">
        {t.webhooks.deliveries(props.endpoint.url)}
      </h2>
      {done ? <StatusMessage>{done}</StatusMessage> : null}
      {error ? <Alert>{error}</Alert> : null}
      {first.error ? <Alert>{describeError(first.error)}</Alert> : null}
      <div class="actions compact">
        <button
          type="button"
          class="secondary"
          disabled={first.loading}
          onClick={() => {
            setDone(undefined);
            first.reload();
          }}
        >
          {t.webhooks.refresh}
        </button>
      </div>
      <div class="table-scroll">
        <table>
          {/* The heading says it; the caption names the table for assistive technology. */}
          <caption class="visually-hidden">{t.webhooks.deliveriesCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.webhooks.event}</th>
              <th scope="col">{t.webhooks.status}</th>
              <th scope="col" class="numeric">
                {t.webhooks.attempts}
              </th>
              <th scope="col" class="numeric">
                {t.webhooks.lastHttp}
              </th>
              <th scope="col">{t.webhooks.lastAttempt}</th>
              <th scope="col">{t.webhooks.actions}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((delivery) => {
              const last = delivery.attemptLog.at(-1);
              return (
                <tr key={delivery.eventId}>
                  <td>
                    <span class="mono">{delivery.eventType}</span>
                    <span class="subtle mono">{delivery.eventId}</span>
                  </td>
                  <td>
                    <span
                      class={`badge ${delivery.status === 'DELIVERED' ? 'badge--ok' : delivery.status === 'FAILED' ? 'badge--bad' : 'badge--warn'}`}
                    >
                      {label(t.deliveryStatuses, delivery.status)}
                    </span>
                    {delivery.status === 'PENDING' && delivery.nextAttemptAt ? (
                      <span class="subtle">
                        {t.webhooks.nextAttempt} {formatDateTime(delivery.nextAttemptAt, lang)}
                      </span>
                    ) : null}
                  </td>
                  <td class="numeric">{delivery.attempts}</td>
                  <td class="numeric">
                    {delivery.lastHttpStatus ?? (last?.error ? label(t.deliveryErrors, last.error) : '—')}
                  </td>
                  <td>
                    {formatDateTime(delivery.lastAttemptAt, lang)}
                    {delivery.attemptLog.length > 0 ? (
                      <details class="attempt-log">
                        <summary>
                          {t.webhooks.attemptLog(delivery.attemptLog.length)}
                          <span class="visually-hidden"> {delivery.eventId}</span>
                        </summary>
                        <ol>
                          {delivery.attemptLog.map((attempt) => (
                            <li key={attempt.at}>
                              <time dateTime={attempt.at}>{formatDateTime(attempt.at, lang)}</time> ·{' '}
                              {label(t.deliveryStatuses, attempt.result)} ·{' '}
                              {attempt.httpStatus ??
                                (attempt.error ? label(t.deliveryErrors, attempt.error) : '—')}{' '}
                              · {attempt.durationMs} ms
                            </li>
                          ))}
                        </ol>
                      </details>
                    ) : null}
                  </td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      disabled={busy}
                      onClick={() =>
                        void run(async () => {
                          await redeliverEvent(session.token, delivery.eventId);
                          setDone(t.webhooks.redelivered(delivery.eventId));
                        })
                      }
                    >
                      {t.webhooks.redeliver}
                      <span class="visually-hidden"> {delivery.eventId}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {first.value && items.length === 0 ? <p>{t.webhooks.noDeliveries}</p> : null}
      {nextCursor ? (
        <button type="button" class="secondary" disabled={busy} onClick={() => void run(loadMore)}>
          {t.webhooks.loadMore}
        </button>
      ) : null}
    </section>
  );
}
