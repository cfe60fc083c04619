/* cf-nautilus-module.c: what the file manager calls when it loads Check First's extension
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nautilus loads every module in its extension folder at start, calls
 * nautilus_module_initialize() with a GTypeModule for the types, then
 * makes one object of each type nautilus_module_list_types() names.  The
 * extension is GIO only: it talks to the Check First service over D-Bus
 * and never links the application's core into the file manager.
 */

#define G_LOG_DOMAIN "check-first-nautilus"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-nautilus-client.h"
#include "cf-nautilus-info-provider.h"
#include "cf-nautilus-menu-provider.h"

static GType provider_types[2];

G_MODULE_EXPORT void
nautilus_module_initialize (GTypeModule *module)
{
  /* Our words are in our own catalogue, wherever the file manager keeps its own. */
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  cf_nautilus_client_register (module);
  cf_nautilus_menu_provider_register (module);
  cf_nautilus_info_provider_register (module);
  provider_types[0] = CF_TYPE_NAUTILUS_MENU_PROVIDER;
  provider_types[1] = CF_TYPE_NAUTILUS_INFO_PROVIDER;
}

G_MODULE_EXPORT void
nautilus_module_list_types (const GType **types,
                            int          *num_types)
{
  *types = provider_types;
  *num_types = G_N_ELEMENTS (provider_types);
}

G_MODULE_EXPORT void
nautilus_module_shutdown (void)
{
  cf_nautilus_client_drop_default ();
}
