/* test-security.c: the promises about the API key, the database, URLs, redirects and trust
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each promise is a test; broken_promise () fails it with a sentence that
 * says which promise was broken.
 */

#define _GNU_SOURCE   /* memmem */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cf-launcher.h"
#include "cf-test-util.h"

#define MARKER "SECRET-KEY-MARKER-1234567890"
#define SELF_ID "io.github.checkfirst.CheckFirst.desktop"
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define EICAR_SHA256 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"

static void G_GNUC_PRINTF (1, 2)
broken_promise (const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_test_fail_printf ("%s", message);
}

#define RUN(env, ...) cf_test_run_cli ((env), NULL, __VA_ARGS__, NULL)

static void
assert_no_marker (const CfTestRun *run)
{
  g_assert_null (strstr (run->out, MARKER));
  g_assert_null (strstr (run->err, MARKER));
}

/* Servers: the fake VirusTotal, and a canned reply of our own */

static CfFakeVt *
fake_new (const char *key)
{
  g_autoptr(GError) error = NULL;
  CfFakeVt *fake = cf_fake_vt_new ();

  cf_fake_vt_set_api_key (fake, key);
  cf_fake_vt_start (fake, FALSE, &error);
  g_assert_no_error (error);
  return fake;
}

static char *
fake_origin (CfFakeVt *fake)
{
  g_autofree char *url = cf_fake_vt_get_base_url (fake);

  g_assert_true (g_str_has_suffix (url, "/api/v3"));
  return g_strndup (url, strlen (url) - strlen ("/api/v3"));
}

/* Answers every request with one status: a redirect to @location + the
 * request's path, or @body.  It serves from a thread of its own, since the
 * test's thread waits on the CLI. */
typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  guint         status;
  char         *location;
  GBytes       *body;
  guint         port;
  gint          requests;
} Canned;

static void
canned_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Canned *self = user_data;

  g_atomic_int_inc (&self->requests);
  if (self->location != NULL)
    {
      g_autofree char *target = g_strconcat (self->location, path, NULL);
      soup_server_message_set_redirect (msg, self->status, target);
      return;
    }
  soup_server_message_set_status (msg, self->status, NULL);
  if (self->body != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                      g_bytes_get_data (self->body, NULL), g_bytes_get_size (self->body));
}

static gpointer
canned_thread (gpointer user_data)
{
  Canned *self = user_data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static Canned *
canned_start (guint       status,
              const char *location,
              GBytes     *body)
{
  g_autoptr(GError) error = NULL;
  Canned *self = g_new0 (Canned, 1);
  GSList *uris;

  self->status = status;
  self->location = g_strdup (location);
  self->body = body != NULL ? g_bytes_ref (body) : NULL;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  /* Listening attaches to the thread-default context, which the thread runs. */
  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, canned_handler, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_main_context_pop_thread_default (self->context);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->thread = g_thread_new ("canned-server", canned_thread, self);
  return self;
}

static char *
canned_url (Canned *self)
{
  return g_strdup_printf ("http://127.0.0.1:%u/api/v3", self->port);
}

static void
canned_stop (Canned *self)
{
  g_main_loop_quit (self->loop);
  g_thread_join (self->thread);
  g_main_context_push_thread_default (self->context);
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_main_context_pop_thread_default (self->context);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->location);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Canned, canned_stop)

/* Fixture: a folder, a fake server that expects MARKER, the CLI's env */

