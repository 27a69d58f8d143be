/** The package version, from package.json (the bundler keeps only this field of it). */
import { version } from '../package.json';

export const VERSION: string = version;
