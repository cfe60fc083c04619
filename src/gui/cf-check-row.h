/* cf-check-row.h: one check in a list: live while it runs, then its verdict
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cf-check.h"

G_BEGIN_DECLS

#define CF_TYPE_CHECK_ROW (cf_check_row_get_type ())
G_DECLARE_FINAL_TYPE (CfCheckRow, cf_check_row, CF, CHECK_ROW, GtkListBoxRow)

GtkWidget *cf_check_row_new       (CfCheck    *check);
CfCheck   *cf_check_row_get_check (CfCheckRow *self);
void       cf_check_row_set_note  (CfCheckRow *self,
                                   const char *note);

G_END_DECLS
