import { maskContact, maskSettlement } from '../domain/application';
import { maskMerchantSnapshot, snapshotFields } from '../domain/change-request';
import { maskLicense } from '../domain/masking';
import { notFound } from '../errors';
import type { ChangeRequestRepository } from '../ports/change-requests';
import type { MerchantRepository } from '../ports/merchants';

/** `GET /v1/merchants/{merchantNo}`: the masked merchant with its terminals. */
export async function getMerchant(deps: { merchants: MerchantRepository }, merchantNo: string) {
  const [merchant, terminals] = await Promise.all([
    deps.merchants.getMerchant(merchantNo),
    deps.merchants.merchantTerminals(merchantNo),
  ]);
  if (!merchant) throw notFound('Merchant');
  const { licenseNumber, ...business } = merchant.business;
  return {
    merchantNo: merchant.merchantNo,
    status: merchant.status,
    version: merchant.version,
    type: merchant.type,
    business: licenseNumber ? { ...business, licenseNumber: maskLicense(licenseNumber) } : business,
    contact: maskContact(merchant.contact),
    settlement: maskSettlement(merchant.settlement),
    terminals: terminals.map((t) => ({
      serialNumber: t.serialNumber,
      terminalId: t.terminalId,
      status: t.status,
      suspended: t.suspended === true,
    })),
    createdAt: merchant.createdAt,
    updatedAt: merchant.updatedAt,
  };
}

/**
 * `GET /v1/merchants/{merchantNo}/versions` (reviewer or operator): every version, oldest first,
 * with actor, time, action and the names of the changed fields; snapshots masked.
 */
export async function listMerchantVersions(
  deps: { changeRequests: ChangeRequestRepository; merchants: MerchantRepository },
  merchantNo: string,
) {
  const merchant = await deps.merchants.getMerchant(merchantNo);
  if (!merchant) throw notFound('Merchant');
  const versions = await deps.changeRequests.versions(merchantNo);
  return {
    merchantNo,
    currentVersion: merchant.version,
    items: versions.map((version, index) => {
      const previous = versions[index - 1];
      return {
        version: version.version,
        at: version.at,
        actor: version.actor,
        action: version.action,
        // Versions written without the names (the first one) are compared with their predecessor.
        fields: version.fields ?? (previous ? snapshotFields(previous.snapshot, version.snapshot) : []),
        changeRequestId: version.changeRequestId ?? null,
        snapshot: maskMerchantSnapshot(version.snapshot),
      };
    }),
  };
}
