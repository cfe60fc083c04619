/* cf-folder-monitor.h: the files that arrive in a folder, each once it is complete
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CF_TYPE_FOLDER_MONITOR (cf_folder_monitor_get_type ())
G_DECLARE_FINAL_TYPE (CfFolderMonitor, cf_folder_monitor, CF, FOLDER_MONITOR, GObject)

CfFolderMonitor *cf_folder_monitor_new          (GFile            *folder,
                                                 GError          **error);
GFile           *cf_folder_monitor_get_folder   (CfFolderMonitor  *self);
void             cf_folder_monitor_scan         (CfFolderMonitor  *self,
                                                 gint64            since);
void             cf_folder_monitor_wait_for_close (CfFolderMonitor *self,
                                                   GFile           *file);
guint            cf_folder_monitor_get_n_pending (CfFolderMonitor *self);

gboolean         cf_folder_monitor_is_partial_name (const char    *name);

G_END_DECLS
