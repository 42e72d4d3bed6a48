/*
 * The two jose functions the staff verifier uses, imported by name. The verifier loads this module
 * with a dynamic import (on the first staff JWT); a dynamic `import('jose')` itself would make
 * esbuild keep jose's whole namespace (~60 KB), a static named import here lets it keep only these
 * two and what they need (~18 KB).
 */
export { createRemoteJWKSet, jwtVerify } from 'jose';
