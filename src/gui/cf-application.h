/* cf-application.h: the running app: one session, its windows and its actions
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-session.h"

G_BEGIN_DECLS

#define CF_TYPE_APPLICATION (cf_application_get_type ())
G_DECLARE_FINAL_TYPE (CfApplication, cf_application, CF, APPLICATION, AdwApplication)

CfApplication *cf_application_new            (void);
CfSession     *cf_application_get_session    (CfApplication *self);
/* Tells the desktop that a file was blocked, or how a long check ended. */
void           cf_application_notify_blocked (CfApplication *self,
                                              CfCheck       *check);
void           cf_application_notify_modified (CfApplication *self,
                                              CfCheck       *check);
void           cf_application_notify_checked (CfApplication *self,
                                              CfCheck       *check);
void           cf_application_withdraw_blocked (CfApplication *self,
                                              const char    *sha256);

G_END_DECLS
