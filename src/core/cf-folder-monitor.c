/* cf-folder-monitor.c: the files that arrive in a folder, each once it is complete
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Browsers write a download under a partial name (x.part, x.crdownload,
 * ...) and rename it when it is whole; Firefox also puts an empty file
 * under the final name first.  Other tools (wget, curl -o, a copy) write
 * the final name directly.  So a file counts only under a final name, not
 * empty, and once its size and modification time have stayed the same for
 * a moment; one that is still open for writing is waited for until it is
 * closed (the checker finds that out: it cannot take a lease on it).
 *
 * inotify tells us of every change (GFileMonitor); nothing polls.  Only the
 * folder's own files count, not those of its subfolders.
 */

#define G_LOG_DOMAIN "check-first-monitor"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>

#include "cf-folder-monitor.h"

/* How long a file must stay the same before it counts as complete. */
#define CF_SETTLE_MS 400
/* A file someone still writes is looked at again after this long even if
 * no event comes (a writer that never closes it, say). */
#define CF_BUSY_RECHECK_MS 30000

typedef struct
{
  CfFolderMonitor *monitor;   /* weak: the monitor owns the pending files */
  GFile           *file;
  char            *path;
  gint64           arrived;   /* µs since the epoch */
  struct stat      sample;
  gboolean         sampled;
  guint            timer;
} Pending;

/* What was handed over for a path: the same file unchanged is not again. */
typedef struct
{
  dev_t           device;
  ino_t           inode;
  off_t           size;
  struct timespec mtime;
} Handed;

struct _CfFolderMonitor
{
  GObject       parent_instance;

  GFile        *folder;
  GFileMonitor *monitor;
  GHashTable   *pending;      /* path → Pending */
  GHashTable   *handed;       /* path → Handed */
  GCancellable *cancellable;
};

enum {
  SIGNAL_FILE_READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CfFolderMonitor, cf_folder_monitor, G_TYPE_OBJECT)

/* Names browsers and download tools give a file they are still writing. */
static const char * const partial_suffixes[] = {
  ".part",          /* Firefox, GNOME Web */
  ".crdownload",    /* Chromium, Chrome, Edge, Brave */
  ".download",      /* Safari-style bundles, some GTK browsers */
  ".opdownload",    /* Opera */
  ".partial",       /* Internet Explorer heritage, some download managers */
  ".aria2",         /* aria2's control file beside the file it writes */
  ".!qB",           /* qBittorrent */
};

gboolean
cf_folder_monitor_is_partial_name (const char *name)
{
  g_return_val_if_fail (name != NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (partial_suffixes); i++)
    if (g_str_has_suffix (name, partial_suffixes[i]) && strlen (name) > strlen (partial_suffixes[i]))
      return TRUE;
  return FALSE;
}

static void
pending_free (Pending *pending)
{
  g_clear_handle_id (&pending->timer, g_source_remove);
  g_object_unref (pending->file);
  g_free (pending->path);
  g_free (pending);
}

