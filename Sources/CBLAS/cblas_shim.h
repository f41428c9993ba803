// OpenBLAS's CBLAS interface (Debian: libopenblas-serial-dev), for the training's matrix products.
#include <cblas.h>
