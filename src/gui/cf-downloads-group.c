/* cf-downloads-group.c: Preferences for new downloads: on or off, the watched folders
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only settings: the service follows "check-new-downloads" and
 * "watched-folders" itself (and its autostart entry with them).  An empty
 * list means the Downloads folder, shown as such; adding a folder to it
 * keeps the Downloads folder in the list.
 */

#define G_LOG_DOMAIN "check-first-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-display.h"
#include "cf-downloads-group.h"
#include "cf-watcher.h"

struct _CfDownloadsGroup
{
  AdwPreferencesGroup  parent_instance;

  GtkSwitch           *enabled_switch;
  AdwActionRow        *clean_row;
  GtkSwitch           *clean_switch;
  AdwActionRow        *add_row;

  GSettings           *settings;
  GPtrArray           *folder_rows;    /* the rows made for the folders */
};

G_DEFINE_FINAL_TYPE (CfDownloadsGroup, cf_downloads_group, ADW_TYPE_PREFERENCES_GROUP)

/* The folders the service watches, as paths: the list, or Downloads. */
static GStrv
folder_paths (CfDownloadsGroup *self,
              gboolean         *is_default)
{
  g_auto(GStrv) paths = g_settings_get_strv (self->settings, "watched-folders");
  g_autoptr(GFile) downloads = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  *is_default = paths[0] == NULL;
  if (!*is_default)
    return g_steal_pointer (&paths);
  downloads = cf_watcher_default_folder ();
  if (downloads != NULL)
    {
      g_autofree char *path = g_file_get_path (downloads);

      g_strv_builder_add (builder, path);
    }
  return g_strv_builder_end (builder);
}

static GtkWidget *
folder_row_new (const char *path,
                gboolean    removable)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *shown = cf_display_path (path);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), removable ? shown : _("Your Downloads folder"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("folder-symbolic"));

  if (removable)
    {
      /* Translators: the name of a button that stops watching a folder; %s is its name */
      g_autofree char *label = g_strdup_printf (_("Stop watching %s"), name);
      GtkWidget *button = gtk_button_new_from_icon_name ("list-remove-symbolic");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Stop Watching"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "downloads.remove-folder");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", path);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static void
rebuild (CfDownloadsGroup *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (self);
  g_auto(GStrv) paths = NULL;
  gboolean is_default;

  for (guint i = 0; i < self->folder_rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (self->folder_rows, i));
  g_ptr_array_set_size (self->folder_rows, 0);
  /* These two come after the folders: out, and in again below. */
  if (gtk_widget_get_parent (GTK_WIDGET (self->add_row)) != NULL)
    {
      adw_preferences_group_remove (group, GTK_WIDGET (self->add_row));
      adw_preferences_group_remove (group, GTK_WIDGET (self->clean_row));
    }

  paths = folder_paths (self, &is_default);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      GtkWidget *row = folder_row_new (paths[i], !is_default);

      g_ptr_array_add (self->folder_rows, row);
      adw_preferences_group_add (group, row);
    }
  adw_preferences_group_add (group, GTK_WIDGET (self->add_row));
  adw_preferences_group_add (group, GTK_WIDGET (self->clean_row));
}

static void
set_folders (CfDownloadsGroup   *self,
             const char * const *paths)
{
  g_settings_set_strv (self->settings, "watched-folders", paths);
}

static void
on_folder_chosen (GtkNativeDialog  *dialog,
                  int               response,
                  CfDownloadsGroup *self)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) paths = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  gboolean is_default;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  path = folder != NULL ? g_file_get_path (folder) : NULL;
  if (path == NULL || self->settings == NULL)
    return;

  /* The Downloads folder stays when the list was empty. */
  paths = folder_paths (self, &is_default);
  if (g_strv_contains ((const char * const *) paths, path))
    return;
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) paths);
  g_strv_builder_add (builder, path);
  g_strfreev (paths);
  paths = g_strv_builder_end (builder);
  set_folders (self, (const char * const *) paths);
}

static void
add_folder_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Watch a Folder"), GTK_IS_WINDOW (native) ? GTK_WINDOW (native) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Watch"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_folder_chosen), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
remove_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CfDownloadsGroup *self = CF_DOWNLOADS_GROUP (widget);
  const char *path = g_variant_get_string (parameter, NULL);
  g_auto(GStrv) paths = g_settings_get_strv (self->settings, "watched-folders");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  for (guint i = 0; paths[i] != NULL; i++)
    if (!g_str_equal (paths[i], path))
      g_strv_builder_add (builder, paths[i]);
  kept = g_strv_builder_end (builder);
  set_folders (self, (const char * const *) kept);
}

static void
on_settings_changed (GSettings        *settings,
                     const char       *key,
                     CfDownloadsGroup *self)
{
  if (g_str_equal (key, "watched-folders"))
    rebuild (self);
}

static void
cf_downloads_group_dispose (GObject *object)
{
  CfDownloadsGroup *self = CF_DOWNLOADS_GROUP (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_DOWNLOADS_GROUP);

  G_OBJECT_CLASS (cf_downloads_group_parent_class)->dispose (object);
}

static void
cf_downloads_group_finalize (GObject *object)
{
  CfDownloadsGroup *self = CF_DOWNLOADS_GROUP (object);

  g_clear_pointer (&self->folder_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cf_downloads_group_parent_class)->finalize (object);
}

static void
cf_downloads_group_class_init (CfDownloadsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_downloads_group_dispose;
  object_class->finalize = cf_downloads_group_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/checkfirst/CheckFirst/cf-downloads-group.ui");
  gtk_widget_class_bind_template_child (widget_class, CfDownloadsGroup, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, CfDownloadsGroup, clean_row);
  gtk_widget_class_bind_template_child (widget_class, CfDownloadsGroup, clean_switch);
  gtk_widget_class_bind_template_child (widget_class, CfDownloadsGroup, add_row);

  gtk_widget_class_install_action (widget_class, "downloads.add-folder", NULL, add_folder_action);
  gtk_widget_class_install_action (widget_class, "downloads.remove-folder", "s", remove_folder_action);
}

static void
cf_downloads_group_init (CfDownloadsGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->folder_rows = g_ptr_array_new ();
}

void
cf_downloads_group_set_settings (CfDownloadsGroup *self,
                                 GSettings        *settings)
{
  g_return_if_fail (CF_IS_DOWNLOADS_GROUP (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  g_settings_bind (settings, "check-new-downloads", self->enabled_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-clean-downloads", self->clean_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (settings, "changed", G_CALLBACK (on_settings_changed), self, 0);
  rebuild (self);
}
