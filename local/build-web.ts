/**
 * `npm run build:web`: builds the staff console and the merchant pages into `.dist/web/` (what
 * `npm run dev` serves) and prints the JavaScript each first page loads, gzipped.
 */
import { join } from 'node:path';
import { WEB_APPS } from '../web/security-headers';
import { DEFAULT_WEB_DIR, ensureWebBuilt, firstPageJavaScript } from './web-build';

const { ms } = await ensureWebBuilt({ force: process.argv.includes('--force'), log: console.log });
for (const app of WEB_APPS) {
  const js = firstPageJavaScript(join(DEFAULT_WEB_DIR, app.name));
  console.log(
    `${app.basePath.padEnd(10)} first page JS ${(js.gzipBytes / 1024).toFixed(1)} KB gzipped (${(js.rawBytes / 1024).toFixed(1)} KB raw, ${js.files.length} file(s))`,
  );
}
console.log(`done in ${ms} ms`);