typedef struct
{
  char      *dir;
  char      *data;
  CfFakeVt  *fake;
  char     **env;
  char      *clean;
  char      *eicar;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *settings = NULL;

  f->dir = cf_test_make_tmpdir ();
  f->data = g_build_filename (f->dir, "home", NULL);
  f->fake = fake_new (MARKER);
  f->env = cf_test_cli_env (f->fake, f->data, MARKER);

  /* The premium plan without limits: some tests make more than the public
   * four requests a minute, and --rate=0 does not lift them (see
   * /cf/bad-input/options/rate-zero). */
  settings = g_build_filename (f->data, "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (settings, 0700), ==, 0);
  g_free (cf_test_write_file (settings, "keyfile", "[io/github/checkfirst/CheckFirst]\napi-plan='premium'\n",
                              -1, 0600));
  f->env = g_environ_setenv (f->env, "GSETTINGS_BACKEND", "keyfile", TRUE);

  f->clean = cf_test_write_file (f->dir, "clean.txt", "nothing to see\n", -1, 0644);
  f->eicar = cf_test_write_file (f->dir, "eicar.com", CF_EICAR, -1, 0644);
  cf_fake_vt_register_file (f->fake, f->clean, "clean", &error);
  g_assert_no_error (error);
  cf_fake_vt_register_file (f->fake, f->eicar, "eicar", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cf_fake_vt_stop (f->fake);
  g_clear_object (&f->fake);
  g_strfreev (f->env);
  cf_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->data);
  g_free (f->clean);
  g_free (f->eicar);
}

#define ADD(path, data, func) g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

/* The API key never shows */

static void
test_key_not_in_output (Fixture       *f,
                        gconstpointer  data)
{
  const char *formats[] = { "--json", "--csv", NULL /* text */ };
  const char * const commands[][3] = {
    { "--quota", NULL }, { "--quota", "--json" }, { "--list-trust", NULL },
    { "--not-an-option", NULL }, { "--processes", "--json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      const char * const check_args[] = { "--check", f->clean, f->eicar, formats[i], NULL };
      const char * const lookup_args[] = { "--lookup", EICAR_SHA256, formats[i], NULL };
      g_autoptr(CfTestRun) check = cf_test_run_cliv (f->env, NULL, check_args);
      g_autoptr(CfTestRun) lookup = cf_test_run_cliv (f->env, NULL, lookup_args);

      g_assert_cmpint (check->status, ==, 1);
      g_assert_cmpint (lookup->status, ==, 1);
      assert_no_marker (check);
      assert_no_marker (lookup);
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(CfTestRun) run = cf_test_run_cliv (f->env, NULL, commands[i]);

      g_assert_cmpint (run->status, >=, 0);
      assert_no_marker (run);
    }
}

static guint
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  /* Bound, never listening, closed on return: connections are refused. */
  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

typedef enum
{
  FAILURE_WRONG_KEY,
  FAILURE_MALFORMED_KEY,
  FAILURE_NETWORK,
} Failure;

static void
test_key_not_in_output_failure (Fixture       *f,
                                gconstpointer  data)
{
  Failure failure = GPOINTER_TO_INT (data);
  g_autoptr(CfFakeVt) other = fake_new ("another-key");
  g_auto(GStrv) env = g_strdupv (f->env);
  g_autofree char *url = NULL;
  g_autoptr(CfTestRun) check = NULL;
  g_autoptr(CfTestRun) lookup = NULL;

  if (failure == FAILURE_WRONG_KEY)
    url = cf_fake_vt_get_base_url (other);
  else if (failure == FAILURE_NETWORK)
    url = g_strdup_printf ("http://127.0.0.1:%u/api/v3", closed_port ());
  else
    env = g_environ_setenv (env, "VT_API_KEY", MARKER "\tinside", TRUE);
  if (url != NULL)
    env = g_environ_setenv (env, "CHECK_FIRST_API_URL", url, TRUE);

  check = RUN (env, "--check", f->clean);
  lookup = RUN (env, "--lookup", "--json", EMPTY_SHA256);
  assert_no_marker (check);
  assert_no_marker (lookup);

  if (failure == FAILURE_WRONG_KEY)
    g_assert_cmpuint (cf_fake_vt_get_count (other, "401"), ==, 2);
  g_assert_nonnull (strstr (failure == FAILURE_MALFORMED_KEY ? check->err : check->out,
                            failure == FAILURE_WRONG_KEY ? "did not accept the API key" :
                            failure == FAILURE_NETWORK ? "Could not reach VirusTotal" : "API key"));
  g_assert_true (check->status == 2 || (failure == FAILURE_MALFORMED_KEY && check->status == 64));
  g_assert_true (lookup->status == 2 || lookup->status == 64);
  cf_fake_vt_stop (other);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  return g_file_get_contents (path, &contents, &length, NULL) && memmem (contents, length, needle, strlen (needle)) != NULL;
}

/* Every file under @dir: the database, its -wal and -shm, settings... */
static guint
assert_no_marker_in_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint files = 0;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        files += assert_no_marker_in_files (path);
      else if (file_contains (path, MARKER))
        g_error ("The API key is stored in %s", path);
      else
        files++;
    }
  return files;
}

