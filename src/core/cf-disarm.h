/* cf-disarm.h: take a blocked download's permission to run away, and give it back
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-file-hold.h"
#include "cf-store.h"

G_BEGIN_DECLS

gboolean cf_disarm_held      (CfStore              *store,
                              CfFileHold           *hold,
                              const char           *sha256,
                              GError              **error);
guint    cf_rearm_path       (CfStore              *store,
                              const char           *path,
                              CfFileHold           *hold);
guint    cf_rearm_content    (CfStore              *store,
                              const char           *sha256);

G_END_DECLS
