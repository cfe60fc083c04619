/* cf-window.h: the main window: drop zone, the list of checks, their details
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-application.h"

G_BEGIN_DECLS

#define CF_TYPE_WINDOW (cf_window_get_type ())
G_DECLARE_FINAL_TYPE (CfWindow, cf_window, CF, WINDOW, AdwApplicationWindow)

CfWindow *cf_window_new            (CfApplication  *application);
/* Starts a check of each file; with @launch, each is opened when allowed. */
void      cf_window_check_files    (CfWindow       *self,
                                    GFile         **files,
                                    guint           n_files,
                                    gboolean        launch);
/* The newest check of the file with @sha256, in the list or the history.
 * FALSE when there is none. */
gboolean  cf_window_show_check     (CfWindow       *self,
                                    const char     *sha256);
void      cf_window_show_processes (CfWindow       *self);
/* Opens or runs a finished check's file, after making sure it did not change.
 * @override: the person chose to run a blocked file. */
void      cf_window_launch_check   (CfWindow       *self,
                                    CfCheck        *check,
                                    gboolean        override);
void      cf_window_add_toast      (CfWindow       *self,
                                    AdwToast       *toast);

G_END_DECLS
