/* cf-nautilus-info-provider.h: each file's verdict where the person looks: an emblem and a column
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <nautilus-extension.h>

G_BEGIN_DECLS

#define CF_TYPE_NAUTILUS_INFO_PROVIDER (cf_nautilus_info_provider_get_type ())
G_DECLARE_FINAL_TYPE (CfNautilusInfoProvider, cf_nautilus_info_provider, CF, NAUTILUS_INFO_PROVIDER, GObject)

void cf_nautilus_info_provider_register (GTypeModule *module);

G_END_DECLS
