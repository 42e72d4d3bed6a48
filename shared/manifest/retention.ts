import type { FunctionEntry } from './types';

/* Retention: applications that never became a merchant are erased after the retention period. */

/**
 * The daily retention sweep (03:00 Asia/Shanghai): queries the keys-only retention index (GSI2)
 * one day partition at a time, erases every version of the due applications' documents, their
 * review tasks, waiting tokens and send records, and replaces each application with an audit
 * stub. It reads raw items and opens no encrypted field.
 */
export const SWEEP_RETENTION = {
  name: 'sweep-retention',
  trigger: { kind: 'schedule', schedule: 'cron(0 19 * * ? *)', localPath: '/_local/retention-run' },
  capabilities: ['documentsErase'],
  table: { write: ['retention', 'application', 'reviewTask', 'reviewWait', 'sendRecord'] },
} as const satisfies FunctionEntry;
