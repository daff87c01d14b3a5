// window kernels (see asm/index.ts)
