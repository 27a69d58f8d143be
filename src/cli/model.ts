import type { Register } from './main';
/** Placeholder: the model command is being written. */
export const registerModel: Register = () => undefined;
