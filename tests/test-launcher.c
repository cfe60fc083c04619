/* test-launcher.c: tests for running or opening a checked file
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cf-launcher.h"

#define SELF_ID "io.github.checkfirst.CheckFirst"
#define ONLY_SELF_TYPE "application/x-checkfirst-only"
/* Types whose handlers test the person's order of applications. */
#define ORDER_TYPE "text/x-cf-order"
#define ADDED_TYPE "text/x-cf-added"
#define TERMINAL_TYPE "text/x-cf-terminal"
#define TERMINAL_ONLY_TYPE "text/x-cf-terminal-only"
#define SECRET_KEY "vt-test-key-that-no-child-may-see"
#define WAIT_SECONDS 20

/* Everything this run writes lives under root. */
static char *root;
static char *work_dir;
static char *recorder_args;
static char *recorder_env;
static char *self_launched;

/* Helpers */

static char *
path_in (const char *folder,
         const char *name)
{
  return g_build_filename (folder, name, NULL);
}

static void
make_dir (const char *path)
{
  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length,
            int         mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

static void
remove_tree (const char *path)
{
  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = path_in (path, name);

          remove_tree (child);
        }
      if (dir != NULL)
        g_dir_close (dir);
      g_rmdir (path);
    }
  else
    {
      g_remove (path);
    }
}

/* Launched programs run on their own: poll for what they leave behind. */
static gboolean
wait_for_file (const char *path)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (10 * 1000);
    }

  return TRUE;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static gboolean
environment_has (const char *env_dump,
                 const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (env_dump, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return TRUE;

  return FALSE;
}

/* The environment, before GIO reads any of it */

static char *tools_dir;
static char *terminal_dir;

static void
isolate_path (void)
{
  static const char * const tools[] = { "sh", "env", "printf", "mv", "touch", "false", "pwd", "cat" };
  g_autofree char *xterm = NULL;

  tools_dir = path_in (root, "tools");
  terminal_dir = path_in (root, "terminal");
  make_dir (tools_dir);
  make_dir (terminal_dir);
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *real = g_find_program_in_path (tools[i]);
      g_autofree char *link = path_in (tools_dir, tools[i]);

      g_assert_nonnull (real);
      g_assert_cmpint (symlink (real, link), ==, 0);
    }
  /* A terminal, for the tests that want one installed. */
  xterm = path_in (terminal_dir, "xterm");
  write_file (xterm, "#!/bin/sh\nexit 1\n", -1, 0755);
  g_setenv ("PATH", tools_dir, TRUE);
}

static void
isolate_environment (void)
{
  g_autofree char *data_home = path_in (root, "data-home");
  g_autofree char *config_home = path_in (root, "config-home");
  g_autofree char *data_dirs = path_in (root, "data-dirs");
  g_autofree char *config_dirs = path_in (root, "config-dirs");
  g_autofree char *cache_home = path_in (root, "cache-home");
  g_autofree char *no_bus = g_strconcat ("unix:path=", root, "/no-such-bus", NULL);

  make_dir (data_home);
  make_dir (config_home);
  make_dir (data_dirs);
  make_dir (config_dirs);
  make_dir (cache_home);

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_DATA_DIRS", data_dirs, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", config_dirs, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  /* No desktop-specific mimeapps.list, and no session bus to announce
   * launches on: this test owns every association there is. */
  g_unsetenv ("XDG_CURRENT_DESKTOP");
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", no_bus, TRUE);

  /* Only the tools the fixtures' scripts use: whether a terminal is
   * installed is the test's to say (see isolate_path ()). */
  isolate_path ();

  /* Set so that its absence in the children means something. */
  g_setenv ("VT_API_KEY", SECRET_KEY, TRUE);
  g_setenv ("CF_TEST_INHERITED", "inherited", TRUE);
}

