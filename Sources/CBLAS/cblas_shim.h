// OpenBLAS's CBLAS interface (Debian: libopenblas-dev), for the training's matrix products.
#include <cblas.h>
