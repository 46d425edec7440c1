/*
** The font map documents are rendered with (fonts.c): cut Noto Serif CJK SC faces cached under
** cache_dir, else the system's fonts.
*/
#ifndef ENVGOV_DOCUMENTS_FONTS_H
#define ENVGOV_DOCUMENTS_FONTS_H

#include <pango/pango.h>

/* A new pango cairo font map over the cut faces in cache_dir (made there on first use, about a
   second per face), or over the system's fonts when cache_dir is NULL or a step fails (logged).
   The caller owns the map. */
PangoFontMap *documents_font_map(const char *cache_dir);

#endif
