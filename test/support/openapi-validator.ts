import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import document from '../../shared/openapi/openapi.json' with { type: 'json' };

/*
 * Every `/v1` answer the integration tests receive is checked against the OpenAPI document that
 * `GET /v1/openapi.json` serves (test/support/api-client.ts): the status must be one the route
 * documents, and the body must match that status's schema (error codes included). So the document
 * cannot drift from what the handlers answer.
 */

const COMPONENTS = 'urn:pos-onboarding:openapi-components';

interface Response {
  readonly content?: Record<string, { schema: unknown }>;
}

/** An operation's answers: written out, or a reference to a shared one (`#/components/responses/…`). */
interface Operation {
  readonly responses: Readonly<Record<string, Response | { readonly $ref: string }>>;
}

interface Route {
  readonly template: string;
  readonly pattern: RegExp;
  readonly operations: Readonly<Record<string, Operation>>;
}

/** The document with its component references pointing at one schema of its own. */
const rewritten = JSON.parse(
  JSON.stringify(document).replaceAll('"#/components/schemas/', `"${COMPONENTS}#/$defs/`),
) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; responses?: Record<string, Response> };
};

/** A response, its reference to a shared one followed. */
function resolved(response: Response | { readonly $ref: string }): Response | undefined {
  if (!('$ref' in response)) return response;
  const name = /^#\/components\/responses\/(.+)$/.exec(response.$ref)?.[1];
  return name === undefined ? undefined : rewritten.components.responses?.[name];
}

const routes: readonly Route[] = Object.entries(rewritten.paths)
  .map(([template, operations]) => ({
    template,
    operations,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`),
  }))
  // A literal segment wins over a parameter in the same place.
  .sort((a, b) => a.template.split('{').length - b.template.split('{').length);

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
ajv.addSchema({ $id: COMPONENTS, $defs: rewritten.components.schemas });
const compiled = new Map<string, ValidateFunction>();

/** The route and operation of a request, if the document has one. */
export function operationOf(
  method: string,
  path: string,
): { template: string; operation: Operation } | undefined {
  const pathname = new URL(path, 'http://localhost').pathname;
  const route = routes.find((candidate) => candidate.pattern.test(pathname));
  const operation = route?.operations[method.toLowerCase()];
  return route && operation ? { template: route.template, operation } : undefined;
}

/**
 * What is wrong with an answer according to the document: `[]` when it matches, or when the
 * document has no such operation (helper routes under `/_local/`, a path no route serves).
 */
export function responseProblems(method: string, path: string, status: number, body: unknown): string[] {
  const found = operationOf(method, path);
  if (!found) return [];
  const { template, operation } = found;
  const listed = operation.responses[String(status)];
  const response = listed && resolved(listed);
  if (!response) {
    return [
      `${status} is not a documented answer of ${method} ${template} (${Object.keys(operation.responses).join(', ')})`,
    ];
  }
  const schema = response.content?.['application/json']?.schema;
  if (schema === undefined)
    return body === undefined ? [] : [`${status} of ${method} ${template} has no body`];
  const key = `${method} ${template} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema as object);
    compiled.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (error) =>
      `${key}: ${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}