static void
write_desktop_fixtures (void)
{
  g_autofree char *bin_dir = path_in (root, "bin");
  g_autofree char *apps_dir = g_build_filename (root, "data-home", "applications", NULL);
  g_autofree char *mime_dir = g_build_filename (root, "data-home", "mime", NULL);
  g_autofree char *recorder_sh = path_in (bin_dir, "recorder.sh");
  g_autofree char *self_sh = path_in (bin_dir, "check-first.sh");
  g_autofree char *script = NULL;
  g_autofree char *desktop = NULL;
  g_autofree char *path = NULL;

  make_dir (bin_dir);
  make_dir (apps_dir);
  make_dir (mime_dir);

  recorder_args = path_in (root, "recorder.args");
  recorder_env = path_in (root, "recorder.env");
  self_launched = path_in (root, "self-launched");

  /* Written under a temporary name and moved, so that a poller never sees
   * half a file. */
  script = g_strdup_printf ("#!/bin/sh\n"
                            "env > '%s.tmp'\n"
                            "printf '%%s\\n' \"$@\" > '%s.tmp'\n"
                            "mv '%s.tmp' '%s'\n"
                            "mv '%s.tmp' '%s'\n",
                            recorder_env, recorder_args,
                            recorder_env, recorder_env,
                            recorder_args, recorder_args);
  write_file (recorder_sh, script, -1, 0755);
  g_clear_pointer (&script, g_free);

  /* Stands in for Check First itself: opening a file with it again would
   * loop, so its only job here is to be caught if that happens. */
  script = g_strdup_printf ("#!/bin/sh\n"
                            "touch '%s'\n"
                            "exec /bin/false\n",
                            self_launched);
  write_file (self_sh, script, -1, 0755);

  desktop = g_strdup_printf ("[Desktop Entry]\n"
                             "Type=Application\n"
                             "Name=Recorder\n"
                             "Exec=\"%s\" %%f\n"
                             "MimeType=text/plain;\n",
                             recorder_sh);
  path = path_in (apps_dir, "recorder.desktop");
  write_file (path, desktop, -1, 0644);
  g_clear_pointer (&desktop, g_free);
  g_clear_pointer (&path, g_free);

  desktop = g_strdup_printf ("[Desktop Entry]\n"
                             "Type=Application\n"
                             "Name=Check First\n"
                             "Exec=\"%s\" %%U\n"
                             "MimeType=text/plain;" ONLY_SELF_TYPE ";\n",
                             self_sh);
  path = path_in (apps_dir, SELF_ID ".desktop");
  write_file (path, desktop, -1, 0644);
  g_clear_pointer (&path, g_free);

  /* Handles text too, but is not meant to be shown, so never chosen. */
  path = path_in (apps_dir, "hidden.desktop");
  write_file (path,
              "[Desktop Entry]\n"
              "Type=Application\n"
              "Name=Hidden\n"
              "Exec=/bin/false %f\n"
              "NoDisplay=true\n"
              "MimeType=text/plain;\n",
              -1, 0644);
  g_clear_pointer (&path, g_free);

  /* For the person's order: each handles one of the order types. */
  {
    static const struct { const char *id; const char *types; gboolean terminal; } apps[] = {
      { "first-claimer", ORDER_TYPE ";" ADDED_TYPE ";", FALSE },
      { "second", ORDER_TYPE ";", FALSE },
      { "third", ADDED_TYPE ";", FALSE },
      { "term-editor", TERMINAL_TYPE ";" TERMINAL_ONLY_TYPE ";", TRUE },
      { "gui-editor", TERMINAL_TYPE ";", FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (apps); i++)
      {
        g_autofree char *name = g_strconcat (apps[i].id, ".desktop", NULL);
        g_autofree char *text = g_strdup_printf ("[Desktop Entry]\n"
                                                 "Type=Application\n"
                                                 "Name=%s\n"
                                                 "Exec=/bin/false %%f\n"
                                                 "Terminal=%s\n"
                                                 "MimeType=%s\n",
                                                 apps[i].id, apps[i].terminal ? "true" : "false",
                                                 apps[i].types);

        g_clear_pointer (&path, g_free);
        path = path_in (apps_dir, name);
        write_file (path, text, -1, 0644);
      }
    g_clear_pointer (&path, g_free);
  }

  /* GIO finds the handlers of a type through this index (which
   * update-desktop-database writes), not the MimeType keys themselves.  The
   * hidden one and Check First come first, so the search must skip both. */
  path = path_in (apps_dir, "mimeinfo.cache");
  write_file (path,
              "[MIME Cache]\n"
              "text/plain=hidden.desktop;" SELF_ID ".desktop;recorder.desktop;\n"
              ONLY_SELF_TYPE "=" SELF_ID ".desktop;\n"
              ORDER_TYPE "=" SELF_ID ".desktop;first-claimer.desktop;second.desktop;\n"
              ADDED_TYPE "=" SELF_ID ".desktop;first-claimer.desktop;third.desktop;\n"
              TERMINAL_TYPE "=" SELF_ID ".desktop;term-editor.desktop;gui-editor.desktop;\n"
              TERMINAL_ONLY_TYPE "=" SELF_ID ".desktop;term-editor.desktop;\n",
              -1, 0644);
  g_clear_pointer (&path, g_free);

  path = g_build_filename (root, "config-home", "mimeapps.list", NULL);
  write_file (path,
              "[Default Applications]\n"
              "text/plain=" SELF_ID ".desktop;\n"
              /* The person's second choice, after Check First. */
              ORDER_TYPE "=" SELF_ID ".desktop;second.desktop;\n"
              ADDED_TYPE "=" SELF_ID ".desktop;\n"
              TERMINAL_TYPE "=" SELF_ID ".desktop;term-editor.desktop;gui-editor.desktop;\n"
              TERMINAL_ONLY_TYPE "=" SELF_ID ".desktop;term-editor.desktop;\n"
              "\n"
              "[Added Associations]\n"
              ADDED_TYPE "=third.desktop;first-claimer.desktop;\n",
              -1, 0644);
  g_clear_pointer (&path, g_free);

  /* A hand-written shared-mime-info database: the test's content types do
   * not depend on what the machine has installed. */
  path = path_in (mime_dir, "globs2");
  write_file (path,
              "50:text/plain:*.txt\n"
              "50:" ONLY_SELF_TYPE ":*.cfonly\n"
              "50:" TERMINAL_ONLY_TYPE ":*.cfterm\n",
              -1, 0644);
}

/* cf_launcher_is_executable */

typedef struct
{
  const char *name;
  gboolean    expected;
} ExecutableCase;

static const ExecutableCase executable_cases[] = {
  { "elf", TRUE },
  { "elf-without-x", FALSE },
  { "script", TRUE },
  { "script-without-x", FALSE },
  { "symlink-to-script", TRUE },
  { "text-with-x", FALSE },
  { "empty-with-x", FALSE },
  { "hash-only-with-x", FALSE },
  { "directory", FALSE },
  { "fifo", FALSE },
  { "missing", FALSE },
};

static void
write_executable_fixtures (void)
{
  static const char script[] = "#!/bin/sh\nexit 0\n";
  g_autofree char *dir = path_in (root, "executables");
  g_autofree char *elf = NULL;
  g_autofree char *symlink_path = path_in (dir, "symlink-to-script");
  g_autofree char *directory = path_in (dir, "directory");
  g_autofree char *fifo = path_in (dir, "fifo");
  g_autoptr(GError) error = NULL;
  gsize elf_len;
  struct
  {
    const char *name;
    const char *contents;
    gssize      length;
    int         mode;
  } files[] = {
    { "elf", NULL, 0, 0755 },
    { "elf-without-x", NULL, 0, 0644 },
    { "script", script, -1, 0755 },
    { "script-without-x", script, -1, 0644 },
    { "text-with-x", "just some words\n", -1, 0755 },
    { "empty-with-x", "", -1, 0755 },
    { "hash-only-with-x", "#", -1, 0755 },
  };

  make_dir (dir);

  g_file_get_contents ("/bin/true", &elf, &elf_len, &error);
  g_assert_no_error (error);
  files[0].contents = files[1].contents = elf;
  files[0].length = files[1].length = (gssize) elf_len;

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = path_in (dir, files[i].name);

      write_file (path, files[i].contents, files[i].length, files[i].mode);
    }

  g_assert_cmpint (symlink ("script", symlink_path), ==, 0);
  make_dir (directory);
  /* A FIFO with no writer: opening it to read would wait forever. */
  g_assert_cmpint (mkfifo (fifo, 0755), ==, 0);
  g_assert_cmpint (g_chmod (fifo, 0755), ==, 0);
}

