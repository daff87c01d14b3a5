import type { FastTable } from './context.js';

export const gemmKernels: FastTable = {};
