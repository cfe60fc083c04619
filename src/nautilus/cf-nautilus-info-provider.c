/* cf-nautilus-info-provider.c: each file's verdict where the person looks: an emblem and a column
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each file it shows, the file manager asks what we know.  The answer
 * comes from the service's GetVerdict, which reads its cache and trust
 * list only: showing a folder never costs a request to VirusTotal, and
 * a file nobody checked says "not checked".  The question is asynchronous
 * (NAUTILUS_OPERATION_IN_PROGRESS): the file manager goes on showing the
 * folder, and puts the emblem and the column's words on the file when the
 * answer comes.
 *
 * When the service says a verdict changed (VerdictChanged: a check
 * ended, the person allowed or blocked a file), the files shown under
 * that URI are told to ask again, and are answered from what the signal
 * carried.
 *
 * Emblems can be turned off with the "file-manager-emblems" setting; the
 * column is the file manager's to show or hide.
 */

#define G_LOG_DOMAIN "check-first-nautilus"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cf-nautilus-client.h"
#include "cf-nautilus-files.h"
#include "cf-nautilus-info-provider.h"

#define EMBLEMS_KEY "file-manager-emblems"

struct _CfNautilusInfoProvider
{
  GObject           parent_instance;

  CfNautilusClient *client;
  GHashTable       *shown;      /* URI → GPtrArray of NautilusFileInfo, not owned */
  GSettings        *settings;   /* NULL when Check First's settings are not installed */
  gboolean          emblems;
};

static void cf_nautilus_info_provider_info_iface_init   (NautilusInfoProviderInterface   *iface);
static void cf_nautilus_info_provider_column_iface_init (NautilusColumnProviderInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (CfNautilusInfoProvider, cf_nautilus_info_provider, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (NAUTILUS_TYPE_INFO_PROVIDER,
                                                               cf_nautilus_info_provider_info_iface_init)
                                G_IMPLEMENT_INTERFACE_DYNAMIC (NAUTILUS_TYPE_COLUMN_PROVIDER,
                                                               cf_nautilus_info_provider_column_iface_init))

/* Files shown */

/* What we know of a file the file manager showed: kept on its object,
 * and gone with it. */
typedef struct
{
  GHashTable       *shown;      /* the provider's table, a reference */
  NautilusFileInfo *file;       /* the object this is kept on */
  char             *uri;
  gboolean          missed;     /* shown without a verdict: the service was unreachable */
} Shown;

static GQuark
shown_quark (void)
{
  return g_quark_from_static_string ("check-first-shown");
}

static void
shown_free (Shown *record)
{
  GPtrArray *files = g_hash_table_lookup (record->shown, record->uri);

  if (files != NULL)
    {
      g_ptr_array_remove_fast (files, record->file);
      if (files->len == 0)
        g_hash_table_remove (record->shown, record->uri);
    }
  g_hash_table_unref (record->shown);
  g_free (record->uri);
  g_free (record);
}

/* Notes that @file is shown as @uri (a file renamed in place keeps its
 * object and changes its URI). */
static Shown *
note_shown (CfNautilusInfoProvider *self,
            NautilusFileInfo       *file,
            const char             *uri)
{
  Shown *record = g_object_get_qdata (G_OBJECT (file), shown_quark ());
  GPtrArray *files;

  if (record != NULL && g_str_equal (record->uri, uri))
    return record;

  record = g_new0 (Shown, 1);
  record->shown = g_hash_table_ref (self->shown);
  record->file = file;
  record->uri = g_strdup (uri);
  files = g_hash_table_lookup (self->shown, uri);
  if (files == NULL)
    {
      files = g_ptr_array_new ();
      g_hash_table_insert (self->shown, g_strdup (uri), files);
    }
  g_ptr_array_add (files, file);
  /* Replacing an older record takes the file out from under its old URI. */
  g_object_set_qdata_full (G_OBJECT (file), shown_quark (), record, (GDestroyNotify) shown_free);
  return record;
}

/* Tells the file manager to ask again about each of @files (a copy: the
 * asking may happen at once and change what is shown). */
static void
ask_again (CfNautilusInfoProvider *self,
           GPtrArray              *files)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; files != NULL && i < files->len; i++)
    g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (files, i)));
  for (guint i = 0; i < copy->len; i++)
    nautilus_file_info_invalidate_extension_info (g_ptr_array_index (copy, i));
}