/* A slow reply keeps the CLI waiting on the network, so its argv and its
 * database (with a live -wal) can be read while it runs. */
static void
test_key_not_in_argv_or_database (Fixture       *f,
                                  gconstpointer  data)
{
  const char * const argv[] = { g_getenv ("CHECK_FIRST_BIN"), "--check", "--json", f->clean, NULL };
  g_autofree char *db = g_build_filename (f->data, "check-first", "check-first.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cmdline_path = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *out = NULL;
  gsize length = 0;

  cf_fake_vt_push_fault (f->fake, "slow:3000");
  g_subprocess_launcher_set_environ (launcher, f->env);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  while (cf_fake_vt_get_count (f->fake, "lookups") == 0 && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "lookups"), ==, 1);

  cmdline_path = g_strdup_printf ("/proc/%s/cmdline", g_subprocess_get_identifier (process));
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &length, NULL));
  g_assert_true (memmem (cmdline, length, "--check", 7) != NULL);
  g_assert_false (memmem (cmdline, length, MARKER, strlen (MARKER)) != NULL);
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
  g_assert_false (file_contains (db, MARKER));
  g_assert_false (file_contains (wal, MARKER));

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_null (strstr (out, MARKER));

  /* And after runs of other kinds, in everything the CLI left behind. */
  {
    g_autoptr(CfFakeVt) other = fake_new ("another-key");
    g_autofree char *url = cf_fake_vt_get_base_url (other);
    g_auto(GStrv) env = g_environ_setenv (g_strdupv (f->env), "CHECK_FIRST_API_URL", url, TRUE);
    g_autoptr(CfTestRun) wrong = RUN (env, "--check", f->eicar);
    g_autoptr(CfTestRun) blocked = RUN (f->env, "--check", f->eicar);
    g_autoptr(CfTestRun) allow = RUN (f->env, "--allow-hash", EMPTY_SHA256, "--note", "fine");

    g_assert_cmpint (wrong->status, ==, 2);
    g_assert_cmpint (blocked->status, ==, 1);
    g_assert_cmpint (allow->status, ==, 0);
    cf_fake_vt_stop (other);
  }
  g_assert_cmpuint (assert_no_marker_in_files (f->dir), >=, 3);
}

/* Programs we launch do not inherit the key */

static char *launch_home;

static char *
wait_for_file (const char *path)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  char *contents = NULL;

  /* The scripts write elsewhere and rename when done. */
  while (!g_file_get_contents (path, &contents, NULL, NULL) && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  g_assert_nonnull (contents);
  return contents;
}

