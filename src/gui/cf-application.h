/* cf-application.h: the running app: one store, scheduler and checker, and its actions
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-checker.h"

G_BEGIN_DECLS

typedef enum
{
  CF_KEY_STATE_LOOKING_UP,   /* the keyring has not answered yet */
  CF_KEY_STATE_MISSING,
  CF_KEY_STATE_PRESENT,
} CfKeyState;

#define CF_TYPE_APPLICATION (cf_application_get_type ())
G_DECLARE_FINAL_TYPE (CfApplication, cf_application, CF, APPLICATION, AdwApplication)

CfApplication *cf_application_new            (void);
CfChecker     *cf_application_get_checker    (CfApplication *self);
CfStore       *cf_application_get_store      (CfApplication *self);
/* NULL when the schema is not installed. */
GSettings     *cf_application_get_settings   (CfApplication *self);
CfKeyState     cf_application_get_key_state  (CfApplication *self);
/* Builds a client for @key and hands it to the checker: queued checks start. */
void           cf_application_set_api_key    (CfApplication *self,
                                              const char    *key);
/* Tells the desktop that a file was blocked. */
void           cf_application_notify_blocked (CfApplication *self,
                                              CfCheck       *check);
void           cf_application_withdraw_blocked (CfApplication *self,
                                              const char    *sha256);

G_END_DECLS