static gboolean
same_content_stat (const struct stat *a,
                   const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
         a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static gboolean on_settle (gpointer user_data);

static void
arm (Pending *pending,
     guint    ms)
{
  g_clear_handle_id (&pending->timer, g_source_remove);
  pending->timer = g_timeout_add (ms, on_settle, pending);
}

/* Whether @file is one of the folder's own files (not the folder itself,
 * not something deeper). */
static gboolean
is_own_file (CfFolderMonitor *self,
             GFile           *file)
{
  g_autoptr(GFile) parent = file != NULL ? g_file_get_parent (file) : NULL;

  return parent != NULL && g_file_equal (parent, self->folder);
}

static void
forget (CfFolderMonitor *self,
        GFile           *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    return;
  g_hash_table_remove (self->pending, path);
  g_hash_table_remove (self->handed, path);
}

/* Something happened to @file: it counts once it settles. */
static void
consider (CfFolderMonitor *self,
          GFile           *file,
          gint64           arrived)
{
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  Pending *pending;

  if (!is_own_file (self, file))
    return;
  path = g_file_get_path (file);
  name = g_file_get_basename (file);
  if (path == NULL || name == NULL || cf_folder_monitor_is_partial_name (name))
    return;

  pending = g_hash_table_lookup (self->pending, path);
  if (pending == NULL)
    {
      pending = g_new0 (Pending, 1);
      pending->monitor = self;
      pending->file = g_object_ref (file);
      pending->path = g_strdup (path);
      pending->arrived = arrived;
      g_hash_table_insert (self->pending, pending->path, pending);
    }
  /* Each change starts the moment of quiet again. */
  pending->sampled = lstat (path, &pending->sample) == 0;
  arm (pending, CF_SETTLE_MS);
}

static gboolean
on_settle (gpointer user_data)
{
  Pending *pending = user_data;
  CfFolderMonitor *self = pending->monitor;
  struct stat now;
  Handed *handed;
  g_autoptr(GFile) file = NULL;
  gint64 arrived;

  pending->timer = 0;

  /* Gone, or not a plain file (a folder, a link, a pipe): nothing to check. */
  if (lstat (pending->path, &now) != 0 || !S_ISREG (now.st_mode))
    {
      g_hash_table_remove (self->pending, pending->path);
      return G_SOURCE_REMOVE;
    }

  /* Still growing: wait for another moment of quiet. */
  if (!pending->sampled || !same_content_stat (&now, &pending->sample))
    {
      pending->sample = now;
      pending->sampled = TRUE;
      arm (pending, CF_SETTLE_MS);
      return G_SOURCE_REMOVE;
    }

  /* Firefox's empty placeholder, or an empty file: nothing that could run.
   * If it fills up later, that is a change and it counts then. */
  handed = g_hash_table_lookup (self->handed, pending->path);
  if (now.st_size == 0 ||
      (handed != NULL && handed->device == now.st_dev && handed->inode == now.st_ino &&
       handed->size == now.st_size && handed->mtime.tv_sec == now.st_mtim.tv_sec &&
       handed->mtime.tv_nsec == now.st_mtim.tv_nsec))
    {
      g_hash_table_remove (self->pending, pending->path);
      return G_SOURCE_REMOVE;
    }

  handed = g_new0 (Handed, 1);
  handed->device = now.st_dev;
  handed->inode = now.st_ino;
  handed->size = now.st_size;
  handed->mtime = now.st_mtim;
  g_hash_table_insert (self->handed, g_strdup (pending->path), handed);

  file = g_object_ref (pending->file);
  arrived = pending->arrived;
  g_hash_table_remove (self->pending, pending->path);
  g_signal_emit (self, signals[SIGNAL_FILE_READY], 0, file, arrived);

  return G_SOURCE_REMOVE;
}

static void
on_changed (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other_file,
            GFileMonitorEvent  event,
            CfFolderMonitor   *self)
{
  gint64 now = g_get_real_time ();

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      consider (self, file, now);
      break;

    case G_FILE_MONITOR_EVENT_RENAMED:
      /* x.part → x: the download is whole. */
      forget (self, file);
      if (other_file != NULL)
        {
          g_autofree char *path = g_file_get_path (other_file);

          /* A file renamed over one handed over is new content. */
          if (path != NULL)
            g_hash_table_remove (self->handed, path);
          consider (self, other_file, now);
        }
      break;

    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      forget (self, file);
      break;

    /* A change of mode or owner is no new content; Check First's own
     * clearing of the execute bits must not start a check again. */
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    default:
      break;
    }
}

static void
cf_folder_monitor_dispose (GObject *object)
{
  CfFolderMonitor *self = CF_FOLDER_MONITOR (object);

  g_cancellable_cancel (self->cancellable);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
    }
  if (self->pending != NULL)
    g_hash_table_remove_all (self->pending);

  G_OBJECT_CLASS (cf_folder_monitor_parent_class)->dispose (object);
}

static void
cf_folder_monitor_finalize (GObject *object)
{
  CfFolderMonitor *self = CF_FOLDER_MONITOR (object);

  g_clear_object (&self->monitor);
  g_clear_object (&self->folder);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->handed, g_hash_table_unref);

  G_OBJECT_CLASS (cf_folder_monitor_parent_class)->finalize (object);
}

static void
cf_folder_monitor_class_init (CfFolderMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_folder_monitor_dispose;
  object_class->finalize = cf_folder_monitor_finalize;

  /**
   * CfFolderMonitor::file-ready:
   * @file: a file of the folder that is complete, under its final name
   * @arrived: when it arrived (µs since the epoch): when its last event
   *   came, or its modification time when found by a scan
   */
  signals[SIGNAL_FILE_READY] =
    g_signal_new ("file-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_INT64);
}

static void
cf_folder_monitor_init (CfFolderMonitor *self)
{
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) pending_free);
  self->handed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
}

/* Starts watching @folder, a local folder. */
CfFolderMonitor *
cf_folder_monitor_new (GFile   *folder,
                       GError **error)
{
  g_autoptr(CfFolderMonitor) self = NULL;
  g_autofree char *path = NULL;
  struct stat st;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);

  path = g_file_get_path (folder);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (folder);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a folder on this computer."), uri);
      return NULL;
    }
  if (stat (path, &st) != 0)
    {
      int saved_errno = errno;
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: a folder, then why it cannot be watched */
                   _("“%s”: %s"), shown, g_strerror (saved_errno));
      return NULL;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY, _("“%s” is not a folder."), shown);
      return NULL;
    }

  self = g_object_new (CF_TYPE_FOLDER_MONITOR, NULL);
  self->folder = g_object_ref (folder);
  self->monitor = g_file_monitor_directory (folder, G_FILE_MONITOR_WATCH_MOVES, NULL, error);
  if (self->monitor == NULL)
    return NULL;
  g_signal_connect (self->monitor, "changed", G_CALLBACK (on_changed), self);

  return g_steal_pointer (&self);
}

