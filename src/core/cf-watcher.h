/* cf-watcher.h: every new file in the watched folders checked as it lands, newest first
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-session.h"

G_BEGIN_DECLS

typedef enum
{
  CF_WATCHER_NONE          = 0,
  /* The checks go into the session's list, for a window to show. */
  CF_WATCHER_LIST_CHECKS   = 1 << 0,
  /* Look for what arrived while nobody watched (since the last run). */
  CF_WATCHER_CATCH_UP      = 1 << 1,
} CfWatcherFlags;

#define CF_TYPE_WATCHER (cf_watcher_get_type ())
G_DECLARE_FINAL_TYPE (CfWatcher, cf_watcher, CF, WATCHER, GObject)

CfWatcher  *cf_watcher_new            (CfSession       *session,
                                       CfWatcherFlags   flags);
gboolean    cf_watcher_add_folder     (CfWatcher       *self,
                                       GFile           *folder,
                                       GError         **error);
void        cf_watcher_remove_all     (CfWatcher       *self);
GPtrArray  *cf_watcher_get_folders    (CfWatcher       *self);
guint       cf_watcher_get_n_waiting  (CfWatcher       *self);

GFile      *cf_watcher_default_folder (void);

G_END_DECLS
