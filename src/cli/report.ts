import type { Register } from './main';
/** Placeholder: the report command is being written. */
export const registerReport: Register = () => undefined;
