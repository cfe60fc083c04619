/* cf-watcher.c: every new file in the watched folders checked as it lands, newest first
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The folder monitors say when a file is complete; the watcher checks it
 * through the session, a few at a time, the newest first (a person is most
 * likely to open what just arrived), behind files being opened and ahead of
 * batches and the process audit.  A thousand files dropped at once wait
 * here, not in the request queue: each check holds its file open, and the
 * budget paces the rest anyway.
 *
 * A blocked file that was executable loses its execute bits, through the
 * hold its check kept, so a double-click cannot start it before the person
 * has read why.  A file still being written is waited for.  For each
 * folder the store keeps the time up to which everything was checked, so
 * that a watcher started later catches up on what arrived meanwhile; an
 * unchanged file costs nothing then (the identity cache).
 */

#define G_LOG_DOMAIN "check-first-watcher"

#include "config.h"

#include "cf-check-queue.h"
#include "cf-folder-monitor.h"
#include "cf-watcher.h"

/* Checks in flight at once: hashing uses the cores, lookups queue for the
 * budget, and each holds its file open. */
#define CF_WATCHER_MAX_ACTIVE 4

struct _CfWatcher
{
  GObject         parent_instance;

  CfSession      *session;
  CfWatcherFlags  flags;
  GPtrArray      *monitors;    /* CfFolderMonitor */
  CfCheckQueue   *queue;       /* tagged with the file's CfFolderMonitor */
};

enum {
  SIGNAL_CHECK_STARTED,
  SIGNAL_CHECK_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CfWatcher, cf_watcher, G_TYPE_OBJECT)

static char *
mark_key (CfFolderMonitor *monitor)
{
  g_autofree char *path = g_file_get_path (cf_folder_monitor_get_folder (monitor));

  return g_strconcat ("watch-mark:", path, NULL);
}

/* Everything that arrived so far was checked: a later start need not look
 * at it again. */
static void
update_marks (CfWatcher *self)
{
  gint64 now = g_get_real_time ();

  if (cf_watcher_get_n_waiting (self) > 0)
    return;

  for (guint i = 0; i < self->monitors->len; i++)
    {
      CfFolderMonitor *monitor = g_ptr_array_index (self->monitors, i);
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (cf_folder_monitor_get_n_pending (monitor) > 0)
        continue;
      key = mark_key (monitor);
      value = g_strdup_printf ("%" G_GINT64_FORMAT, now);
      cf_store_set_state_text (cf_session_get_store (self->session), key, value);
    }
}

static gboolean
is_still_being_written (const GError *error)
{
  return g_error_matches (error, CF_HASHER_ERROR, CF_HASHER_ERROR_BUSY) ||
         g_error_matches (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED);
}

static void
on_started (CfCheckQueue *queue,
            CfCheck      *check,
            gpointer      tag,
            CfWatcher    *self)
{
  g_signal_emit (self, signals[SIGNAL_CHECK_STARTED], 0, check);
}

static void
on_finished (CfCheckQueue    *queue,
             CfCheck         *check,
             CfFolderMonitor *monitor,
             CfWatcher       *self)
{
  g_autoptr(GError) error = NULL;
  gboolean disarmed;

  /* Not complete after all: it counts again once its writer closes it. */
  if (cf_check_get_stage (check) == CF_CHECK_STAGE_FAILED &&
      is_still_being_written (cf_check_get_error (check)))
    {
      g_debug ("A new file is still being written; waiting for it to be closed");
      cf_check_release_hold (check);
      if (monitor != NULL)
        cf_folder_monitor_wait_for_close (monitor, cf_check_get_file (check));
      return;
    }

  disarmed = cf_session_disarm_download (self->session, check, &error);
  if (error != NULL)
    g_warning ("Could not clear the execute bits of a blocked file: %s", error->message);
  g_signal_emit (self, signals[SIGNAL_CHECK_FINISHED], 0, check, disarmed);
  update_marks (self);
}

static void
on_file_ready (CfFolderMonitor *monitor,
               GFile           *file,
               gint64           arrived,
               CfWatcher       *self)
{
  CfSessionCheckFlags flags = CF_SESSION_CHECK_DOWNLOAD;

  if (self->flags & CF_WATCHER_LIST_CHECKS)
    flags |= CF_SESSION_CHECK_LISTED;
  /* The newest first: what a person is most likely to open next. */
  cf_check_queue_push (self->queue, file, flags, arrived, monitor);
}

static void
cf_watcher_dispose (GObject *object)
{
  CfWatcher *self = CF_WATCHER (object);

  if (self->monitors != NULL)
    g_ptr_array_set_size (self->monitors, 0);
  g_clear_object (&self->queue);

  G_OBJECT_CLASS (cf_watcher_parent_class)->dispose (object);
}

static void
cf_watcher_finalize (GObject *object)
{
  CfWatcher *self = CF_WATCHER (object);

  g_clear_pointer (&self->monitors, g_ptr_array_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cf_watcher_parent_class)->finalize (object);
}