static void
test_is_executable (gconstpointer data)
{
  const ExecutableCase *test_case = data;
  g_autofree char *path = g_build_filename (root, "executables", test_case->name, NULL);

  g_assert_cmpint (cf_launcher_is_executable (path), ==, test_case->expected);
}

/* cf_launcher_default_app */

static void
assert_default_app (const char *content_type,
                    const char *self_id,
                    const char *expected_id)
{
  g_autoptr(GAppInfo) app = cf_launcher_default_app (content_type, self_id, NULL);

  if (expected_id == NULL)
    {
      g_assert_null (app);
      return;
    }

  g_assert_nonnull (app);
  g_assert_cmpstr (g_app_info_get_id (app), ==, expected_id);
}

static void
test_default_app_skips_self (void)
{
  assert_default_app ("text/plain", SELF_ID, "recorder.desktop");
  assert_default_app ("text/plain", SELF_ID ".desktop", "recorder.desktop");
}

static void
test_default_app_keeps_other_default (void)
{
  /* Whoever else is asking, the user's default is the answer. */
  assert_default_app ("text/plain", "org.example.Other", SELF_ID ".desktop");
  assert_default_app ("text/plain", NULL, SELF_ID ".desktop");
}

static void
test_default_app_only_self (void)
{
  assert_default_app (ONLY_SELF_TYPE, SELF_ID, NULL);
  assert_default_app ("application/x-nobody-opens-this", SELF_ID, NULL);
}

