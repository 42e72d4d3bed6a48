import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { Node } from 'constructs';
import { parseStaffJwtAlgorithms } from '../../shared/config/env';
import { CHINA_REGIONS, chinaProfile } from './aws-cn';
import { globalProfile } from './global';
import type { DeploymentProfile, Partition } from './types';

export type {
  DeploymentProfile,
  EmailProfile,
  Partition,
  ProviderSecretSpec,
  SmsProfile,
  StaffIdentityProfile,
} from './types';

/**
 * Context keys of the deployment profile and their defaults (also in `cdk.json`). The China
 * profile's provider values default to placeholders, so that `npx cdk synth -c partition=aws-cn
 * -c region=cn-northwest-1` works without any account; a deployment sets the acquirer's own.
 */
export const PROFILE_CONTEXT_DEFAULTS = {
  partition: 'aws',
  region: '',
  smtpHost: 'smtp.example.com',
  smtpPort: 465,
  staffOidcIssuer: 'https://idp.example.com',
  staffOidcAudience: 'merchant-onboarding',
  staffOidcJwksUri: 'https://idp.example.com/.well-known/jwks.json',
  staffOidcGroupsClaim: 'groups',
  staffOidcAlgorithms: 'RS256',
  smsProviderEndpoint: 'https://sms.tencentcloudapi.com',
  smsProviderRegion: 'ap-guangzhou',
  smsProviderAppId: '1400000000',
} as const;

type ProfileContextKey = keyof typeof PROFILE_CONTEXT_DEFAULTS;

function context(node: Node, key: ProfileContextKey): string {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return String(PROFILE_CONTEXT_DEFAULTS[key]);
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new Error(`Context "${key}" must be a string, got ${JSON.stringify(value)}`);
  return String(value).trim();
}

function httpsUrl(node: Node, key: ProfileContextKey): string {
  const value = context(node, key);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Context "${key}" must be an https URL, got "${value}"`);
  }
  if (url.protocol !== 'https:') throw new Error(`Context "${key}" must be an https URL, got "${value}"`);
  return value;
}

/** The partition of a known region (CDK's region facts), `undefined` for a region CDK does not know. */
export function partitionOfRegion(region: string): string | undefined {
  return RegionInfo.get(region).partition;
}

/**
 * The deployment profile of `-c partition=aws|aws-cn` (default `aws`) and `-c region=…` (default:
 * the CLI's region, CDK_DEFAULT_REGION, if any). The China profile needs a China region and reads
 * its providers from context; every value is checked here, so a wrong one fails `cdk synth` with
 * the key's name.
 */
export function readProfile(node: Node, defaultRegion = process.env.CDK_DEFAULT_REGION): DeploymentProfile {
  const partition = context(node, 'partition');
  if (partition !== 'aws' && partition !== 'aws-cn')
    throw new Error(`Context "partition" must be aws or aws-cn, got "${partition}"`);
  const region = context(node, 'region') || defaultRegion || undefined;
  if (region !== undefined) {
    const regionPartition = partitionOfRegion(region);
    if (regionPartition !== partition)
      throw new Error(
        `Context "region" ${region} is in partition ${regionPartition ?? '(unknown)'}, not ${partition as Partition}: ` +
          (partition === 'aws-cn'
            ? `use -c region=${CHINA_REGIONS.join(' or -c region=')}`
            : 'use -c partition=aws-cn for a China region'),
      );
  }
  if (partition === 'aws') return globalProfile(region);

  if (region !== 'cn-north-1' && region !== 'cn-northwest-1')
    throw new Error(`The aws-cn partition needs -c region=${CHINA_REGIONS.join(' or -c region=')}`);
  const smtpPort = Number(context(node, 'smtpPort'));
  if (!Number.isInteger(smtpPort) || smtpPort < 1 || smtpPort > 65_535 || smtpPort === 25)
    throw new Error(
      'Context "smtpPort" must be 465 (implicit TLS) or a submission port with STARTTLS such as 587 (not 25)',
    );
  const smtpHost = context(node, 'smtpHost');
  if (!/^[A-Za-z0-9.-]+$/.test(smtpHost))
    throw new Error(`Context "smtpHost" must be a host name, got "${smtpHost}"`);
  const audience = context(node, 'staffOidcAudience');
  if (audience === '') throw new Error('Context "staffOidcAudience" must not be empty');
  const groupsClaim = context(node, 'staffOidcGroupsClaim');
  if (groupsClaim === '') throw new Error('Context "staffOidcGroupsClaim" must not be empty');
  let algorithms: ReturnType<typeof parseStaffJwtAlgorithms>;
  try {
    algorithms = parseStaffJwtAlgorithms(context(node, 'staffOidcAlgorithms'));
  } catch (error) {
    throw new Error(`Context "staffOidcAlgorithms": ${(error as Error).message}`);
  }
  const appId = context(node, 'smsProviderAppId');
  if (!/^\d{1,20}$/.test(appId)) throw new Error(`Context "smsProviderAppId" must be digits, got "${appId}"`);
  const smsRegion = context(node, 'smsProviderRegion');
  if (!/^[a-z]{2,}-[a-z]+$/.test(smsRegion))
    throw new Error(
      `Context "smsProviderRegion" must be a provider region such as ap-guangzhou, got "${smsRegion}"`,
    );
  return chinaProfile(region, {
    email: { kind: 'smtp', host: smtpHost, port: smtpPort },
    staffIdentity: {
      kind: 'oidc',
      issuer: httpsUrl(node, 'staffOidcIssuer'),
      audience,
      jwksUri: httpsUrl(node, 'staffOidcJwksUri'),
      groupsClaim,
      algorithms,
    },
    sms: { kind: 'tencent-cloud', endpoint: httpsUrl(node, 'smsProviderEndpoint'), region: smsRegion, appId },
  });
}
