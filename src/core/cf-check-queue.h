/* cf-check-queue.h: files waiting for their check, a few checked at a time, in a chosen order
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-session.h"

G_BEGIN_DECLS

#define CF_TYPE_CHECK_QUEUE (cf_check_queue_get_type ())
G_DECLARE_FINAL_TYPE (CfCheckQueue, cf_check_queue, CF, CHECK_QUEUE, GObject)

CfCheckQueue *cf_check_queue_new            (CfSession           *session,
                                             guint                max_active);
void          cf_check_queue_push           (CfCheckQueue        *self,
                                             GFile               *file,
                                             CfSessionCheckFlags  flags,
                                             gint64               rank,
                                             gpointer             tag);
guint         cf_check_queue_get_n_waiting  (CfCheckQueue        *self);
guint         cf_check_queue_get_n_active   (CfCheckQueue        *self);
void          cf_check_queue_drop_tag       (CfCheckQueue        *self,
                                             gpointer             tag,
                                             gboolean             cancel_active);

G_END_DECLS
