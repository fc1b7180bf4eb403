#ifndef CGLPK_SHIM_H
#define CGLPK_SHIM_H
// Debian's libglpk-dev ships no pkg-config file; the header is /usr/include/glpk.h.
#include <glpk.h>
#endif
