import type { Register } from './main';
/** Placeholder: the describe command is being written. */
export const registerDescribe: Register = () => undefined;