/* Check First is first: the file goes where the person put next in line,
 * not to the first application that happens to claim the type. */
static void
test_default_app_persons_order (void)
{
  assert_default_app (ORDER_TYPE, SELF_ID, "second.desktop");
  /* Then the applications the person added for the type. */
  assert_default_app (ADDED_TYPE, SELF_ID, "third.desktop");
}

/* An application that needs a terminal is passed over when there is none,
 * and that is said; with a terminal installed it is the person's choice. */
static void
test_default_app_terminal (void)
{
  g_autofree char *with_terminal = g_strconcat (tools_dir, ":", terminal_dir, NULL);
  g_autoptr(GAppInfo) app = NULL;
  g_autoptr(GAppInfo) only = NULL;
  g_autoptr(GAppInfo) with = NULL;
  gboolean skipped = FALSE;

  app = cf_launcher_default_app (TERMINAL_TYPE, SELF_ID, &skipped);
  g_assert_nonnull (app);
  g_assert_cmpstr (g_app_info_get_id (app), ==, "gui-editor.desktop");
  g_assert_true (skipped);

  only = cf_launcher_default_app (TERMINAL_ONLY_TYPE, SELF_ID, &skipped);
  g_assert_null (only);
  g_assert_true (skipped);

  g_setenv ("PATH", with_terminal, TRUE);
  with = cf_launcher_default_app (TERMINAL_TYPE, SELF_ID, &skipped);
  g_setenv ("PATH", tools_dir, TRUE);
  g_assert_nonnull (with);
  g_assert_cmpstr (g_app_info_get_id (with), ==, "term-editor.desktop");
  g_assert_false (skipped);
}

/* Opening a file only a terminal application handles, with no terminal:
 * the error says what is missing. */
static void
test_open_needs_terminal (void)
{
  g_autofree char *path = path_in (work_dir, "notes.cfterm");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  write_file (path, "plain words\n", -1, 0644);
  g_assert_false (cf_launcher_launch (file, SELF_ID, NULL, &error));
  g_assert_error (error, CF_LAUNCHER_ERROR, CF_LAUNCHER_ERROR_NO_APPLICATION);
  g_assert_nonnull (strstr (error->message, "no terminal is installed"));
}

