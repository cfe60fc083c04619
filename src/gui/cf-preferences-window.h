/* cf-preferences-window.h: the Preferences window: protection, uploads, account, advanced
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-session.h"

G_BEGIN_DECLS

#define CF_TYPE_PREFERENCES_WINDOW (cf_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (CfPreferencesWindow, cf_preferences_window, CF, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* A modal window over @parent.  @session's budget is shown live, counts the
 * request that verifies a new key, and uses the key once it is accepted. */
GtkWidget *cf_preferences_window_new (GtkWindow *parent,
                                      CfSession *session);

G_END_DECLS
