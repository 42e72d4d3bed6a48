import { appConfig } from '../vite-config.ts';

/** The merchant pages (H5), served at `/m/`. */
export default appConfig('merchant', '/m/');