static void
test_key_not_in_launched_env (gconstpointer data)
{
  gboolean through_app = GPOINTER_TO_INT (data);
  g_autofree char *out = g_build_filename (launch_home, through_app ? "env-app.txt" : "env-exe.txt", NULL);
  g_autoptr(GAppLaunchContext) context = g_app_launch_context_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  g_app_launch_context_setenv (context, "VT_API_KEY", MARKER);

  /* A script runs directly; a text file opens in the default application
   * for text/plain, which set_up_launch_home () made a script too. */
  if (through_app)
    path = cf_test_write_file (launch_home, "notes.txt", "plain words\n", -1, 0644);
  else
    path = cf_test_write_file (launch_home, "dump-env.sh",
                               "#!/bin/sh\nenv > \"$0.tmp\" && mv \"$0.tmp\" \"${0%/*}/env-exe.txt\"\n", -1, 0755);
  file = g_file_new_for_path (path);

  /* With no context (our own environment) and with one that has the key. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *dump = NULL;

      g_unlink (out);
      cf_launcher_launch (file, SELF_ID, i == 0 ? NULL : context, &error);
      g_assert_no_error (error);
      dump = wait_for_file (out);
      if (i == 0)
        g_assert_nonnull (strstr (dump, "CF_TEST_CANARY=still-here"));
      g_assert_null (strstr (dump, MARKER));
    }
}

/* GIO reads the application folders once: they are ours from the start. */
static void
set_up_launch_home (void)
{
  g_autofree char *apps = NULL;
  g_autofree char *script = NULL;
  g_autofree char *desktop = NULL;
  g_autofree char *data_dirs = NULL;

  launch_home = cf_test_make_tmpdir ();
  apps = g_build_filename (launch_home, "applications", NULL);
  g_assert_cmpint (g_mkdir (apps, 0700), ==, 0);
  script = g_strdup_printf ("#!/bin/sh\nenv > '%s/env-app.tmp' && mv '%s/env-app.tmp' '%s/env-app.txt'\n",
                            launch_home, launch_home, launch_home);
  g_free (cf_test_write_file (launch_home, "dump-app.sh", script, -1, 0755));
  desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Env dump\n"
                             "Exec=%s/dump-app.sh %%f\nMimeType=text/plain;\nNoDisplay=true\n", launch_home);
  g_free (cf_test_write_file (apps, "cf-test-env-dump.desktop", desktop, -1, 0644));
  g_free (cf_test_write_file (launch_home, "mimeapps.list",
                              "[Default Applications]\ntext/plain=cf-test-env-dump.desktop\n", -1, 0644));

  /* Ours first; the system's after, for the MIME database. */
  data_dirs = g_strdup_printf ("%s:/usr/local/share:/usr/share", launch_home);
  g_setenv ("XDG_DATA_HOME", launch_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", launch_home, TRUE);
  g_setenv ("XDG_DATA_DIRS", data_dirs, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", launch_home, TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/cf-test-bus", TRUE);

  /* What a launched program must not see, and what it must still see.  Set
   * now, before any thread: the CLI runs get the key from their own env. */
  g_setenv ("VT_API_KEY", MARKER, TRUE);
  g_setenv ("CF_TEST_CANARY", "still-here", TRUE);
}

/* The database is private */

static void
assert_private (const char *folder,
                const char *db)
{
  const char *paths[] = { folder, db, "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *path = i < 2 ? g_strdup (paths[i]) : g_strconcat (db, paths[i], NULL);
      guint mode = i == 0 ? 0700 : 0600;
      struct stat st;

      if (g_stat (path, &st) != 0)
        {
          g_assert_cmpuint (i, >=, 2);   /* -wal and -shm come and go */
          continue;
        }
      if ((st.st_mode & 0777) != mode)
        g_error ("%s has mode %03o, not %03o", path, st.st_mode & 0777, mode);
    }
}

static void
test_store_permissions (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->data, "check-first", NULL);
  g_autofree char *db = g_build_filename (folder, "check-first.db", NULL);
  mode_t old_umask = umask (0);
  g_autoptr(CfTestRun) fresh = RUN (f->env, "--check", f->clean);
  g_autoptr(CfTestRun) again = NULL;

  g_assert_cmpint (fresh->status, ==, 0);
  assert_private (folder, db);

  /* Left readable to all by an old version, or by hand: tightened again. */
  g_assert_cmpint (g_chmod (folder, 0777), ==, 0);
  g_assert_cmpint (g_chmod (db, 0666), ==, 0);
  again = RUN (f->env, "--check", f->eicar);
  umask (old_umask);
  g_assert_cmpint (again->status, ==, 1);
  assert_private (folder, db);
}

/* Where the key may go */

