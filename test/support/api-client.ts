import { responseProblems } from './openapi-validator';

/**
 * A small JSON client for the local API in integration tests. Every `/v1` answer is checked
 * against the OpenAPI document (shared/openapi/openapi.json): a status the route does not document,
 * or a body that does not match its schema, fails the test.
 */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async call(
    method: string,
    path: string,
    options: {
      body?: unknown;
      token?: string;
      headers?: Record<string, string>;
      /** Skips the document check: only for answers no route gives (e.g. a request the server refuses first). */
      unchecked?: boolean;
    } = {},
  ) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: test helper returns loosely typed JSON
    const json: any = text ? JSON.parse(text) : undefined;
    if (!options.unchecked) {
      const problems = responseProblems(method, path, response.status, json);
      if (problems.length > 0)
        throw new Error(
          `${method} ${path}: the answer does not match the OpenAPI document:\n${problems.join('\n')}`,
        );
    }
    return { status: response.status, json };
  }

  async staffToken(sub: string, groups: string[]): Promise<string> {
    const { json } = await this.call('POST', '/_local/tokens', { body: { sub, groups } });
    return json.token;
  }
}

/** Polls until `check` returns a value (or throws after `timeoutMs`). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`Condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
