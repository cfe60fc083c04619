/* test-watcher.c: new files in a watched folder, each checked once it is complete
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real inotify on a real folder, the real session and store, the fake
 * server in process.  Where a test must show that nothing happened (a
 * partial download is not checked), it lets the main loop run for longer
 * than a file needs to settle and then looks: that is a wait, not a
 * measured duration.
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "cf-folder-monitor.h"
#include "cf-format.h"
#include "cf-session.h"
#include "cf-test-util.h"
#include "cf-watcher.h"

#define EICAR_SHA256 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"

/* Longer than a file needs to settle (400 ms), so that whatever would
 * happen has happened. */
#define QUIET_MS 1500

static void
run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static void
run_until (gboolean (*done) (gpointer),
           gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done (data));
}

/* The folder monitor alone */

typedef struct
{
  char            *dir;
  CfFolderMonitor *monitor;
  GPtrArray       *ready;     /* file names, in order */
} MonitorFixture;

static void
on_ready (CfFolderMonitor *monitor,
          GFile           *file,
          gint64           arrived,
          MonitorFixture  *f)
{
  g_assert_cmpint (arrived, >, 0);
  g_ptr_array_add (f->ready, g_file_get_basename (file));
}

static void
monitor_set_up (MonitorFixture *f,
                gconstpointer   data)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = cf_test_make_tmpdir ();
  f->ready = g_ptr_array_new_with_free_func (g_free);
  folder = g_file_new_for_path (f->dir);
  f->monitor = cf_folder_monitor_new (folder, &error);
  g_assert_no_error (error);
  g_signal_connect (f->monitor, "file-ready", G_CALLBACK (on_ready), f);
}

static void
monitor_tear_down (MonitorFixture *f,
                   gconstpointer   data)
{
  g_clear_object (&f->monitor);
  g_ptr_array_unref (f->ready);
  cf_test_rm_rf (f->dir);
  g_free (f->dir);
}

static gboolean
has_ready (gpointer data)
{
  return ((MonitorFixture *) data)->ready->len > 0;
}

static char *
path_in (MonitorFixture *f,
         const char     *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
test_partial_names (void)
{
  static const struct { const char *name; gboolean partial; } cases[] = {
    { "setup.exe.part", TRUE },
    { "Unconfirmed 123456.crdownload", TRUE },
    { "tool.tar.gz.crdownload", TRUE },
    { "report.pdf.download", TRUE },
    { "video.mp4.opdownload", TRUE },
    { "file.zip.partial", TRUE },
    { "iso.img.aria2", TRUE },
    { "movie.mkv.!qB", TRUE },
    { "setup.exe", FALSE },
    { ".part", FALSE },              /* a hidden file of that name, not a suffix */
    { "partial.txt", FALSE },
    { "notes.part.txt", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].name);
      g_assert_cmpint (cf_folder_monitor_is_partial_name (cases[i].name), ==, cases[i].partial);
    }
}

/* Chromium: written as x.crdownload, renamed when whole: counted once, as x. */
static void
test_rename_from_partial (MonitorFixture *f,
                          gconstpointer   data)
{
  g_autofree char *partial = path_in (f, "tool.sh.crdownload");
  g_autofree char *final = path_in (f, "tool.sh");

  g_assert_true (g_file_set_contents (partial, "#!/bin/sh\necho half", -1, NULL));
  run_for (QUIET_MS);
  g_assert_cmpuint (f->ready->len, ==, 0);

  g_assert_cmpint (g_rename (partial, final), ==, 0);
  run_until (has_ready, f);
  run_for (QUIET_MS);
  g_assert_cmpuint (f->ready->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->ready, 0), ==, "tool.sh");
}

/* Firefox: an empty file under the final name first, the data in x.part,
 * then x.part renamed over the empty file. */
static void
test_firefox_placeholder (MonitorFixture *f,
                          gconstpointer   data)
{
  g_autofree char *final = path_in (f, "setup.bin");
  g_autofree char *partial = path_in (f, "setup.bin.part");

  g_assert_true (g_file_set_contents (final, "", 0, NULL));
  g_assert_true (g_file_set_contents (partial, "\x7f" "ELF and the rest", -1, NULL));
  run_for (QUIET_MS);
  g_assert_cmpuint (f->ready->len, ==, 0);

  g_assert_cmpint (g_rename (partial, final), ==, 0);
  run_until (has_ready, f);
  run_for (QUIET_MS);
  g_assert_cmpuint (f->ready->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->ready, 0), ==, "setup.bin");
}

