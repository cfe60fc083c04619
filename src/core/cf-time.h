/* cf-time.h: durations and moments in words, for every wait a person is told about
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *cf_format_duration (gint64 usec);
char *cf_format_countdown (gint64 usec);
char *cf_format_moment   (gint64 usec,
                          gint64 now);
char *cf_format_age      (gint64 then,
                          gint64 now);

G_END_DECLS
