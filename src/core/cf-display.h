/* cf-display.h: names and messages made safe to show on a screen or a terminal
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *cf_display_text               (const char *text);
char *cf_display_path               (const char *path);
void  cf_display_append_json_string (GString    *out,
                                     const char *text);
char *cf_display_size               (guint64     bytes,
                                     gboolean    long_format);
guint cf_display_width              (const char *text);
char *cf_display_fit                (const char *text,
                                     guint       columns);

G_END_DECLS
