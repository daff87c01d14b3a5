// gemm kernels (see asm/index.ts)
