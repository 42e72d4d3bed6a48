import { maskContact, maskSettlement } from '../domain/application';
import { maskLicense } from '../domain/masking';
import { notFound } from '../errors';
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
    })),
    createdAt: merchant.createdAt,
    updatedAt: merchant.updatedAt,
  };
}