static const char * const insecure_urls[] = {
  "http://example.invalid/api/v3",
  "http://www.virustotal.com/api/v3",
  "HTTP://10.255.255.1:9/api/v3",
  "http://127.0.0.1.example.invalid/api/v3",
  "http://localhost.example.invalid/api/v3",
  "ftp://127.0.0.1/api/v3",
  "not a url at all",
};

static void
test_insecure_url (Fixture       *f,
                   gconstpointer  data)
{
  const char *proxy_vars[] = { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy" };
  g_autoptr(Canned) proxy = canned_start (502, NULL, NULL);
  g_autofree char *proxy_url = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
  g_auto(GStrv) env = g_strdupv (f->env);
  g_autoptr(CfTestRun) check = NULL;
  g_autoptr(CfTestRun) lookup = NULL;

  /* Any connection at all would go through this proxy, and be counted. */
  for (guint i = 0; i < G_N_ELEMENTS (proxy_vars); i++)
    env = g_environ_setenv (env, proxy_vars[i], proxy_url, TRUE);
  env = g_environ_unsetenv (g_environ_unsetenv (env, "no_proxy"), "NO_PROXY");
  env = g_environ_setenv (env, "CHECK_FIRST_API_URL", data, TRUE);

  check = RUN (env, "--check", f->clean);
  lookup = RUN (env, "--lookup", EMPTY_SHA256);
  g_assert_true (check->status == 2 || check->status == 64);
  g_assert_true (lookup->status == 2 || lookup->status == 64);
  g_assert_true (strstr (check->err, "must use https://") != NULL || strstr (check->err, "not a valid URL") != NULL);
  g_assert_cmpuint (g_atomic_int_get (&proxy->requests), ==, 0);
  assert_no_marker (check);

  /* The control: an address that is allowed does reach the proxy. */
  if (data == insecure_urls[0])
    {
      g_autoptr(CfTestRun) allowed = NULL;

      env = g_environ_setenv (env, "CHECK_FIRST_API_URL", "https://example.invalid/api/v3", TRUE);
      allowed = RUN (env, "--lookup", EMPTY_SHA256);
      g_assert_cmpint (allowed->status, ==, 2);
      g_assert_cmpuint (g_atomic_int_get (&proxy->requests), >=, 1);
    }
}

static void
test_redirect_keeps_key (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CfFakeVt) second = fake_new (MARKER);
  g_autofree char *origin = fake_origin (second);
  g_autoptr(Canned) first = canned_start (GPOINTER_TO_UINT (data), origin, NULL);
  g_autofree char *first_url = canned_url (first);
  g_auto(GStrv) env = g_environ_setenv (g_strdupv (f->env), "CHECK_FIRST_API_URL", first_url, TRUE);
  g_autoptr(CfTestRun) check = RUN (env, "--check", f->clean);
  g_autoptr(CfTestRun) lookup = RUN (env, "--lookup", "--json", EMPTY_SHA256);

  g_assert_cmpuint (g_atomic_int_get (&first->requests), >=, 2);
  g_assert_cmpuint (cf_fake_vt_get_count (second, "requests"), ==, 0);
  g_assert_cmpint (check->status, ==, 2);
  g_assert_cmpint (lookup->status, ==, 2);
  g_assert_nonnull (strstr (check->out, "VirusTotal"));
  g_assert_nonnull (strstr (lookup->out, "\"error\":"));
  cf_fake_vt_stop (second);
}

static void
test_upload_url_foreign_origin (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(CfFakeVt) second = fake_new (MARKER);
  g_autofree char *origin = fake_origin (second);
  gsize size = 40 * 1024 * 1024;
  g_autofree char *contents = g_malloc (size);
  g_autofree char *big = NULL;
  g_autoptr(CfTestRun) run = NULL;

  /* Unknown to VirusTotal, and over the 32 MB of a direct upload. */
  for (gsize i = 0; i < size; i++)
    contents[i] = (char) ((i * 2654435761u) >> 13);
  g_snprintf (contents, 64, "unique %" G_GINT64_FORMAT, g_get_real_time ());
  big = cf_test_write_file (f->dir, "big.bin", contents, size, 0644);

  cf_fake_vt_set_upload_url_base (f->fake, origin);
  run = RUN (f->env, "--check", "--upload=always", big);

  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "upload_urls"), >=, 1);
  g_assert_cmpuint (cf_fake_vt_get_count (second, "requests"), ==, 0);
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "uploads"), ==, 0);
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->out, "another server"));
  cf_fake_vt_stop (second);
}

