import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { keyedHasherFromEnv } from './adapters/keyed-hasher';
import { documentStorageFromEnv } from './adapters/s3-document-storage';
import { mailerFromEnv } from './adapters/ses-mailer';
import { workflowFromEnv } from './adapters/sfn-workflow';
import { smsSenderFromEnv } from './adapters/sms-sender';
import {
  applicationRepository,
  deadlines,
  merchantRepository,
  messagingConfig,
  reviewRepository,
  sendRecordRepository,
} from './composition';
import { logger } from './logger';
import { systemClock } from './ports';
import type { WorkflowTaskDeps } from './use-cases/onboarding-workflow';

/** The payload every onboarding Task receives. */
export interface TaskInput {
  readonly applicationId: string;
  readonly taskToken?: string;
  readonly taskId?: string;
  readonly failure?: { Error?: string };
}

/**
 * Wraps a workflow Task: log context (ids only — the payload never carries personal data), then
 * the step. Errors propagate so the state machine's Retry/Catch decide what happens.
 */
export function workflowTask<R>(name: string, step: (input: TaskInput) => Promise<R>) {
  return middy<TaskInput, R, Error, Context>().handler(async (input) => {
    logger.resetKeys();
    logger.appendKeys({ task: name, applicationId: input.applicationId });
    return step(input);
  });
}

/** Lazily built dependencies: each Task constructs only the adapters it touches. */
export function lazyTaskDeps(): WorkflowTaskDeps {
  const cache = new Map<string, unknown>();
  const once =
    <T>(key: string, make: () => T) =>
    (): T => {
      if (!cache.has(key)) cache.set(key, make());
      return cache.get(key) as T;
    };
  const getters = {
    applications: once('applications', applicationRepository),
    reviews: once('reviews', reviewRepository),
    merchants: once('merchants', merchantRepository),
    sends: once('sends', sendRecordRepository),
    hasher: once('hasher', keyedHasherFromEnv),
    storage: once('storage', documentStorageFromEnv),
    workflow: once('workflow', workflowFromEnv),
    mailer: once('mailer', mailerFromEnv),
    sms: once('sms', smsSenderFromEnv),
    deadlines: once('deadlines', deadlines),
    config: once('config', messagingConfig),
  };
  const deps = { clock: systemClock } as WorkflowTaskDeps;
  for (const [key, get] of Object.entries(getters))
    Object.defineProperty(deps, key, { get, enumerable: true });
  return deps;
}
