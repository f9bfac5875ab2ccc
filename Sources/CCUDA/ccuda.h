#ifndef HEBB_CCUDA_H
#define HEBB_CCUDA_H
/* The CUDA entry points hebb uses, as function-pointer types. Written for this project from the
   public CUDA documentation (no NVIDIA header is needed to build): the libraries are opened at run
   time with dlopen and each symbol is resolved with dlsym into one of these types. Every
   signature here is ABI-stable across CUDA 12.x and 13.x. Status codes are plain ints
   (CUresult, cublasStatus_t, nvrtcResult: 0 is success). */
#include <stddef.h>

typedef unsigned long long hebb_CUdeviceptr;   /* CUdeviceptr (64-bit) */
typedef void *hebb_CUcontext;
typedef void *hebb_CUmodule;
typedef void *hebb_CUfunction;
typedef void *hebb_CUstream;
typedef void *hebb_cublasHandle;
typedef void *hebb_nvrtcProgram;

/* Driver API (libcuda.so.1, installed with the NVIDIA driver). */
typedef int (*hebb_cuInit_t)(unsigned int flags);
typedef int (*hebb_cuDriverGetVersion_t)(int *version);
typedef int (*hebb_cuDeviceGetCount_t)(int *count);
typedef int (*hebb_cuDeviceGet_t)(int *device, int ordinal);
typedef int (*hebb_cuDeviceGetAttribute_t)(int *value, int attribute, int device);
typedef int (*hebb_cuDeviceGetName_t)(char *name, int length, int device);
typedef int (*hebb_cuDevicePrimaryCtxRetain_t)(hebb_CUcontext *context, int device);
typedef int (*hebb_cuCtxSetCurrent_t)(hebb_CUcontext context);
typedef int (*hebb_cuCtxSynchronize_t)(void);
typedef int (*hebb_cuMemAlloc_t)(hebb_CUdeviceptr *pointer, size_t bytes);            /* cuMemAlloc_v2 */
typedef int (*hebb_cuMemFree_t)(hebb_CUdeviceptr pointer);                            /* cuMemFree_v2 */
typedef int (*hebb_cuMemcpyHtoD_t)(hebb_CUdeviceptr dst, const void *src, size_t bytes); /* cuMemcpyHtoD_v2 */
typedef int (*hebb_cuMemcpyDtoH_t)(void *dst, hebb_CUdeviceptr src, size_t bytes);       /* cuMemcpyDtoH_v2 */
typedef int (*hebb_cuMemsetD8_t)(hebb_CUdeviceptr dst, unsigned char value, size_t count); /* cuMemsetD8_v2 */
typedef int (*hebb_cuModuleLoadData_t)(hebb_CUmodule *module, const void *image);
typedef int (*hebb_cuModuleGetFunction_t)(hebb_CUfunction *function, hebb_CUmodule module, const char *name);
typedef int (*hebb_cuLaunchKernel_t)(hebb_CUfunction function,
    unsigned int gridX, unsigned int gridY, unsigned int gridZ,
    unsigned int blockX, unsigned int blockY, unsigned int blockZ,
    unsigned int sharedBytes, hebb_CUstream stream, void **parameters, void **extra);
typedef int (*hebb_cuGetErrorString_t)(int status, const char **message);

/* cuBLAS (libcublas.so.13 / .so.12; uses the context made current through the driver API). */
typedef int (*hebb_cublasCreate_t)(hebb_cublasHandle *handle);                        /* cublasCreate_v2 */
typedef int (*hebb_cublasDestroy_t)(hebb_cublasHandle handle);                        /* cublasDestroy_v2 */
typedef int (*hebb_cublasSgemm_t)(hebb_cublasHandle handle, int transa, int transb,   /* cublasSgemm_v2 */
    int m, int n, int k, const float *alpha, const float *a, int lda, const float *b, int ldb,
    const float *beta, float *c, int ldc);

/* NVRTC (libnvrtc.so.13 / .so.12): compiles CUDA C to PTX on the host, no GPU needed. */
typedef int (*hebb_nvrtcVersion_t)(int *major, int *minor);
typedef int (*hebb_nvrtcCreateProgram_t)(hebb_nvrtcProgram *program, const char *source, const char *name,
    int headerCount, const char *const *headers, const char *const *includeNames);
typedef int (*hebb_nvrtcCompileProgram_t)(hebb_nvrtcProgram program, int optionCount, const char *const *options);
typedef int (*hebb_nvrtcDestroyProgram_t)(hebb_nvrtcProgram *program);
typedef int (*hebb_nvrtcGetSize_t)(hebb_nvrtcProgram program, size_t *size);          /* PTX and log sizes */
typedef int (*hebb_nvrtcGetText_t)(hebb_nvrtcProgram program, char *text);            /* PTX and log */
typedef const char *(*hebb_nvrtcGetErrorString_t)(int status);

#endif
