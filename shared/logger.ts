import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger of every function. Handlers log request metadata and error codes only: bodies,
 * tokens and personal data are never passed to it (masked views exist for responses, not logs).
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'pos-onboarding' });
