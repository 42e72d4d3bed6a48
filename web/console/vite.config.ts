import { appConfig } from '../vite-config.ts';

/** The staff console, served at `/console/`. */
export default appConfig('console', '/console/');