/* wget, curl -o, cp: the final name from the first byte; counted once the
 * writer is done, not once per write. */
static void
test_written_in_place (MonitorFixture *f,
                       gconstpointer   data)
{
  g_autofree char *path = path_in (f, "direct.txt");
  FILE *out = fopen (path, "w");

  g_assert_nonnull (out);
  for (guint i = 0; i < 5; i++)
    {
      fprintf (out, "line %u\n", i);
      fflush (out);
      run_for (100);
    }
  fclose (out);

  run_until (has_ready, f);
  run_for (QUIET_MS);
  g_assert_cmpuint (f->ready->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->ready, 0), ==, "direct.txt");
}

/* Moved in from elsewhere: counted.  A folder, a link, a file deeper down,
 * and a change of mode (Check First's own, after a block) are not. */
static void
test_what_counts (MonitorFixture *f,
                  gconstpointer   data)
{
  g_autofree char *outside_dir = cf_test_make_tmpdir ();
  g_autofree char *outside = cf_test_write_file (outside_dir, "moved.sh", "#!/bin/sh\n", -1, 0755);
  g_autofree char *moved = path_in (f, "moved.sh");
  g_autofree char *sub = path_in (f, "sub");
  g_autofree char *deeper = NULL;
  g_autofree char *link = path_in (f, "link");

  g_assert_cmpint (g_rename (outside, moved), ==, 0);
  run_until (has_ready, f);
  run_for (QUIET_MS);
  g_assert_cmpuint (f->ready->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->ready, 0), ==, "moved.sh");

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  deeper = cf_test_write_file (sub, "deeper.sh", "#!/bin/sh\n", -1, 0755);
  g_assert_cmpint (symlink ("/etc/hostname", link), ==, 0);
  g_assert_cmpint (g_chmod (moved, 0644), ==, 0);
  run_for (QUIET_MS);
  g_assert_cmpuint (f->ready->len, ==, 1);

  cf_test_rm_rf (outside_dir);
}

