import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProcessDefinition } from './processes';

/*
 * ASL files as CDK and the local stack both run them (tools only: no function imports this).
 */

/** The raw ASL text of a process, with its `${...Arn}` placeholders. */
export function readAsl(process: Pick<ProcessDefinition, 'aslPath'>): string {
  return readFileSync(fileURLToPath(new URL(`../../${process.aslPath}`, import.meta.url)), 'utf8');
}

/** `task-run-checks` → `TaskRunChecksArn`: the substitution variable of a Task function in ASL. */
export function substitutionKey(functionName: string): string {
  return `${functionName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}Arn`;
}

/**
 * Replaces every `${Key}` placeholder with `values[Key]`; throws on a placeholder without a value,
 * so a renamed function can never deploy a definition with a dangling reference.
 */
export function substituteAsl(asl: string, values: Readonly<Record<string, string>>): string {
  return asl.replace(/\$\{([A-Za-z0-9]+)\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`No substitution for \${${key}} in the workflow definition`);
    return value;
  });
}