static void
on_verdict_changed (CfNautilusClient       *client,
                    const char             *uri,
                    CfNautilusInfoProvider *self)
{
  ask_again (self, g_hash_table_lookup (self->shown, uri));
}

/* The service runs again: the files shown meanwhile without a verdict. */
static void
on_reachable (CfNautilusClient       *client,
              CfNautilusInfoProvider *self)
{
  g_autoptr(GPtrArray) missed = g_ptr_array_new ();
  GHashTableIter iter;
  GPtrArray *files;

  g_hash_table_iter_init (&iter, self->shown);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &files))
    for (guint i = 0; i < files->len; i++)
      {
        NautilusFileInfo *file = g_ptr_array_index (files, i);
        Shown *record = g_object_get_qdata (G_OBJECT (file), shown_quark ());

        if (record != NULL && record->missed)
          {
            record->missed = FALSE;
            g_ptr_array_add (missed, file);
          }
      }
  ask_again (self, missed);
}

static void
on_emblems_changed (GSettings              *settings,
                    const char             *key,
                    CfNautilusInfoProvider *self)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GHashTableIter iter;
  const char *uri;
  GPtrArray *files;

  self->emblems = g_settings_get_boolean (settings, EMBLEMS_KEY);
  g_hash_table_iter_init (&iter, self->shown);
  while (g_hash_table_iter_next (&iter, (gpointer *) &uri, (gpointer *) &files))
    {
      cf_nautilus_client_expect_reask (self->client, uri);
      g_ptr_array_extend (all, files, NULL, NULL);
    }
  ask_again (self, all);
}

/* NautilusInfoProvider */

static void
show_verdict (CfNautilusInfoProvider  *self,
              NautilusFileInfo        *file,
              const CfNautilusVerdict *verdict)
{
  const char *emblem = cf_nautilus_verdict_get_emblem (verdict);
  g_autofree char *text = cf_nautilus_verdict_describe (verdict, g_get_real_time () / G_USEC_PER_SEC);

  if (emblem != NULL && self->emblems)
    nautilus_file_info_add_emblem (file, emblem);
  nautilus_file_info_add_string_attribute (file, CF_NAUTILUS_COLUMN_ATTRIBUTE, text);
}

/* One question in flight; its address is the file manager's handle. */
typedef struct
{
  CfNautilusInfoProvider *provider;
  NautilusFileInfo       *file;
  GClosure               *update_complete;
  GCancellable           *cancellable;
} Update;

static void
update_free (Update *update)
{
  g_object_unref (update->provider);
  g_object_unref (update->file);
  g_closure_unref (update->update_complete);
  g_object_unref (update->cancellable);
  g_free (update);
}

static void
got_verdict (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Update *update = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CfNautilusVerdict) verdict =
    cf_nautilus_client_get_verdict_finish (CF_NAUTILUS_CLIENT (object), result, &error);

  /* Cancelled by the file manager: it no longer waits for this one. */
  if (g_cancellable_is_cancelled (update->cancellable))
    {
      update_free (update);
      return;
    }

  if (verdict != NULL)
    show_verdict (update->provider, update->file, verdict);
  else
    {
      Shown *record = g_object_get_qdata (G_OBJECT (update->file), shown_quark ());

      g_debug ("No verdict for a file: %s", error->message);
      if (record != NULL && update->provider->client != NULL &&
          !cf_nautilus_client_is_reachable (update->provider->client))
        record->missed = TRUE;
    }
  nautilus_info_provider_update_complete_invoke (update->update_complete,
                                                 NAUTILUS_INFO_PROVIDER (update->provider),
                                                 (NautilusOperationHandle *) update,
                                                 verdict != NULL ? NAUTILUS_OPERATION_COMPLETE
                                                                 : NAUTILUS_OPERATION_FAILED);
  update_free (update);
}

