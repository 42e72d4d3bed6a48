import S3rver from 's3rver';
import { closeServer } from './http';
import type { LocalLogger } from './log';

/** A running s3rver. */
export interface S3Local {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Browsers upload documents straight to the presigned URL, so the bucket must answer CORS preflights
 * for PUT (and GET/HEAD for previews), as the deployed bucket's CORS rule does.
 */
const CORS_CONFIGURATION = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/**
 * Starts s3rver with its files in `directory` and the documents bucket (and `otherBuckets`, e.g.
 * the agreement archive) created, kept if they exist.
 */
export async function startS3Local(options: {
  directory: string;
  port: number;
  bucket: string;
  otherBuckets?: readonly string[];
  log: LocalLogger;
}): Promise<S3Local> {
  const instance = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    // s3rver logs every request; far too noisy next to the API log.
    silent: true,
    directory: options.directory,
    configureBuckets: [
      { name: options.bucket, configs: [CORS_CONFIGURATION] },
      ...(options.otherBuckets ?? []).map((name) => ({ name, configs: [] })),
    ],
  });
  const { port } = await instance.run();
  const url = `http://127.0.0.1:${port}`;
  options.log.info(`s3: s3rver on ${url} (bucket ${options.bucket}, files in ${options.directory})`);
  return {
    url,
    stop: async () => {
      if (instance.httpServer) await closeServer(instance.httpServer);
    },
  };
}
