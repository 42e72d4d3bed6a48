import { merchantFacingTimeline } from '../domain/actors';
import {
  type ApplicationRecord,
  contactVerified,
  DOCUMENT_KINDS,
  type DocumentKind,
  effectiveStatus,
  maskApplicationBody,
} from '../domain/application';
import type { DocumentInspector } from '../ports';

/** The masked application as the merchant sees it (spec 4.1 `GET /v1/applications/{id}`). */
export async function applicationView(
  record: ApplicationRecord,
  deps: { storage: DocumentInspector; now: Date; draftTtlSeconds: number },
) {
  const kinds = DOCUMENT_KINDS.filter((kind): kind is DocumentKind => record.documents[kind] !== undefined);
  const documents = await Promise.all(
    kinds.map(async (kind) => {
      const ref = record.documents[kind];
      const size = ref ? await deps.storage.objectSize(ref.objectKey) : undefined;
      return {
        kind,
        documentId: ref?.documentId,
        contentType: ref?.contentType,
        uploaded: size !== undefined,
      };
    }),
  );
  const status = effectiveStatus(record, deps.now, deps.draftTtlSeconds);
  const masked = maskApplicationBody(record.body);
  return {
    applicationId: record.applicationId,
    ...masked,
    status,
    documents,
    // Which contact channels are verified (spec 6): submit needs both.
    contactVerified: {
      phone: contactVerified(record, 'SMS'),
      email: contactVerified(record, 'EMAIL'),
    },
    reasons: status === 'REJECTED' || status === 'NEEDS_CHANGES' ? record.reasons : [],
    merchantNo: record.merchantNo ?? null,
    terminalId: record.terminalId ?? null,
    // The merchant sees `reviewer` / `operator`, never a staff subject.
    timeline: merchantFacingTimeline(record.timeline),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
