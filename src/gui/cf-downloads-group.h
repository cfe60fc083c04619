/* cf-downloads-group.h: Preferences for new downloads: on or off, the watched folders
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CF_TYPE_DOWNLOADS_GROUP (cf_downloads_group_get_type ())
G_DECLARE_FINAL_TYPE (CfDownloadsGroup, cf_downloads_group, CF, DOWNLOADS_GROUP, AdwPreferencesGroup)

void cf_downloads_group_set_settings (CfDownloadsGroup *self,
                                      GSettings        *settings);

G_END_DECLS
