import { createHash } from 'node:crypto';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * A part of a stack (staff identity, REST API, workflows, ...): a construct that groups resources
 * without renaming them. Its own id is left out of the logical ids of the resources inside it
 * ({@link logicalIdWithoutParts}), so splitting a stack into parts changes no logical id and an
 * update replaces nothing: a replaced RestApi would get a new URL, a replaced user pool new ids,
 * and named resources (state machine, configuration set, log groups) cannot be replaced in place.
 */
export class StackPart extends Construct {}

const HIDDEN_ID = 'Default';
const HIDDEN_FROM_HUMAN_ID = 'Resource';
const HASH_LEN = 8;
const MAX_HUMAN_LEN = 240;
const MAX_ID_LEN = 255;

const alphanumeric = (component: string) => component.replace(/[^A-Za-z0-9]/g, '');

/**
 * The logical id CDK gives a resource (`Stack.allocateLogicalId`: readable path plus an 8-digit
 * hash of it), computed from its path within `stack` without the ids of {@link StackPart}s.
 */
export function logicalIdWithoutParts(stack: Stack, element: CfnElement): string {
  const scopes = element.node.scopes;
  const components = scopes
    .slice(scopes.indexOf(stack) + 1)
    .filter((scope) => !(scope instanceof StackPart))
    .map((scope) => scope.node.id)
    .filter((id) => id !== HIDDEN_ID);
  if (components.length === 1) {
    const candidate = alphanumeric(components[0] as string);
    if (candidate.length <= MAX_ID_LEN) return candidate;
  }
  const hash = createHash('md5').update(components.join('/')).digest('hex').slice(0, HASH_LEN).toUpperCase();
  const human: string[] = [];
  for (const component of components) {
    const last = human[human.length - 1];
    if (last === undefined || !last.endsWith(component)) human.push(component);
  }
  return (
    human
      .filter((component) => component !== HIDDEN_FROM_HUMAN_ID)
      .map(alphanumeric)
      .join('')
      .slice(0, MAX_HUMAN_LEN) + hash
  );
}

/** A stack whose logical ids leave out its {@link StackPart}s, refusing two resources one id. */
export class StackWithParts extends Stack {
  /** Logical id → construct path. */
  private readonly allocated = new Map<string, string>();

  protected override allocateLogicalId(element: CfnElement): string {
    const logicalId = logicalIdWithoutParts(this, element);
    const path = element.node.path;
    const holder = this.allocated.get(logicalId);
    if (holder !== undefined && holder !== path)
      throw new Error(`${path} and ${holder} would share the logical id ${logicalId}`);
    this.allocated.set(logicalId, path);
    return logicalId;
  }
}