static void
cf_watcher_class_init (CfWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cf_watcher_dispose;
  object_class->finalize = cf_watcher_finalize;

  /**
   * CfWatcher::check-started:
   * @check: the check of a new file
   */
  signals[SIGNAL_CHECK_STARTED] =
    g_signal_new ("check-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CF_TYPE_CHECK);
  /**
   * CfWatcher::check-finished:
   * @check: the finished check of a new file
   * @disarmed: the file was blocked and lost its execute bits
   */
  signals[SIGNAL_CHECK_FINISHED] =
    g_signal_new ("check-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, CF_TYPE_CHECK, G_TYPE_BOOLEAN);
}

static void
cf_watcher_init (CfWatcher *self)
{
  self->monitors = g_ptr_array_new_with_free_func (g_object_unref);
}

CfWatcher *
cf_watcher_new (CfSession      *session,
                CfWatcherFlags  flags)
{
  CfWatcher *self;

  g_return_val_if_fail (CF_IS_SESSION (session), NULL);

  self = g_object_new (CF_TYPE_WATCHER, NULL);
  self->session = g_object_ref (session);
  self->flags = flags;
  self->queue = cf_check_queue_new (session, CF_WATCHER_MAX_ACTIVE);
  g_signal_connect_object (self->queue, "started", G_CALLBACK (on_started), self, 0);
  g_signal_connect_object (self->queue, "finished", G_CALLBACK (on_finished), self, 0);
  return self;
}

/* Watches @folder too.  Fails for a folder that does not exist or is not
 * on this computer. */
gboolean
cf_watcher_add_folder (CfWatcher  *self,
                       GFile      *folder,
                       GError    **error)
{
  g_autoptr(CfFolderMonitor) monitor = NULL;
  g_autofree char *key = NULL;
  g_autofree char *mark = NULL;
  CfStore *store;

  g_return_val_if_fail (CF_IS_WATCHER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (folder), FALSE);

  for (guint i = 0; i < self->monitors->len; i++)
    if (g_file_equal (cf_folder_monitor_get_folder (g_ptr_array_index (self->monitors, i)), folder))
      return TRUE;

  monitor = cf_folder_monitor_new (folder, error);
  if (monitor == NULL)
    return FALSE;
  g_signal_connect_object (monitor, "file-ready", G_CALLBACK (on_file_ready), self, 0);

  store = cf_session_get_store (self->session);
  key = mark_key (monitor);
  mark = cf_store_get_state_text (store, key);
  if ((self->flags & CF_WATCHER_CATCH_UP) && mark != NULL)
    cf_folder_monitor_scan (monitor, g_ascii_strtoll (mark, NULL, 10));
  else
    {
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());

      cf_store_set_state_text (store, key, now);
    }

  g_ptr_array_add (self->monitors, g_steal_pointer (&monitor));
  return TRUE;
}

/* Stops watching; the files of those folders waiting their turn are
 * dropped, and the checks under way finish. */
void
cf_watcher_remove_all (CfWatcher *self)
{
  g_return_if_fail (CF_IS_WATCHER (self));

  for (guint i = 0; i < self->monitors->len; i++)
    cf_check_queue_drop_tag (self->queue, g_ptr_array_index (self->monitors, i), FALSE);
  g_ptr_array_set_size (self->monitors, 0);
}

/* The watched folders (GFile). */
GPtrArray *
cf_watcher_get_folders (CfWatcher *self)
{
  GPtrArray *folders;

  g_return_val_if_fail (CF_IS_WATCHER (self), NULL);

  folders = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->monitors->len; i++)
    g_ptr_array_add (folders, g_object_ref (cf_folder_monitor_get_folder (g_ptr_array_index (self->monitors, i))));
  return folders;
}

/* Files waiting for their turn or being checked. */
guint
cf_watcher_get_n_waiting (CfWatcher *self)
{
  g_return_val_if_fail (CF_IS_WATCHER (self), 0);
  return cf_check_queue_get_n_waiting (self->queue) + cf_check_queue_get_n_active (self->queue);
}

/* The person's Downloads folder (XDG user dirs), or NULL when there is none. */
GFile *
cf_watcher_default_folder (void)
{
  const char *downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  g_autofree char *fallback = NULL;

  /* Without user-dirs.dirs GLib names no Downloads folder; the usual one
   * counts when it exists. */
  if (downloads == NULL)
    {
      fallback = g_build_filename (g_get_home_dir (), "Downloads", NULL);
      if (!g_file_test (fallback, G_FILE_TEST_IS_DIR))
        return NULL;
      downloads = fallback;
    }
  /* user-dirs.dirs points Downloads at $HOME when there is none. */
  if (g_strcmp0 (downloads, g_get_home_dir ()) == 0)
    return NULL;
  return g_file_new_for_path (downloads);
}