/* Running executables */

/* Puts the marker script in its own folder, named to trip anything that
 * passes it through a shell or takes it for an option. */
static char *
write_marker_script (const char *folder_name)
{
  g_autofree char *folder = path_in (work_dir, folder_name);
  char *script = path_in (folder, "-dash script.sh");

  make_dir (folder);
  write_file (script,
              "#!/bin/sh\n"
              "env > env.tmp && mv env.tmp env.txt\n"
              "{ pwd -P; printf '%s\\n' \"$0\"; } > marker.tmp && mv marker.tmp marker\n",
              -1, 0755);

  return script;
}

/* Returns the environment the script saw. */
static char *
assert_marker_script_ran (const char *script)
{
  g_autofree char *folder = g_path_get_dirname (script);
  g_autofree char *marker = path_in (folder, "marker");
  g_autofree char *env_path = path_in (folder, "env.txt");
  g_autofree char *contents = NULL;
  g_autofree char *real_folder = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (wait_for_file (marker));

  contents = read_text (marker);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 2);

  real_folder = realpath (folder, NULL);
  g_assert_nonnull (real_folder);
  /* The working directory was the file's folder ... */
  g_assert_cmpstr (lines[0], ==, real_folder);
  /* ... and the program was started by its absolute path. */
  g_assert_cmpstr (lines[1], ==, script);

  return read_text (env_path);
}

static void
test_run_executable (void)
{
  g_autofree char *script = write_marker_script ("run here");
  g_autoptr(GFile) file = g_file_new_for_path (script);
  g_autoptr(GError) error = NULL;
  g_autofree char *env_dump = NULL;

  g_assert_true (cf_launcher_is_executable (script));

  cf_launcher_launch (file, SELF_ID, NULL, &error);
  g_assert_no_error (error);

  env_dump = assert_marker_script_ran (script);
  g_assert_false (environment_has (env_dump, "VT_API_KEY="));
  g_assert_true (environment_has (env_dump, "CF_TEST_INHERITED=inherited"));
  g_assert_cmpstr (g_getenv ("VT_API_KEY"), ==, SECRET_KEY);
}

static void
test_run_executable_with_context (void)
{
  g_autofree char *script = write_marker_script ("run with context");
  g_autoptr(GFile) file = g_file_new_for_path (script);
  g_autoptr(GAppLaunchContext) context = g_app_launch_context_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *env_dump = NULL;

  g_app_launch_context_setenv (context, "CF_FROM_CONTEXT", "yes");
  g_app_launch_context_setenv (context, "VT_API_KEY", "from-the-context");

  cf_launcher_launch (file, SELF_ID, context, &error);
  g_assert_no_error (error);

  env_dump = assert_marker_script_ran (script);
  g_assert_true (environment_has (env_dump, "CF_FROM_CONTEXT=yes"));
  g_assert_false (environment_has (env_dump, "VT_API_KEY="));
}

/* Opening files in applications */

static void
open_with_recorder (GAppLaunchContext *context)
{
  g_autofree char *note = path_in (work_dir, "note.txt");
  g_autoptr(GFile) file = g_file_new_for_path (note);
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;
  g_autofree char *env_dump = NULL;
  g_autofree char *expected_args = NULL;

  g_remove (recorder_args);
  g_remove (recorder_env);
  write_file (note, "Some notes, not a program.\n", -1, 0644);

  cf_launcher_launch (file, SELF_ID, context, &error);
  g_assert_no_error (error);

  g_assert_true (wait_for_file (recorder_args));
  args = read_text (recorder_args);
  expected_args = g_strconcat (note, "\n", NULL);
  g_assert_cmpstr (args, ==, expected_args);

  env_dump = read_text (recorder_env);
  g_assert_false (environment_has (env_dump, "VT_API_KEY="));
  g_assert_true (environment_has (env_dump, "CF_TEST_INHERITED=inherited"));

  g_assert_false (g_file_test (self_launched, G_FILE_TEST_EXISTS));
}

