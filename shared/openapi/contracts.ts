import { ACCESS_TOKEN_CONTRACTS } from '../access-tokens/contract';
import { AGREEMENT_CONTRACTS } from '../agreements/contract';
import { CHANGE_REQUEST_CONTRACTS } from '../change-requests/contract';
import { DAILY_CHECK_CONTRACTS } from '../daily-checks/contract';
import { FEE_PLAN_CONTRACTS } from '../fee-plans/contract';
import { MERCHANT_CONTRACTS } from '../merchants/contract';
import { ONBOARDING_CONTRACTS } from '../onboarding/contract';
import { REVIEW_CONTRACTS } from '../reviews/contract';
import { TERMINAL_CONTRACTS } from '../terminals/contract';
import { TRANSFER_CONTRACTS } from '../transfers/contract';
import { WEBHOOK_CONTRACTS } from '../webhooks/contract';
import type { RouteContract } from './contract';
import { PLATFORM_CONTRACTS } from './platform-contract';

/*
 * Every route's contract, area by area (each area's `contract.ts` beside its use cases): the
 * OpenAPI generator and the tests read this list, no function does. A new area adds its list here.
 */

/** Every contract. */
export const CONTRACTS: readonly RouteContract[] = [
  ...PLATFORM_CONTRACTS,
  ...ONBOARDING_CONTRACTS,
  ...ACCESS_TOKEN_CONTRACTS,
  ...MERCHANT_CONTRACTS,
  ...FEE_PLAN_CONTRACTS,
  ...AGREEMENT_CONTRACTS,
  ...CHANGE_REQUEST_CONTRACTS,
  ...TERMINAL_CONTRACTS,
  ...TRANSFER_CONTRACTS,
  ...DAILY_CHECK_CONTRACTS,
  ...REVIEW_CONTRACTS,
  ...WEBHOOK_CONTRACTS,
];
