/* cf-test-util.c: shared helpers for the tests: temp folders, the fake server, the CLI
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cf-test-util.h"

char *
cf_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cf-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
cf_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          struct stat st;

          if (lstat (child, &st) == 0 && S_ISDIR (st.st_mode))
            {
              g_chmod (child, 0700);
              cf_test_rm_rf (child);
            }
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

char *
cf_test_write_file (const char *dir,
                    const char *name,
                    const char *contents,
                    gssize      length,
                    int         mode)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
  return path;
}

CfFakeVt *
cf_test_fake_vt_new (void)
{
  g_autoptr(GError) error = NULL;
  CfFakeVt *server = cf_fake_vt_new ();

  cf_fake_vt_set_api_key (server, CF_TEST_KEY);
  cf_fake_vt_start (server, FALSE, &error);
  g_assert_no_error (error);
  return server;
}

/* An environment for a CLI run that touches nothing of the user's. */
char **
cf_test_cli_env (CfFakeVt   *server,
                 const char *data_home,
                 const char *key)
{
  char **env = g_get_environ ();

  env = g_environ_setenv (env, "XDG_DATA_HOME", data_home, TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", data_home, TRUE);
  env = g_environ_setenv (env, "XDG_CACHE_HOME", data_home, TRUE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  env = g_environ_unsetenv (env, "DBUS_SESSION_BUS_ADDRESS");
  env = g_environ_setenv (env, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/cf-test-bus", TRUE);
  env = g_environ_unsetenv (env, "CHECK_FIRST_API_URL");
  env = g_environ_unsetenv (env, "VT_API_KEY");
  if (server != NULL)
    {
      g_autofree char *url = cf_fake_vt_get_base_url (server);
      env = g_environ_setenv (env, "CHECK_FIRST_API_URL", url, TRUE);
    }
  if (key != NULL)
    env = g_environ_setenv (env, "VT_API_KEY", key, TRUE);

  return env;
}

typedef struct
{
  CfTestRun *run;
  GError    *error;
  gboolean   done;
} Communication;

static void
communicated (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Communication *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &c->run->out,
                                        &c->run->err, &c->error);
  c->done = TRUE;
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A run that has not ended after CF_TEST_RUN_BOUND seconds is killed and
 * marked as hung: a bound against a hang that fails the test, never a
 * measurement of how long anything took. */
static void
communicate_bounded (GSubprocess *process,
                     const char  *stdin_text,
                     CfTestRun   *run)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) bound = g_timeout_source_new_seconds (CF_TEST_RUN_BOUND);
  Communication c = { run, NULL, FALSE };
  gboolean hung = FALSE;

  g_main_context_push_thread_default (context);
  g_source_set_callback (bound, set_flag, &hung, NULL);
  g_source_attach (bound, context);
  g_subprocess_communicate_utf8_async (process, stdin_text != NULL ? stdin_text : "", NULL,
                                       communicated, &c);
  while (!c.done && !hung)
    g_main_context_iteration (context, TRUE);
  if (!c.done)
    {
      g_subprocess_force_exit (process);
      run->status = CF_TEST_RUN_HUNG;
    }
  while (!c.done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (bound);
  g_main_context_pop_thread_default (context);
  g_subprocess_wait (process, NULL, NULL);

  if (c.error != NULL && run->status == CF_TEST_RUN_HUNG)
    g_clear_error (&c.error);
  g_assert_no_error (c.error);
  if (run->out == NULL)
    run->out = g_strdup ("");
  if (run->err == NULL)
    run->err = g_strdup ("");
}

/* @wrapper: a command that runs the CLI (strace and its options), or NULL. */
CfTestRun *
cf_test_run_cli_wrapped (char              **env,
                         const char         *stdin_text,
                         const char * const *wrapper,
                         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  CfTestRun *run = g_new0 (CfTestRun, 1);
  const char *bin = g_getenv ("CHECK_FIRST_BIN");

  g_assert_nonnull (bin);
  for (guint i = 0; wrapper != NULL && wrapper[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) wrapper[i]);
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  communicate_bounded (process, stdin_text, run);

  if (run->status == CF_TEST_RUN_HUNG)
    ;
  else if (g_subprocess_get_if_exited (process))
    run->status = g_subprocess_get_exit_status (process);
  else
    run->status = -1;

  if (g_test_verbose ())
    g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);

  return run;
}

CfTestRun *
cf_test_run_cliv (char              **env,
                  const char         *stdin_text,
                  const char * const *args)
{
  return cf_test_run_cli_wrapped (env, stdin_text, NULL, args);
}

CfTestRun *
cf_test_run_cli (char       **env,
                 const char  *stdin_text,
                 const char  *first_arg,
                 ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return cf_test_run_cliv (env, stdin_text, (const char * const *) args->pdata);
}

void
cf_test_run_free (CfTestRun *run)
{
  if (run == NULL)
    return;
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

/* Every line must be one JSON object; returns JsonObject references. */
GPtrArray *
cf_test_parse_json_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (*lines[i] == '\0')
        continue;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      g_ptr_array_add (objects, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }

  return objects;
}
