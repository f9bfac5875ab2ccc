#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
#include <cblas.h>
#include <stddef.h>

/* LAPACK's symmetric eigensolver (divide and conquer), exported by libopenblas; declared here
   because Debian ships no LAPACK header with libopenblas-dev. The trailing size_t arguments are
   gfortran's hidden lengths of the two CHARACTER arguments. */
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda, float *w,
             float *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_length, size_t uplo_length);
#endif
