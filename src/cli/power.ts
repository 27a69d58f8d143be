import type { Register } from './main';
/** Placeholder: the power command is being written. */
export const registerPower: Register = () => undefined;
