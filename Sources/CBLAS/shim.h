#ifndef CBLAS_SHIM_H
#define CBLAS_SHIM_H
// Debian's libopenblas-dev; pkg-config "openblas" adds the openblas-pthread include directory.
// Also declares openblas_set_num_threads / openblas_get_corename.
#include <cblas.h>
#endif
