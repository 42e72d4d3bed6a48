/**
 * The Node.js versions this project runs on, checked first by every local entry point (`npm run
 * dev`, `npm run bench`, `npm run demo`, `npm test`; see docs/local.md "Node.js").
 *
 * - Node 22.12 or later: what Lambda runs (the functions' runtime is `nodejs22.x`) and what every
 *   dependency accepts. Recommended.
 * - Node 20.19 or later: still works for development. Two dev tools print warnings there that are
 *   handled here or documented:
 *   - the AWS SDK for JavaScript warns on every process that SDK versions published after the first
 *     week of January 2027 will need Node 22. The versions package-lock.json pins accept Node 20
 *     (`engines: >=20.0.0`), so the runtime is known fine for what is installed: the warning is
 *     silenced with the switch the SDK documents (`AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED`),
 *     on Node 20 only and only in local processes. Lambda (Node 22) never warns and is never
 *     configured to be silent.
 *   - `npm ci` prints one `EBADENGINE` notice for `aws-local-stepfunctions` (a dev dependency
 *     that declares Node 22 for `Promise.withResolvers`, which local/polyfills.ts provides).
 * - Anything older fails here with one clear line instead of an obscure error later.
 */

/** The oldest Node 20 and Node 22 releases every dependency accepts (vitest, rolldown, yargs). */
const MINIMUM: Readonly<Record<number, number>> = { 20: 19, 22: 12 };

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const supported = major >= 23 || (major in MINIMUM && minor >= (MINIMUM[major] ?? 0));
if (!supported) {
  throw new Error(
    `Node.js ${process.version} is not supported: use Node 22.12 or later (what Lambda runs), or a Node 20 release from 20.19`,
  );
}
if (major === 20) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