static void
test_open_text_file (void)
{
  open_with_recorder (NULL);
}

static void
test_open_text_file_with_context (void)
{
  g_autoptr(GAppLaunchContext) context = g_app_launch_context_new ();

  g_app_launch_context_setenv (context, "VT_API_KEY", "from-the-context");
  open_with_recorder (context);
}

static void
test_no_application (void)
{
  g_autofree char *path = path_in (work_dir, "only.cfonly");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  write_file (path, "only Check First reads this\n", -1, 0644);

  g_assert_false (cf_launcher_launch (file, SELF_ID, NULL, &error));
  g_assert_error (error, CF_LAUNCHER_ERROR, CF_LAUNCHER_ERROR_NO_APPLICATION);
  g_assert_nonnull (strstr (error->message, "“only.cfonly”"));
  g_assert_nonnull (strstr (error->message, ONLY_SELF_TYPE));
  g_assert_false (g_file_test (self_launched, G_FILE_TEST_EXISTS));
}

static void
test_not_local (void)
{
  g_autoptr(GFile) file = g_file_new_for_uri ("sftp://example.invalid/x");
  g_autoptr(GError) error = NULL;

  g_assert_false (cf_launcher_launch (file, SELF_ID, NULL, &error));
  g_assert_error (error, CF_LAUNCHER_ERROR, CF_LAUNCHER_ERROR_NOT_LOCAL);
  g_assert_nonnull (strstr (error->message, "sftp://example.invalid/x"));
}

static void
test_missing_file (void)
{
  g_autofree char *path = path_in (work_dir, "gone.txt");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_false (cf_launcher_launch (file, SELF_ID, NULL, &error));
  g_assert_error (error, CF_LAUNCHER_ERROR, CF_LAUNCHER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "“gone.txt”"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* GIO reads the XDG folders once, on first use: isolate before anything
   * else runs. */
  root = g_dir_make_tmp ("cf-test-launcher-XXXXXX", &error);
  g_assert_no_error (error);
  isolate_environment ();
  write_desktop_fixtures ();
  write_executable_fixtures ();
  work_dir = path_in (root, "work");
  make_dir (work_dir);

  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (executable_cases); i++)
    {
      g_autofree char *test_path = g_strconcat ("/cf/launcher/is-executable/",
                                                executable_cases[i].name, NULL);

      g_test_add_data_func (test_path, &executable_cases[i], test_is_executable);
    }

  g_test_add_func ("/cf/launcher/default-app/skips-self", test_default_app_skips_self);
  g_test_add_func ("/cf/launcher/default-app/keeps-other-default",
                   test_default_app_keeps_other_default);
  g_test_add_func ("/cf/launcher/default-app/only-self", test_default_app_only_self);
  g_test_add_func ("/cf/launcher/default-app/persons-order", test_default_app_persons_order);
  g_test_add_func ("/cf/launcher/default-app/terminal", test_default_app_terminal);
  g_test_add_func ("/cf/launcher/open-needs-terminal", test_open_needs_terminal);
  g_test_add_func ("/cf/launcher/run-executable", test_run_executable);
  g_test_add_func ("/cf/launcher/run-executable-with-context", test_run_executable_with_context);
  g_test_add_func ("/cf/launcher/open-text-file", test_open_text_file);
  g_test_add_func ("/cf/launcher/open-text-file-with-context", test_open_text_file_with_context);
  g_test_add_func ("/cf/launcher/no-application", test_no_application);
  g_test_add_func ("/cf/launcher/not-local", test_not_local);
  g_test_add_func ("/cf/launcher/missing-file", test_missing_file);

  ret = g_test_run ();

  remove_tree (root);
  g_free (root);
  g_free (work_dir);
  g_free (recorder_args);
  g_free (recorder_env);
  g_free (self_launched);
  g_free (tools_dir);
  g_free (terminal_dir);

  return ret;
}
