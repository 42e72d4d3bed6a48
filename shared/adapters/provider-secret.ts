import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod/mini';

/**
 * How long a provider's credentials are kept in memory before Secrets Manager is asked again: a
 * rotated secret reaches every warm function within this time, and at once where the provider
 * refuses the old credentials (see {@link ProviderSecret.refresh}).
 */
export const SECRET_MAX_AGE_SECONDS = 300;

/**
 * A provider's credentials in Secrets Manager (a JSON secret), read through Powertools' secrets
 * provider: cached for {@link SECRET_MAX_AGE_SECONDS}, checked against `schema` (a secret of the
 * wrong shape fails with the names of its missing keys, never their values).
 */
export class ProviderSecret<T> {
  constructor(
    private readonly secretId: string,
    private readonly schema: z.ZodMiniType<T>,
    private readonly provider = new SecretsProvider(),
  ) {}

  /** The credentials (cached). */
  get(): Promise<T> {
    return this.read(false);
  }

  /**
   * The credentials as Secrets Manager holds them now, bypassing the cache: after the provider
   * refused the cached ones (a rotation happened since they were read).
   */
  refresh(): Promise<T> {
    return this.read(true);
  }

  private async read(forceFetch: boolean): Promise<T> {
    const value = await this.provider.get(this.secretId, {
      transform: 'json',
      maxAge: SECRET_MAX_AGE_SECONDS,
      forceFetch,
    });
    const parsed = z.safeParse(this.schema, value);
    if (!parsed.success) {
      const keys = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
      throw new Error(`The secret ${this.secretId} lacks or misspells: ${[...new Set(keys)].join(', ')}`);
    }
    return parsed.data;
  }
}
