#ifndef BLANKETT_CZLIB_SHIM_H
#define BLANKETT_CZLIB_SHIM_H

// zlib, for the page content streams BlankettPDF rewrites (FlateDecode).
#include <zlib.h>

#endif
