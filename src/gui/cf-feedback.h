/* cf-feedback.h: a question before a step that is hard to take back, and
 * a toast that offers Undo after one
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void      cf_feedback_confirm    (GtkWidget     *widget,
                                  const char    *heading,
                                  const char    *body,
                                  const char    *response,
                                  const char    *label,
                                  GCallback      on_response,
                                  gpointer       instance);
AdwToast *cf_feedback_undo_toast (const char    *title,
                                  GCallback      on_undo,
                                  gpointer       data,
                                  GDestroyNotify destroy);
void      cf_feedback_add_toast  (GtkWidget     *widget,
                                  AdwToast      *toast);
void      cf_feedback_name_buttons (GtkWidget   *widget);

G_END_DECLS
