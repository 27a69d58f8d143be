import type { Register } from './main';
export const registerCorrelate: Register = () => undefined;
