#ifndef BLANKETT_CPANGOCAIRO_SHIM_H
#define BLANKETT_CPANGOCAIRO_SHIM_H

// Cairo (PDF surface) and Pango (text layout) for BlankettPDF.
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

// Pango's scale factor as a plain int: the macro PANGO_SCALE expands to an
// expression Swift does not import on every toolchain.
static inline int blankett_pango_scale(void) { return PANGO_SCALE; }

// Releases a GObject (a PangoLayout); Swift sees Pango's objects as opaque pointers.
static inline void blankett_object_unref(void *object) { if (object) g_object_unref(object); }

#endif
