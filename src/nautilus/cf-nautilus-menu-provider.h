/* cf-nautilus-menu-provider.h: "Check with Check First" in the file manager's menus
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <nautilus-extension.h>

G_BEGIN_DECLS

#define CF_TYPE_NAUTILUS_MENU_PROVIDER (cf_nautilus_menu_provider_get_type ())
G_DECLARE_FINAL_TYPE (CfNautilusMenuProvider, cf_nautilus_menu_provider, CF, NAUTILUS_MENU_PROVIDER, GObject)

void cf_nautilus_menu_provider_register (GTypeModule *module);

G_END_DECLS
