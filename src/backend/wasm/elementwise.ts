import type { FastTable } from './context.js';

export const elementwiseKernels: FastTable = {};
