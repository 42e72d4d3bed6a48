import { useEffect, useState } from 'preact/hooks';
import { ApiError, createDocument, type DocumentKind, putPresigned } from '../../common/api';
import { FieldNotes } from '../../common/components';
import { problemText, useI18n } from './i18n';
import { shrinkPhoto } from './image-shrink';
import type { MerchantSession } from './merchant-session';

type SlotState =
  | { readonly step: 'idle' }
  | { readonly step: 'shrinking' }
  | { readonly step: 'uploading'; readonly progress: number }
  | { readonly step: 'done'; readonly preview?: string }
  | { readonly step: 'failed'; readonly message: string };

/**
 * One upload slot per required document kind: the camera (`<input capture>`), the photo shrunk and
 * re-encoded on the phone (≤ 1.5 MB), then the presigned PUT with its progress. A newer photo of a
 * kind replaces the older one (spec 4.1).
 */
export function DocumentSlots(props: {
  session: MerchantSession;
  kinds: readonly DocumentKind[];
  uploaded: ReadonlySet<DocumentKind>;
  /** Problems (e.g. MISSING from a submit) and reviewer reasons, by `documents.<KIND>`. */
  problems?: ReadonlyMap<string, { code: string; message: string }>;
  reasons?: ReadonlyMap<string, string>;
  onUploaded: (kind: DocumentKind) => void;
}) {
  const { t, lang } = useI18n();
  const [slots, setSlots] = useState<Partial<Record<DocumentKind, SlotState>>>({});
  const set = (kind: DocumentKind, state: SlotState) => setSlots((all) => ({ ...all, [kind]: state }));

  useEffect(
    () => () => {
      for (const state of Object.values(slots)) {
        if (state?.step === 'done' && state.preview) URL.revokeObjectURL(state.preview);
      }
    },
    [],
  );

  const upload = async (kind: DocumentKind, file: File) => {
    if (!file.type.startsWith('image/')) {
      set(kind, { step: 'failed', message: t.documents.notImage });
      return;
    }
    try {
      set(kind, { step: 'shrinking' });
      const photo = await shrinkPhoto(file);
      set(kind, { step: 'uploading', progress: 0 });
      const target = await createDocument(props.session.token, props.session.applicationId, {
        kind,
        contentType: 'image/jpeg',
        sizeBytes: photo.size,
      });
      await putPresigned(target.uploadUrl, photo, target.headers, (progress) =>
        set(kind, { step: 'uploading', progress }),
      );
      set(kind, { step: 'done', preview: URL.createObjectURL(photo) });
      props.onUploaded(kind);
    } catch (caught) {
      set(kind, {
        step: 'failed',
        message:
          caught instanceof ApiError && caught.fields[0]
            ? problemText(t, lang, caught.fields[0])
            : caught instanceof ApiError && caught.code !== 'UPLOAD_FAILED'
              ? `${caught.message} (${caught.code})`
              : t.documents.failed,
      });
    }
  };

  return (
    <ul class="document-slots">
      {props.kinds.map((kind) => {
        const field = `documents.${kind}`;
        const name = t.fields[field] ?? kind;
        const state = slots[kind] ?? { step: 'idle' };
        const reason = state.step === 'done' ? undefined : props.reasons?.get(field);
        // A photo the reviewer sent back counts as missing until a new one is uploaded.
        const done = state.step === 'done' || (state.step === 'idle' && props.uploaded.has(kind) && !reason);
        const id = `doc-${kind}`;
        const problem = props.problems?.get(field);
        const error =
          state.step === 'failed'
            ? state.message
            : problem && !done
              ? problemText(t, lang, problem)
              : undefined;
        return (
          <li key={kind} class={`document-slot${done ? ' done' : ''}${error ? ' field--error' : ''}`}>
            {/* The input is visually hidden behind its label, the big tappable "button"; its name is the
                document's name alone (aria-label), not the label's call to action too. */}
            <input
              id={id}
              aria-label={name}
              class="visually-hidden"
              type="file"
              accept="image/*"
              capture="environment"
              aria-describedby={[`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
              disabled={state.step === 'shrinking' || state.step === 'uploading'}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (file) void upload(kind, file);
                e.currentTarget.value = '';
              }}
            />
            <label for={id} class="photo-picker">
              <span class="slot-name">{name}</span>
              <span class="cta" aria-hidden="true">
                {done ? t.documents.retake : t.documents.take}
              </span>
            </label>
            <span
              class={`badge slot-badge ${done ? 'badge--ok' : reason ? 'badge--warn' : ''}`}
              aria-hidden="true"
            >
              {done ? t.documents.uploaded : reason ? t.documents.again : t.documents.notUploaded}
            </span>
            {state.step === 'done' && state.preview ? (
              <img class="preview" src={state.preview} alt={t.documents.preview(name)} />
            ) : null}
            {state.step === 'shrinking' ? <p class="hint">{t.documents.shrinking}</p> : null}
            {state.step === 'uploading' ? (
              <progress value={state.progress} max={1} aria-label={t.documents.progress(name)} />
            ) : null}
            <FieldNotes
              id={id}
              hint={
                <>
                  {reason ? (
                    <span class="reason">
                      {t.status.reasonLabel}: {reason}
                    </span>
                  ) : null}
                  {/* The badge says it on screen; this says it to screen readers (the badge is aria-hidden). */}
                  <span class="visually-hidden">
                    {done ? t.documents.uploaded : reason ? t.documents.again : t.documents.notUploaded}
                  </span>
                </>
              }
              error={error}
            />
          </li>
        );
      })}
    </ul>
  );
}