GFile *
cf_folder_monitor_get_folder (CfFolderMonitor *self)
{
  g_return_val_if_fail (CF_IS_FOLDER_MONITOR (self), NULL);
  return self->folder;
}

/* Files waiting for their moment of quiet. */
guint
cf_folder_monitor_get_n_pending (CfFolderMonitor *self)
{
  g_return_val_if_fail (CF_IS_FOLDER_MONITOR (self), 0);
  return g_hash_table_size (self->pending);
}

/* The consumer found @file still open for writing: it counts again once
 * it is closed (an event comes), or after a while in any case. */
void
cf_folder_monitor_wait_for_close (CfFolderMonitor *self,
                                  GFile           *file)
{
  g_autofree char *path = NULL;
  Pending *pending;

  g_return_if_fail (CF_IS_FOLDER_MONITOR (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL || !is_own_file (self, file))
    return;

  g_hash_table_remove (self->handed, path);
  consider (self, file, g_get_real_time ());
  pending = g_hash_table_lookup (self->pending, path);
  if (pending != NULL)
    arm (pending, CF_BUSY_RECHECK_MS);
}

/* Scanning */

static void
scan_next (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data);

/* A scan does not keep the monitor alive: disposing it cancels the scan,
 * and a cancelled scan touches nothing of it. */
typedef struct
{
  CfFolderMonitor *monitor;
  GCancellable    *cancellable;
  gint64           since;    /* µs since the epoch */
} Scan;

static void
scan_free (Scan *scan)
{
  g_object_unref (scan->cancellable);
  g_free (scan);
}

static gint64
microseconds (GFileInfo  *info,
              const char *seconds,
              const char *usec)
{
  return (gint64) g_file_info_get_attribute_uint64 (info, seconds) * G_USEC_PER_SEC +
         g_file_info_get_attribute_uint32 (info, usec);
}

static void
scan_next (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GFileEnumerator *enumerator = G_FILE_ENUMERATOR (object);
  Scan *scan = user_data;
  g_autoptr(GError) error = NULL;
  GList *infos = g_file_enumerator_next_files_finish (enumerator, result, &error);

  if (g_cancellable_is_cancelled (scan->cancellable))
    g_list_free_full (g_steal_pointer (&infos), g_object_unref);
  if (infos == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read a watched folder: %s", error->message);
      g_object_unref (enumerator);
      scan_free (scan);
      return;
    }

  for (GList *l = infos; l != NULL; l = l->next)
    {
      GFileInfo *info = l->data;
      gint64 mtime = microseconds (info, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                   G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
      gint64 ctime = microseconds (info, G_FILE_ATTRIBUTE_TIME_CHANGED,
                                   G_FILE_ATTRIBUTE_TIME_CHANGED_USEC);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR && MAX (mtime, ctime) >= scan->since)
        {
          g_autoptr(GFile) child = g_file_enumerator_get_child (enumerator, info);

          consider (scan->monitor, child, mtime);
        }
    }
  g_list_free_full (infos, g_object_unref);

  g_file_enumerator_next_files_async (enumerator, 64, G_PRIORITY_LOW, scan->cancellable,
                                      scan_next, scan);
}

static void
scan_enumerated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Scan *scan = user_data;
  g_autoptr(GError) error = NULL;
  GFileEnumerator *enumerator = g_file_enumerate_children_finish (G_FILE (object), result, &error);

  if (enumerator == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read a watched folder: %s", error->message);
      scan_free (scan);
      return;
    }
  g_file_enumerator_next_files_async (enumerator, 64, G_PRIORITY_LOW, scan->cancellable,
                                      scan_next, scan);
}

/* Considers the files changed at or after @since (µs since the epoch):
 * what arrived while nobody watched. */
void
cf_folder_monitor_scan (CfFolderMonitor *self,
                        gint64           since)
{
  Scan *scan;

  g_return_if_fail (CF_IS_FOLDER_MONITOR (self));

  scan = g_new0 (Scan, 1);
  scan->monitor = self;
  scan->cancellable = g_object_ref (self->cancellable);
  scan->since = since;
  g_file_enumerate_children_async (self->folder,
                                   G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                   G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                   G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                   G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC ","
                                   G_FILE_ATTRIBUTE_TIME_CHANGED ","
                                   G_FILE_ATTRIBUTE_TIME_CHANGED_USEC,
                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, G_PRIORITY_LOW,
                                   scan->cancellable, scan_enumerated, scan);
}
