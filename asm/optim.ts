// optim kernels (see asm/index.ts)
