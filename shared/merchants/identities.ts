import type { IdentityKind } from '../keys';
import * as keys from '../keys';
import type { KeyedHasher, MacPurpose } from '../ports';
import type { ApplicationBody } from '../validation/application-schema';

/** Keyed-hash purposes: one per kind of number, so equal digits in two kinds never collide. */
export const HASH_PURPOSE = {
  LICENSE: 'uniq-license',
  ID: 'uniq-legal-person-id',
  ACCOUNT: 'settlement-account',
} as const satisfies Record<IdentityKind, MacPurpose>;

/** The identity numbers of an application that make a merchant unique (spec 5). */
export function uniquenessIdentities(body: ApplicationBody): { kind: IdentityKind; value: string }[] {
  const identities: { kind: IdentityKind; value: string }[] = [];
  if (body.business.licenseNumber) identities.push({ kind: 'LICENSE', value: body.business.licenseNumber });
  // Individual merchants are one per legal person; enterprises are identified by their licence.
  if (body.type === 'INDIVIDUAL') identities.push({ kind: 'ID', value: body.legalPerson.idNumber });
  return identities;
}

/** Marker keys (keyed hashes only) this application must hold while pending or active. */
export async function uniquenessMarkerKeys(body: ApplicationBody, hasher: KeyedHasher): Promise<string[]> {
  return Promise.all(
    uniquenessIdentities(body).map(
      async ({ kind, value }) => keys.uniqueness(kind, await hasher.mac(HASH_PURPOSE[kind], value)).pk,
    ),
  );
}

/** Keyed hashes to look up in the blocklist: IDs, licences and the settlement account. */
export async function blocklistCandidates(
  body: ApplicationBody,
  hasher: KeyedHasher,
): Promise<{ kind: IdentityKind; keyedHash: string }[]> {
  const values: { kind: IdentityKind; value: string }[] = [
    { kind: 'ID', value: body.legalPerson.idNumber },
    { kind: 'ACCOUNT', value: body.settlement.accountNumber },
  ];
  if (body.business.licenseNumber) values.push({ kind: 'LICENSE', value: body.business.licenseNumber });
  return Promise.all(
    values.map(async ({ kind, value }) => ({ kind, keyedHash: await hasher.mac(HASH_PURPOSE[kind], value) })),
  );
}
