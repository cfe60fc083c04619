/* cf-check-row.h: one file's check in the list, live while it runs, then its verdict
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cf-checker.h"

G_BEGIN_DECLS

#define CF_TYPE_CHECK_ROW (cf_check_row_get_type ())
G_DECLARE_FINAL_TYPE (CfCheckRow, cf_check_row, CF, CHECK_ROW, GtkListBoxRow)

CfCheckRow           *cf_check_row_new             (CfCheck              *check,
                                                    gboolean              launch);
/* A read-only row for a check of an earlier session. */
CfCheckRow           *cf_check_row_new_for_history (const CfHistoryEntry *entry);

CfCheck              *cf_check_row_get_check       (CfCheckRow           *self);
const CfHistoryEntry *cf_check_row_get_history     (CfCheckRow           *self);
const char           *cf_check_row_get_key         (CfCheckRow           *self);
const char           *cf_check_row_get_sha256      (CfCheckRow           *self);
char                 *cf_check_row_dup_name        (CfCheckRow           *self);
gboolean              cf_check_row_is_finished     (CfCheckRow           *self);
/* Whether the file is to be opened when its check allows it; only once. */
gboolean              cf_check_row_take_launch     (CfCheckRow           *self);
gboolean              cf_check_row_get_launch      (CfCheckRow           *self);
void                  cf_check_row_set_note        (CfCheckRow           *self,
                                                    const char           *note);

/* Shared with the details page: the verdict in words, an icon and a CSS class. */
char                 *cf_history_describe          (const CfHistoryEntry *entry,
                                                    const char          **icon_name,
                                                    const char          **style_class);

G_END_DECLS
