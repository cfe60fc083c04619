/* cf-file-actions.h: what a notification's buttons do to a file: move it to the Trash and back, upload it
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-session.h"

G_BEGIN_DECLS

typedef struct _CfService CfService;

#define CF_TYPE_FILE_ACTIONS (cf_file_actions_get_type ())
G_DECLARE_FINAL_TYPE (CfFileActions, cf_file_actions, CF, FILE_ACTIONS, GObject)

CfFileActions *cf_file_actions_new   (CfService     *service,
                                      GActionMap    *map);
void           cf_file_actions_start (CfFileActions *self,
                                      CfSession     *session);

G_END_DECLS
