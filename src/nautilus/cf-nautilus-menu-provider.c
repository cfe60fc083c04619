/* cf-nautilus-menu-provider.c: "Check with Check First" in the file manager's menus
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One item for the selection, however many files it holds, and one for
 * the folder's background.  Choosing it hands every file (a folder stands
 * for its files) to the service in one CheckFiles call: the service
 * queues them, checks them within the request budget and says what it
 * found in notifications and in the emblems.  The file manager waits for
 * nothing.
 */

#define G_LOG_DOMAIN "check-first-nautilus"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-nautilus-client.h"
#include "cf-nautilus-files.h"
#include "cf-nautilus-menu-provider.h"

struct _CfNautilusMenuProvider
{
  GObject parent_instance;
};

static void cf_nautilus_menu_provider_iface_init (NautilusMenuProviderInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (CfNautilusMenuProvider, cf_nautilus_menu_provider, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (NAUTILUS_TYPE_MENU_PROVIDER,
                                                               cf_nautilus_menu_provider_iface_init))

static void
on_activate (NautilusMenuItem *item,
             gpointer          user_data)
{
  const char * const *uris = g_object_get_data (G_OBJECT (item), "check-first-uris");

  cf_nautilus_client_check_files (cf_nautilus_client_get_default (), uris);
}

/* An item that checks @uris (taken) when chosen. */
static NautilusMenuItem *
new_item (const char *name,
          const char *label,
          const char *tip,
          GPtrArray  *uris)
{
  NautilusMenuItem *item = nautilus_menu_item_new (name, label, tip, APP_ID);

  g_ptr_array_add (uris, NULL);
  g_object_set_data_full (G_OBJECT (item), "check-first-uris",
                          g_ptr_array_free (uris, FALSE), (GDestroyNotify) g_strfreev);
  g_signal_connect (item, "activate", G_CALLBACK (on_activate), NULL);
  return item;
}

static GList *
get_file_items (NautilusMenuProvider *provider,
                GList                *files)
{
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *label = NULL;
  guint total = 0;

  for (GList *l = files; l != NULL; l = l->next)
    {
      char *uri = cf_nautilus_file_get_local_uri (l->data);

      total++;
      if (uri != NULL)
        g_ptr_array_add (uris, uri);
    }
  /* Nothing Check First could read: no item, rather than one that fails. */
  if (uris->len == 0)
    return NULL;

  if (uris->len == total)
    label = g_strdup (_("Check with Check First"));
  else
    /* Translators: a menu item, when only some of the selected files are on this computer
     * (or reachable through a network mount); e.g. "Check 3 of 5 Files with Check First" */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Check %u of %u File with Check First",
                                          "Check %u of %u Files with Check First", total),
                             uris->len, total);

  g_ptr_array_set_free_func (uris, NULL);
  return g_list_append (NULL, new_item ("CheckFirst::check-selection", label,
                                        _("Look the files up on VirusTotal, without opening them"),
                                        g_steal_pointer (&uris)));
}

static GList *
get_background_items (NautilusMenuProvider *provider,
                      NautilusFileInfo     *current_folder)
{
  g_autoptr(GPtrArray) uris = NULL;
  char *uri = cf_nautilus_file_get_local_uri (current_folder);

  if (uri == NULL)
    return NULL;
  uris = g_ptr_array_new ();
  g_ptr_array_add (uris, uri);
  return g_list_append (NULL, new_item ("CheckFirst::check-folder", _("Check This Folder"),
                                        /* Translators: the tip of "Check This Folder" */
                                        _("Look the files in this folder up on VirusTotal with Check First"),
                                        g_steal_pointer (&uris)));
}

void
cf_nautilus_menu_provider_register (GTypeModule *module)
{
  cf_nautilus_menu_provider_register_type (module);
}

static void
cf_nautilus_menu_provider_iface_init (NautilusMenuProviderInterface *iface)
{
  iface->get_file_items = get_file_items;
  iface->get_background_items = get_background_items;
}

static void
cf_nautilus_menu_provider_class_init (CfNautilusMenuProviderClass *klass)
{
}

static void
cf_nautilus_menu_provider_class_finalize (CfNautilusMenuProviderClass *klass)
{
}

static void
cf_nautilus_menu_provider_init (CfNautilusMenuProvider *self)
{
}