/* The account's allowance is read at an address that holds the key
 * (/users/KEY/overall_quotas, then /users/KEY): whatever comes back, and
 * with every debug message of every library on, that address is never
 * printed, and the key never stored. */
typedef enum
{
  ALLOWANCE_AS_SERVED,
  ALLOWANCE_USERS_ONLY,
  ALLOWANCE_FAILING,
  ALLOWANCE_WRONG_KEY,
  ALLOWANCE_NETWORK,
  ALLOWANCE_ECHOED_KEY,    /* an error whose message repeats the address */
  ALLOWANCE_OTHER_ACCOUNT, /* a reply about another key */
  ALLOWANCE_REDIRECT,      /* a redirect whose location repeats it */
  N_ALLOWANCE_CASES
} AllowanceCase;

static const char * const allowance_cases[] = {
  "as-served", "users-only", "failing", "wrong-key", "network", "echoed-key", "other-account",
  "redirect",
};

G_STATIC_ASSERT (G_N_ELEMENTS (allowance_cases) == N_ALLOWANCE_CASES);

#define ECHOED_KEY_REPLY \
  "{\"error\": {\"code\": \"NotFoundError\", \"message\": \"User \\\"" MARKER "\\\" not found at " \
  "/users/" MARKER "/overall_quotas\"}}"
#define OTHER_ACCOUNT_REPLY \
  "{\"data\": {\"attributes\": {\"apikey\": \"not-" MARKER "\", " \
  "\"quotas\": {\"api_requests_daily\": {\"allowed\": 5}}}}}"

static void
assert_no_address (const CfTestRun *run)
{
  const char *streams[] = { run->out, run->err };

  for (guint i = 0; i < G_N_ELEMENTS (streams); i++)
    {
      g_assert_null (strstr (streams[i], MARKER));
      g_assert_null (strstr (streams[i], "/users/"));
      g_assert_null (strstr (streams[i], "overall_quotas"));
    }
}

