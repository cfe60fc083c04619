/* cf-wrap-box.h: a row of buttons that goes on in a second line when there is no room
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CF_TYPE_WRAP_BOX (cf_wrap_box_get_type ())
G_DECLARE_FINAL_TYPE (CfWrapBox, cf_wrap_box, CF, WRAP_BOX, GtkWidget)

GtkWidget *cf_wrap_box_new (void);

G_END_DECLS
