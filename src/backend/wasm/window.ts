import type { FastTable } from './context.js';

export const windowKernels: FastTable = {};