static void
test_allowance_address_never_shown (Fixture       *f,
                                    gconstpointer  data)
{
  AllowanceCase which = GPOINTER_TO_INT (data);
  g_autoptr(CfFakeVt) other = NULL;
  g_autoptr(Canned) canned = NULL;
  g_autoptr(GBytes) body = NULL;
  g_auto(GStrv) env = g_environ_setenv (g_strdupv (f->env), "G_MESSAGES_DEBUG", "all", TRUE);
  g_autofree char *url = NULL;
  g_autofree char *location = NULL;
  g_autoptr(CfTestRun) text = NULL;
  g_autoptr(CfTestRun) json = NULL;
  g_autoptr(GError) error = NULL;

  switch (which)
    {
    case ALLOWANCE_AS_SERVED:
    case ALLOWANCE_USERS_ONLY:
    case ALLOWANCE_FAILING:
      g_assert_true (cf_fake_vt_set_account (f->fake, allowance_cases[which], &error));
      break;
    case ALLOWANCE_WRONG_KEY:
      other = fake_new ("another-key");
      url = cf_fake_vt_get_base_url (other);
      break;
    case ALLOWANCE_NETWORK:
      url = g_strdup_printf ("http://127.0.0.1:%u/api/v3", closed_port ());
      break;
    case ALLOWANCE_ECHOED_KEY:
      body = g_bytes_new_static (ECHOED_KEY_REPLY, strlen (ECHOED_KEY_REPLY));
      canned = canned_start (404, NULL, body);
      break;
    case ALLOWANCE_OTHER_ACCOUNT:
      body = g_bytes_new_static (OTHER_ACCOUNT_REPLY, strlen (OTHER_ACCOUNT_REPLY));
      canned = canned_start (200, NULL, body);
      break;
    case ALLOWANCE_REDIRECT:
      location = g_strdup_printf ("http://127.0.0.1:%u/elsewhere", closed_port ());
      canned = canned_start (302, location, NULL);
      break;
    case N_ALLOWANCE_CASES:
    default:
      g_assert_not_reached ();
    }
  if (canned != NULL)
    url = canned_url (canned);
  if (url != NULL)
    env = g_environ_setenv (env, "CHECK_FIRST_API_URL", url, TRUE);

  text = RUN (env, "--quota");
  json = RUN (env, "--quota", "--json");
  assert_no_address (text);
  assert_no_address (json);
  g_assert_cmpint (text->status, ==, 0);
  g_assert_cmpint (json->status, ==, 0);

  /* The address was asked for, or tried: the test saw what it tests. */
  if (canned != NULL)
    g_assert_cmpuint (g_atomic_int_get (&canned->requests), >=, 1);
  else if (other != NULL)
    g_assert_cmpuint (cf_fake_vt_get_count (other, "users"), >=, 1);
  else if (which != ALLOWANCE_NETWORK)
    g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "users"), >=, 1);
  if (which == ALLOWANCE_AS_SERVED || which == ALLOWANCE_USERS_ONLY)
    g_assert_nonnull (strstr (text->out, "as VirusTotal reported on"));
  else
    g_assert_nonnull (strstr (text->err, "Could not read what your VirusTotal account may spend"));
  /* The debug log was on (GLib writes it to standard output), and spoke:
   * it would have shown an address. */
  g_assert_nonnull (strstr (text->out, "-DEBUG: "));

  g_assert_cmpuint (assert_no_marker_in_files (f->data), >, 0);
  if (other != NULL)
    cf_fake_vt_stop (other);
}

/* Deep enough, nesting overflows json-glib's recursive parser. */
static void
test_hostile_reply_deep_nesting (Fixture       *f,
                                 gconstpointer  data)
{
  gsize depth = 150000;
  g_autofree char *nested = g_strnfill (2 * depth, ']');
  g_autoptr(GBytes) body = g_bytes_new (memset (nested, '[', depth), 2 * depth);
  g_autoptr(Canned) server = canned_start (200, NULL, body);
  g_autofree char *url = canned_url (server);
  g_auto(GStrv) env = g_environ_setenv (g_strdupv (f->env), "CHECK_FIRST_API_URL", url, TRUE);
  g_autoptr(CfTestRun) run = RUN (env, "--check", f->clean);

  g_assert_cmpuint (g_atomic_int_get (&server->requests), >=, 1);
  if (run->status < 0 || strstr (run->err, "Sanitizer") != NULL)
    {
      broken_promise ("a 200 reply of %" G_GSIZE_FORMAT " nested arrays (%" G_GSIZE_FORMAT " KB) crashes the CLI "
                 "(exit %d): cf_report_parse hands it to json-glib, which recurses once a level",
                 depth, 2 * depth / 1024, run->status);
      return;
    }
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->out, "VirusTotal"));
}

/* "Always allow" is for a SHA-256, never for a path */

static char *
json_member (const char *line,
             const char *member)
{
  g_autoptr(GPtrArray) objects = cf_test_parse_json_lines (line);
  JsonNode *node;

  g_assert_cmpuint (objects->len, ==, 1);
  node = json_object_get_member (objects->pdata[0], member);
  return g_strdup (node != NULL && !JSON_NODE_HOLDS_NULL (node) ? json_node_get_string (node) : "");
}

