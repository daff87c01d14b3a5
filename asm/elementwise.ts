// elementwise kernels (see asm/index.ts)
