import { randomUUID } from 'node:crypto';
import { paymentHostSimulatorDeclines } from '../config/env';
import type { PaymentHost, PaymentHostResult } from '../ports/terminals';

/**
 * The payment-host simulator used for the activation test transaction (spec 4.1: "a simulated
 * 0.01 CNY sale and its void through a payment-host port"). It approves with response code `00`
 * unless `PAYMENT_HOST_SIMULATOR_DECLINE` names the call to decline (`sale` or `void`, read at
 * every call so a test can switch it), which answers `05` (do not honour). An acquirer replaces
 * this adapter with one for its own host; see {@link PaymentHost}.
 */
export class SimulatedPaymentHost implements PaymentHost {
  private answer(kind: 'sale' | 'void'): PaymentHostResult {
    const decline = paymentHostSimulatorDeclines().includes(kind);
    return {
      approved: !decline,
      responseCode: decline ? '05' : '00',
      transactionId: `SIM-${kind.toUpperCase()}-${randomUUID()}`,
    };
  }

  async sale(input: { amountFen: number; currency: 'CNY' }): Promise<PaymentHostResult> {
    if (input.amountFen !== 1 || input.currency !== 'CNY')
      throw new Error('The simulator only runs the 0.01 CNY test sale');
    return this.answer('sale');
  }

  async voidSale(): Promise<PaymentHostResult> {
    return this.answer('void');
  }
}