static void
test_trust_is_for_a_hash (Fixture       *f,
                          gconstpointer  data)
{
  const char *good = "#!/bin/sh\necho good\n", *evil = "#!/bin/sh\necho evil\n";
  g_autofree char *path = cf_test_write_file (f->dir, "tool.sh", good, -1, 0755);
  g_autofree char *copy = cf_test_write_file (f->dir, "copy-of-tool.sh", good, -1, 0755);
  g_autoptr(CfTestRun) hash = RUN (f->env, "--hash", path);
  g_autofree char *sha256 = g_strndup (hash->out, 64);
  g_autoptr(CfTestRun) allow = RUN (f->env, "--allow-hash", sha256);
  g_autoptr(CfTestRun) trusted = RUN (f->env, "--check", "--json", path);
  g_autoptr(CfTestRun) copied = RUN (f->env, "--check", "--json", copy);
  g_autoptr(CfTestRun) changed = NULL;
  g_autofree char *status = json_member (trusted->out, "status");
  g_autofree char *copy_status = json_member (copied->out, "status");
  g_autofree char *changed_status = NULL;
  g_autofree char *changed_source = NULL;
  struct timespec times[2];
  struct stat st;
  guint lookups;
  int fd;

  g_assert_cmpint (allow->status, ==, 0);
  g_assert_cmpint (trusted->status, ==, 0);
  g_assert_cmpstr (status, ==, "trusted");
  g_assert_cmpstr (copy_status, ==, "trusted");

  /* The same file, path, size and mtime: only the content differs. */
  g_assert_cmpint (stat (path, &st), ==, 0);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, evil, strlen (evil)), ==, (gssize) strlen (good));
  g_assert_cmpint (close (fd), ==, 0);
  times[0] = st.st_atim;
  times[1] = st.st_mtim;
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);

  lookups = cf_fake_vt_get_count (f->fake, "lookups");
  changed = RUN (f->env, "--check", "--json", path);
  changed_status = json_member (changed->out, "status");
  changed_source = json_member (changed->out, "source");
  g_assert_cmpstr (changed_status, !=, "trusted");
  g_assert_cmpstr (changed_source, ==, "api");
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "lookups"), ==, lookups + 1);
  g_assert_null (strstr (changed->out, sha256));
}

int
main (int   argc,
      char *argv[])
{
  const guint redirects[] = { 301, 302, 303, 307, 308 };
  const char *failures[] = { "wrong-key", "malformed-key", "network-error" };
  int status;

  set_up_launch_home ();
  g_test_init (&argc, &argv, NULL);

  ADD ("/cf/security/key/output/success", NULL, test_key_not_in_output);
  for (guint i = 0; i < G_N_ELEMENTS (failures); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/security/key/output/%s", failures[i]);
      ADD (path, GINT_TO_POINTER (i), test_key_not_in_output_failure);
    }
  ADD ("/cf/security/key/argv-and-database", NULL, test_key_not_in_argv_or_database);
  g_test_add_data_func ("/cf/security/key/launched-env/executable", GINT_TO_POINTER (FALSE),
                        test_key_not_in_launched_env);
  g_test_add_data_func ("/cf/security/key/launched-env/default-app", GINT_TO_POINTER (TRUE),
                        test_key_not_in_launched_env);
  ADD ("/cf/security/store/permissions", NULL, test_store_permissions);
  for (guint i = 0; i < G_N_ELEMENTS (insecure_urls); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/security/url/insecure/%u", i);
      ADD (path, insecure_urls[i], test_insecure_url);
    }
  for (guint i = 0; i < G_N_ELEMENTS (redirects); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/security/redirect/%u", redirects[i]);
      ADD (path, GUINT_TO_POINTER (redirects[i]), test_redirect_keeps_key);
    }
  ADD ("/cf/security/upload-url/foreign-origin", NULL, test_upload_url_foreign_origin);
  for (guint i = 0; i < N_ALLOWANCE_CASES; i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/security/key/allowance-address/%s", allowance_cases[i]);

      ADD (path, GINT_TO_POINTER (i), test_allowance_address_never_shown);
    }
  ADD ("/cf/security/hostile-reply/deep-nesting", NULL, test_hostile_reply_deep_nesting);
  ADD ("/cf/security/trust/hash-not-path", NULL, test_trust_is_for_a_hash);

  status = g_test_run ();
  cf_test_rm_rf (launch_home);
  g_free (launch_home);
  return status;
}
