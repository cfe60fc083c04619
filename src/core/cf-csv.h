/* cf-csv.h: CSV fields that spreadsheets read safely
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void cf_csv_append_field (GString    *out,
                          const char *value);

G_END_DECLS