static NautilusOperationResult
update_file_info (NautilusInfoProvider     *provider,
                  NautilusFileInfo         *file,
                  GClosure                 *update_complete,
                  NautilusOperationHandle **handle)
{
  CfNautilusInfoProvider *self = CF_NAUTILUS_INFO_PROVIDER (provider);
  g_autofree char *uri = NULL;
  const CfNautilusVerdict *known;
  Shown *record;
  Update *update;

  /* A folder has no verdict of its own. */
  if (nautilus_file_info_is_directory (file))
    return NAUTILUS_OPERATION_COMPLETE;
  uri = cf_nautilus_file_get_local_uri (file);
  if (uri == NULL)
    return NAUTILUS_OPERATION_COMPLETE;

  record = note_shown (self, file, uri);
  known = cf_nautilus_client_lookup (self->client, uri, file);
  if (known != NULL)
    {
      show_verdict (self, file, known);
      return NAUTILUS_OPERATION_COMPLETE;
    }
  /* Not now; asked again when the service runs. */
  if (!cf_nautilus_client_is_reachable (self->client))
    {
      record->missed = TRUE;
      return NAUTILUS_OPERATION_COMPLETE;
    }

  update = g_new0 (Update, 1);
  update->provider = g_object_ref (self);
  update->file = g_object_ref (file);
  update->update_complete = g_closure_ref (update_complete);
  update->cancellable = g_cancellable_new ();
  cf_nautilus_client_get_verdict_async (self->client, uri, file, update->cancellable, got_verdict, update);
  *handle = (NautilusOperationHandle *) update;
  return NAUTILUS_OPERATION_IN_PROGRESS;
}

static void
cancel_update (NautilusInfoProvider    *provider,
               NautilusOperationHandle *handle)
{
  Update *update = (Update *) handle;

  /* Freed when the question ends, which it now does at once. */
  g_cancellable_cancel (update->cancellable);
}

/* NautilusColumnProvider */

static GList *
get_columns (NautilusColumnProvider *provider)
{
  return g_list_append (NULL, nautilus_column_new (CF_NAUTILUS_COLUMN_ATTRIBUTE, CF_NAUTILUS_COLUMN_ATTRIBUTE,
                                                   /* Translators: a column of the file manager */
                                                   _("VirusTotal"),
                                                   /* Translators: what the VirusTotal column shows */
                                                   _("What VirusTotal says of the file, as Check First knows it")));
}

void
cf_nautilus_info_provider_register (GTypeModule *module)
{
  cf_nautilus_info_provider_register_type (module);
}

/* GObject */

static void
cf_nautilus_info_provider_dispose (GObject *object)
{
  CfNautilusInfoProvider *self = CF_NAUTILUS_INFO_PROVIDER (object);

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cf_nautilus_info_provider_parent_class)->dispose (object);
}

static void
cf_nautilus_info_provider_finalize (GObject *object)
{
  CfNautilusInfoProvider *self = CF_NAUTILUS_INFO_PROVIDER (object);

  g_hash_table_unref (self->shown);

  G_OBJECT_CLASS (cf_nautilus_info_provider_parent_class)->finalize (object);
}

static void
cf_nautilus_info_provider_info_iface_init (NautilusInfoProviderInterface *iface)
{
  iface->update_file_info = update_file_info;
  iface->cancel_update = cancel_update;
}

static void
cf_nautilus_info_provider_column_iface_init (NautilusColumnProviderInterface *iface)
{
  iface->get_columns = get_columns;
}

static void
cf_nautilus_info_provider_class_init (CfNautilusInfoProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_nautilus_info_provider_dispose;
  object_class->finalize = cf_nautilus_info_provider_finalize;
}

static void
cf_nautilus_info_provider_class_finalize (CfNautilusInfoProviderClass *klass)
{
}

/* Check First's settings, when they are installed where the file manager
 * looks (they are not, when only the extension was copied). */
static GSettings *
find_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, EMBLEMS_KEY))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
cf_nautilus_info_provider_init (CfNautilusInfoProvider *self)
{
  self->client = g_object_ref (cf_nautilus_client_get_default ());
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (self->client, "verdict-changed", G_CALLBACK (on_verdict_changed), self);
  g_signal_connect (self->client, "reachable", G_CALLBACK (on_reachable), self);

  self->emblems = TRUE;
  self->settings = find_settings ();
  if (self->settings != NULL)
    {
      self->emblems = g_settings_get_boolean (self->settings, EMBLEMS_KEY);
      g_signal_connect (self->settings, "changed::" EMBLEMS_KEY, G_CALLBACK (on_emblems_changed), self);
    }
}