/* The same file, unchanged, is not counted twice; changed, it is. */
static void
test_unchanged_once (MonitorFixture *f,
                     gconstpointer   data)
{
  g_autofree char *path = path_in (f, "same.txt");
  int fd;

  g_assert_true (g_file_set_contents (path, "first", -1, NULL));
  run_until (has_ready, f);

  /* Opened for writing and closed again without a byte: the same file. */
  fd = open (path, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  run_for (QUIET_MS);
  g_assert_cmpuint (f->ready->len, ==, 1);

  g_assert_true (g_file_set_contents (path, "second, longer", -1, NULL));
  run_for (QUIET_MS);
  g_assert_cmpuint (f->ready->len, ==, 2);
}

/* A scan finds what changed since a time, and nothing older; a
 * back-dated modification time does not hide a file (its change time
 * counts too). */
static void
test_scan (MonitorFixture *f,
           gconstpointer   data)
{
  g_autofree char *old = path_in (f, "old.txt");
  g_autofree char *recent = path_in (f, "recent.txt");
  g_autoptr(CfFolderMonitor) second = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (f->dir);
  g_autoptr(GError) error = NULL;
  struct timeval long_ago[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
  gint64 mark;

  g_signal_handlers_disconnect_by_data (f->monitor, f);
  g_assert_true (g_file_set_contents (old, "old", -1, NULL));
  run_for (50);
  mark = g_get_real_time ();
  run_for (50);
  g_assert_true (g_file_set_contents (recent, "recent", -1, NULL));
  g_assert_cmpint (utimes (recent, long_ago), ==, 0);

  second = cf_folder_monitor_new (folder, &error);
  g_assert_no_error (error);
  g_signal_connect (second, "file-ready", G_CALLBACK (on_ready), f);
  cf_folder_monitor_scan (second, mark);
  run_until (has_ready, f);
  run_for (QUIET_MS);
  g_assert_cmpuint (f->ready->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->ready, 0), ==, "recent.txt");
}

static void
test_not_a_folder (void)
{
  g_autofree char *dir = cf_test_make_tmpdir ();
  g_autofree char *file = cf_test_write_file (dir, "plain", "x", -1, 0644);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autoptr(GFile) as_file = g_file_new_for_path (file);
  g_autoptr(GFile) as_missing = g_file_new_for_path (missing);
  g_autoptr(GFile) remote = g_file_new_for_uri ("sftp://example.org/downloads");
  g_autoptr(GError) error = NULL;

  g_assert_null (cf_folder_monitor_new (as_file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_clear_error (&error);
  g_assert_null (cf_folder_monitor_new (as_missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (cf_folder_monitor_new (remote, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);

  cf_test_rm_rf (dir);
}

/* The watcher: monitor, session, store */

typedef struct
{
  CfFakeVt  *server;
  char      *tmpdir;
  char      *downloads;
  CfSession *session;
  CfWatcher *watcher;
  GPtrArray *finished;     /* CfCheck */
  guint      disarmed;
  guint      running;
  guint      most_running;
} WatchFixture;

static void
on_watch_started (CfWatcher    *watcher,
                  CfCheck      *check,
                  WatchFixture *f)
{
  f->running++;
  f->most_running = MAX (f->most_running, f->running);
}

static void
on_watch_finished (CfWatcher    *watcher,
                   CfCheck      *check,
                   gboolean      disarmed,
                   WatchFixture *f)
{
  g_assert_true (cf_check_is_finished (check));
  /* The watcher let go of the file once it was done with it. */
  g_assert_null (cf_check_get_hold (check));
  g_ptr_array_add (f->finished, g_object_ref (check));
  f->disarmed += disarmed;
  f->running--;
}

static void
watch_set_up (WatchFixture  *f,
              gconstpointer  data)
{
  g_autofree char *db = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  CfConfig config;

  f->server = cf_test_fake_vt_new ();
  f->tmpdir = cf_test_make_tmpdir ();
  f->downloads = g_build_filename (f->tmpdir, "Downloads", NULL);
  g_assert_cmpint (g_mkdir (f->downloads, 0700), ==, 0);
  f->finished = g_ptr_array_new_with_free_func (g_object_unref);

  db = g_build_filename (f->tmpdir, "check-first.db", NULL);
  f->session = cf_session_new (db, CF_SESSION_NONE, &error);
  g_assert_no_error (error);
  cf_config_copy (&config, cf_session_get_config (f->session));
  g_free (config.api_url);
  config.api_url = cf_fake_vt_get_base_url (f->server);
  /* A premium key: the count is what is tested here, not the pacing. */
  config.per_minute = config.per_day = config.per_month = 0;
  config.upload = CF_UPLOAD_NEVER;
  cf_session_set_config (f->session, &config);
  cf_config_clear (&config);
  cf_session_set_api_key (f->session, CF_TEST_KEY);

  f->watcher = cf_watcher_new (f->session, CF_WATCHER_LIST_CHECKS);
  g_signal_connect (f->watcher, "check-started", G_CALLBACK (on_watch_started), f);
  g_signal_connect (f->watcher, "check-finished", G_CALLBACK (on_watch_finished), f);
  folder = g_file_new_for_path (f->downloads);
  g_assert_true (cf_watcher_add_folder (f->watcher, folder, &error));
  g_assert_no_error (error);
}

static void
watch_tear_down (WatchFixture  *f,
                 gconstpointer  data)
{
  g_clear_object (&f->watcher);
  g_clear_object (&f->session);
  g_clear_object (&f->server);
  g_ptr_array_unref (f->finished);
  cf_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->downloads);
}

typedef struct
{
  WatchFixture *f;
  guint         count;
} Expect;

static gboolean
has_finished (gpointer data)
{
  Expect *expect = data;

  return expect->f->finished->len >= expect->count;
}

static void
wait_finished (WatchFixture *f,
               guint         count)
{
  Expect expect = { f, count };

  run_until (has_finished, &expect);
}

static void
got_known (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CfCheck **known = user_data;
  g_autoptr(GError) error = NULL;

  *known = cf_session_get_known_finish (CF_SESSION (object), result, &error);
  g_assert_no_error (error);
  if (*known == NULL)
    *known = (CfCheck *) GINT_TO_POINTER (1);
}

static gboolean
answered (gpointer data)
{
  return *(CfCheck **) data != NULL;
}

/* What the cache and the trust list say of @path, or NULL. */
static CfCheck *
get_known (CfSession  *session,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CfCheck *known = NULL;

  cf_session_get_known_async (session, file, NULL, got_known, &known);
  run_until (answered, &known);
  return known == GINT_TO_POINTER (1) ? NULL : known;
}

/* A flagged download, renamed from its partial name: looked up exactly
 * once, after the rename; blocked; no longer executable; listed for the
 * window; and given its execute bits back when the person allows it. */
static void
test_flagged_download (WatchFixture  *f,
                       gconstpointer  data)
{
  g_autofree char *partial = g_build_filename (f->downloads, "eicar.com.crdownload", NULL);
  g_autofree char *final = g_build_filename (f->downloads, "eicar.com", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfCheck) known = NULL;
  CfCheck *check;
  struct stat st;

  g_assert_true (cf_fake_vt_register_hash (f->server, EICAR_SHA256, "eicar", &error));
  g_assert_true (g_file_set_contents (partial, CF_EICAR, -1, NULL));
  g_assert_cmpint (g_chmod (partial, 0755), ==, 0);
  run_for (QUIET_MS);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 0);

  g_assert_cmpint (g_rename (partial, final), ==, 0);
  wait_finished (f, 1);
  run_for (QUIET_MS);
  g_assert_cmpuint (f->finished->len, ==, 1);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 1);

  check = g_ptr_array_index (f->finished, 0);
  g_assert_cmpstr (cf_check_get_sha256 (check), ==, EICAR_SHA256);
  g_assert_cmpint (cf_check_get_decision (check), ==, CF_DECISION_BLOCK);
  g_assert_true (g_list_model_get_n_items (cf_session_get_checks (f->session)) == 1);

  g_assert_cmpuint (f->disarmed, ==, 1);
  g_assert_cmpint (g_stat (final, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  /* Its own change of mode does not start another check. */
  run_for (QUIET_MS);
  g_assert_cmpuint (f->finished->len, ==, 1);

  /* Known as it is now, from the cache, although its change time moved
   * (what the file manager is told). */
  known = get_known (f->session, final);
  g_assert_nonnull (known);
  g_assert_cmpstr (cf_check_get_sha256 (known), ==, EICAR_SHA256);
  g_assert_cmpint (cf_check_get_decision (known), ==, CF_DECISION_BLOCK);
  g_assert_cmpint (cf_check_get_source (known), ==, CF_SOURCE_CACHE);

  g_assert_true (cf_session_set_trust (f->session, EICAR_SHA256, CF_TRUST_ALLOW, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (final, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0755);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 1);
}

/* A flagged file that was not executable keeps its mode; a clean
 * executable keeps its bits. */
static void
test_modes_kept (WatchFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *doc = NULL;
  g_autofree char *tool = NULL;
  struct stat st;

  g_assert_true (cf_fake_vt_register_hash (f->server, EICAR_SHA256, "eicar", &error));
  doc = cf_test_write_file (f->downloads, "eicar.txt", CF_EICAR, -1, 0640);
  tool = cf_test_write_file (f->downloads, "tool.sh", "#!/bin/sh\necho ok\n", -1, 0750);
  wait_finished (f, 2);

  g_assert_cmpuint (f->disarmed, ==, 0);
  g_assert_cmpint (g_stat (doc, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  g_assert_cmpint (g_stat (tool, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0750);
}

/* Where it came from, as the browser wrote it, travels with the verdict. */
static void
test_origin (WatchFixture  *f,
             gconstpointer  data)
{
  g_autofree char *partial = g_build_filename (f->downloads, "setup.sh.part", NULL);
  g_autofree char *final = g_build_filename (f->downloads, "setup.sh", NULL);
  g_autofree char *plain = NULL;
  const char *url = "https://user:secret@downloads.example.org/setup.sh";
  const char *referrer = "https://example.org/get";
  g_autofree char *json = NULL;
  CfCheck *with = NULL, *without = NULL;

  g_assert_true (g_file_set_contents (partial, "#!/bin/sh\necho setup\n", -1, NULL));
  g_assert_cmpint (setxattr (partial, "user.xdg.origin.url", url, strlen (url), 0), ==, 0);
  g_assert_cmpint (setxattr (partial, "user.xdg.referrer.url", referrer, strlen (referrer), 0), ==, 0);
  g_assert_cmpint (g_rename (partial, final), ==, 0);
  plain = cf_test_write_file (f->downloads, "plain.txt", "no origin\n", -1, 0644);
  wait_finished (f, 2);

  for (guint i = 0; i < f->finished->len; i++)
    {
      CfCheck *check = g_ptr_array_index (f->finished, i);

      if (g_str_equal (cf_check_get_name (check), "setup.sh"))
        with = check;
      else
        without = check;
    }
  g_assert_nonnull (with);
  g_assert_nonnull (without);

  /* The password the address carried is not kept. */
  g_assert_cmpstr (cf_check_get_origin (with), ==, "https://downloads.example.org/setup.sh");
  g_assert_cmpstr (cf_check_get_referrer (with), ==, referrer);
  g_assert_null (cf_check_get_origin (without));
  json = cf_format_check (CF_FORMAT_JSON, with, NULL);
  g_assert_nonnull (strstr (json, "\"origin\":\"https://downloads.example.org/setup.sh\""));
  g_assert_null (strstr (json, "secret"));
}

/* Two hundred files at once: every one checked, one request each, none
 * twice, and the checks never more than a few at a time. */
static void
test_many_at_once (WatchFixture  *f,
                   gconstpointer  data)
{
  g_autofree char *staging = g_build_filename (f->tmpdir, "staging", NULL);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpint (g_mkdir (staging, 0700), ==, 0);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%03u.txt", i);
      g_autofree char *contents = g_strdup_printf ("content %u\n", i);
      g_autofree char *path = cf_test_write_file (staging, name, contents, -1, 0644);
      g_autofree char *target = g_build_filename (f->downloads, name, NULL);

      g_assert_cmpint (g_rename (path, target), ==, 0);
    }

  wait_finished (f, 200);
  run_for (QUIET_MS);
  g_assert_cmpuint (f->finished->len, ==, 200);
  for (guint i = 0; i < f->finished->len; i++)
    {
      CfCheck *check = g_ptr_array_index (f->finished, i);

      g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_DONE);
      g_hash_table_add (names, (gpointer) cf_check_get_name (check));
    }
  g_assert_cmpuint (g_hash_table_size (names), ==, 200);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 200);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "429"), ==, 0);
  g_assert_cmpuint (cf_watcher_get_n_waiting (f->watcher), ==, 0);
  g_assert_cmpuint (f->most_running, >, 1);
  g_assert_cmpuint (f->most_running, <=, 4);
}

/* A watcher started later looks at what arrived meanwhile, once. */
static void
test_catch_up (WatchFixture  *f,
               gconstpointer  data)
{
  g_autoptr(CfWatcher) later = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (f->downloads);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = cf_test_write_file (f->downloads, "before.txt", "before\n", -1, 0644);
  g_autofree char *meanwhile = NULL;

  wait_finished (f, 1);
  run_for (QUIET_MS);
  g_clear_object (&f->watcher);

  meanwhile = cf_test_write_file (f->downloads, "meanwhile.txt", "meanwhile\n", -1, 0644);
  g_ptr_array_set_size (f->finished, 0);
  later = cf_watcher_new (f->session, CF_WATCHER_CATCH_UP);
  g_signal_connect (later, "check-started", G_CALLBACK (on_watch_started), f);
  g_signal_connect (later, "check-finished", G_CALLBACK (on_watch_finished), f);
  g_assert_true (cf_watcher_add_folder (later, folder, &error));
  wait_finished (f, 1);
  run_for (QUIET_MS);
  g_assert_cmpuint (f->finished->len, ==, 1);
  g_assert_cmpstr (cf_check_get_name (g_ptr_array_index (f->finished, 0)), ==, "meanwhile.txt");
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 2);
}

/* The command line */

typedef struct
{
  GDataInputStream *out;
  char             *line;
  gboolean          done;
} LineRead;

static void
line_read (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL,
                                                           NULL);
  read->done = TRUE;
}

static gboolean
line_done (gpointer data)
{
  return ((LineRead *) data)->done;
}

/* --watch: a JSON line as each new file's verdict comes, until SIGTERM;
 * then the tally on stderr and exit status 0. */
static void
test_cli_watch (void)
{
  g_autoptr(CfFakeVt) server = cf_test_fake_vt_new ();
  g_autofree char *tmpdir = cf_test_make_tmpdir ();
  g_autofree char *folder = g_build_filename (tmpdir, "incoming", NULL);
  g_autofree char *partial = g_build_filename (folder, "eicar.com.part", NULL);
  g_autofree char *final = g_build_filename (folder, "eicar.com", NULL);
  g_auto(GStrv) env = cf_test_cli_env (server, tmpdir, CF_TEST_KEY);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) watch = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *err = NULL;
  LineRead read = { NULL };
  JsonObject *row;
  struct stat st;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_true (cf_fake_vt_register_hash (server, EICAR_SHA256, "eicar", &error));
  g_subprocess_launcher_set_environ (launcher, env);
  watch = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CHECK_FIRST_BIN"), "--watch", folder, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (watch));

  /* It says on stderr what it watches before anything arrives. */
  run_for (QUIET_MS);
  g_assert_true (g_file_set_contents (partial, CF_EICAR, -1, NULL));
  g_assert_cmpint (g_chmod (partial, 0755), ==, 0);
  g_assert_cmpint (g_rename (partial, final), ==, 0);

  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, line_read, &read);
  run_until (line_done, &read);
  g_assert_nonnull (read.line);
  rows = cf_test_parse_json_lines (read.line);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "path"), ==, final);
  g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "detected");
  g_assert_cmpstr (json_object_get_string_member (row, "decision"), ==, "block");
  g_assert_cmpint (g_stat (final, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0111, ==, 0);

  g_subprocess_send_signal (watch, SIGTERM);
  g_assert_true (g_subprocess_communicate_utf8 (watch, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (watch));
  g_assert_cmpint (g_subprocess_get_exit_status (watch), ==, 0);
  g_assert_nonnull (strstr (err, "Watching"));
  g_assert_nonnull (strstr (err, "its permission to run was removed"));
  g_assert_nonnull (strstr (err, "1 blocked"));
  g_assert_cmpuint (cf_fake_vt_get_count (server, "lookups"), ==, 1);

  g_free (read.line);
  cf_test_rm_rf (tmpdir);
}

/* What cannot be watched, or asked together with the service, is a usage
 * error that says why. */
static void
test_cli_watch_refused (void)
{
  g_autofree char *tmpdir = cf_test_make_tmpdir ();
  g_autofree char *missing = g_build_filename (tmpdir, "no-such-folder", NULL);
  g_autofree char *plain = cf_test_write_file (tmpdir, "plain.txt", "x", -1, 0644);
  g_auto(GStrv) env = cf_test_cli_env (NULL, tmpdir, CF_TEST_KEY);
  g_autoptr(CfTestRun) gone = cf_test_run_cli (env, NULL, "--watch", missing, NULL);
  g_autoptr(CfTestRun) file = cf_test_run_cli (env, NULL, "--watch", plain, NULL);
  g_autoptr(CfTestRun) both = cf_test_run_cli (env, NULL, "--service", "--check", plain, NULL);
  g_autoptr(CfTestRun) with_file = cf_test_run_cli (env, NULL, "--service", plain, NULL);

  g_assert_cmpint (gone->status, ==, 64);
  g_assert_nonnull (strstr (gone->err, "no-such-folder"));
  g_assert_cmpint (file->status, ==, 64);
  g_assert_nonnull (strstr (file->err, "is not a folder"));
  g_assert_cmpint (both->status, ==, 64);
  g_assert_nonnull (strstr (both->err, "--service cannot be used with --check"));
  g_assert_cmpint (with_file->status, ==, 64);
  g_assert_nonnull (strstr (with_file->err, "--service takes no FILE"));
  g_assert_cmpstr (gone->out, ==, "");

  cf_test_rm_rf (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cf/folder-monitor/partial-names", test_partial_names);
  g_test_add_func ("/cf/folder-monitor/not-a-folder", test_not_a_folder);
#define MONITOR_TEST(path, func) \
  g_test_add ("/cf/folder-monitor/" path, MonitorFixture, NULL, monitor_set_up, func, monitor_tear_down)
  MONITOR_TEST ("rename-from-partial", test_rename_from_partial);
  MONITOR_TEST ("firefox-placeholder", test_firefox_placeholder);
  MONITOR_TEST ("written-in-place", test_written_in_place);
  MONITOR_TEST ("what-counts", test_what_counts);
  MONITOR_TEST ("unchanged-once", test_unchanged_once);
  MONITOR_TEST ("scan", test_scan);
#undef MONITOR_TEST
#define WATCH_TEST(path, func) \
  g_test_add ("/cf/watcher/" path, WatchFixture, NULL, watch_set_up, func, watch_tear_down)
  WATCH_TEST ("flagged-download", test_flagged_download);
  WATCH_TEST ("modes-kept", test_modes_kept);
  WATCH_TEST ("origin", test_origin);
  WATCH_TEST ("many-at-once", test_many_at_once);
  WATCH_TEST ("catch-up", test_catch_up);
#undef WATCH_TEST
  g_test_add_func ("/cf/watcher/cli", test_cli_watch);
  g_test_add_func ("/cf/watcher/cli-refused", test_cli_watch_refused);

  return g_test_run ();
}
