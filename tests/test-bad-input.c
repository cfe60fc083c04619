/* test-bad-input.c: the CLI facing files, names, lists and servers that are not what it hopes for
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every case ends in a clear message and the right exit status, and loses
 * nothing: the good files given in the same run are still checked and
 * printed, in order.  broken_promise () fails the test with a sentence
 * that says which promise was broken.
 */

#include "config.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cf-hasher.h"
#include "cf-test-util.h"

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define NOBODY 65534

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

/* The CLI, with a time limit, in a folder, as someone else if need be; its
 * output kept byte for byte, since whether it is UTF-8 is under test. */
typedef struct
{
  int     status;       /* exit status; -1 killed by a signal; -2 timed out */
  char   *out;
  char   *err;
  double  seconds;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

typedef struct
{
  GBytes  *out;
  GBytes  *err;
  GError  *error;
  gboolean done;
} Communication;

static void
communicate_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Communication *c = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (object), result, &c->out, &c->err, &c->error);
  c->done = TRUE;
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs in the child between fork and exec. */
static void
become_nobody (gpointer user_data)
{
  if (setgroups (0, NULL) != 0 || setgid (NOBODY) != 0 || setuid (NOBODY) != 0)
    _exit (126);
}

/* "nobody" may not be able to reach the build folder (a checkout in a
 * home folder of mode 0700): it runs a copy of the binary from a folder
 * everyone can enter.  The binary links the project's own code statically. */
static char *nobody_dir;

static const char *
binary_for_nobody (void)
{
  static char *copy;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (copy != NULL)
    return copy;

  nobody_dir = cf_test_make_tmpdir ();
  g_assert_cmpint (g_chmod (nobody_dir, 0755), ==, 0);
  copy = g_build_filename (nobody_dir, "check-first", NULL);
  g_assert_true (g_file_get_contents (g_getenv ("CHECK_FIRST_BIN"), &contents, &length, &error));
  g_assert_true (g_file_set_contents (copy, contents, length, &error));
  g_assert_cmpint (g_chmod (copy, 0755), ==, 0);
  return copy;
}

/* The same for the module the tests preload, when they do. */
static char **
environ_for_nobody (char **env)
{
  const char *preload = g_environ_getenv (env, "LD_PRELOAD");
  g_autofree char *contents = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  env = g_strdupv (env);
  if (preload == NULL || *preload == '\0')
    return env;

  binary_for_nobody ();
  copy = g_build_filename (nobody_dir, "preload.so", NULL);
  g_assert_true (g_file_get_contents (preload, &contents, &length, &error));
  g_assert_true (g_file_set_contents (copy, contents, length, &error));
  g_assert_cmpint (g_chmod (copy, 0755), ==, 0);
  return g_environ_setenv (env, "LD_PRELOAD", copy, TRUE);
}

static Run *
run_cli (char               **env,
         const char          *cwd,
         gboolean             as_nobody,
         const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (60);
  g_autoptr(GBytes) stdin_bytes = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  Communication c = { NULL, NULL, NULL, FALSE };
  gboolean timed_out = FALSE;
  gint64 start = g_get_monotonic_time ();
  Run *run = g_new0 (Run, 1);

  g_ptr_array_add (argv, (gpointer) (as_nobody ? binary_for_nobody () : g_getenv ("CHECK_FIRST_BIN")));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_set_cwd (launcher, cwd);
  if (as_nobody)
    {
      g_auto(GStrv) nobody_env = environ_for_nobody (env);

      g_subprocess_launcher_set_environ (launcher, nobody_env);
      g_subprocess_launcher_set_child_setup (launcher, become_nobody, NULL, NULL);
    }
  else
    g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_main_context_push_thread_default (context);
  g_source_set_callback (timeout, set_flag, &timed_out, NULL);
  g_source_attach (timeout, context);
  g_subprocess_communicate_async (process, stdin_bytes, NULL, communicate_done, &c);
  while (!c.done && !timed_out)
    g_main_context_iteration (context, TRUE);
  if (!c.done)
    g_subprocess_force_exit (process);
  while (!c.done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);
  g_assert_no_error (c.error);
  g_subprocess_wait (process, NULL, NULL);

  run->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  run->status = timed_out ? -2 : g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  run->out = g_malloc0 (g_bytes_get_size (c.out) + 1);
  run->err = g_malloc0 (g_bytes_get_size (c.err) + 1);
  if (g_bytes_get_size (c.out) > 0)
    memcpy (run->out, g_bytes_get_data (c.out, NULL), g_bytes_get_size (c.out));
  if (g_bytes_get_size (c.err) > 0)
    memcpy (run->err, g_bytes_get_data (c.err, NULL), g_bytes_get_size (c.err));
  g_assert_cmpuint (strlen (run->out), ==, g_bytes_get_size (c.out));
  g_bytes_unref (c.out);
  g_bytes_unref (c.err);
  if (g_test_verbose ())
    g_test_message ("exit %d after %.1f s\nstdout:\n%s\nstderr:\n%s", run->status, run->seconds, run->out, run->err);
  return run;
}

/* Why @text is not safe to print on a terminal, or NULL: not UTF-8, or a
 * C0, DEL or C1 control character other than the newline ending a line. */
static char *
terminal_problem (const char *text)
{
  const char *end = NULL;

  if (!g_utf8_validate (text, -1, &end))
    return g_strdup_printf ("byte %" G_GSIZE_FORMAT " is not UTF-8", (gsize) (end - text));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f))
        return g_strdup_printf ("raw control character U+%04X at byte %" G_GSIZE_FORMAT, c, (gsize) (p - text));
    }
  return NULL;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

/* Fixture: a fake server that knows the good files, and the CLI's env */

typedef struct
{
  char      *dir;
  char      *data;
  CfFakeVt  *fake;
  char     **env;
  char      *good;
  char      *good_sha256;
  char      *other;
} Fixture;

static char *
sha256_of (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  char *sha256 = cf_hasher_hash_file (file, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return sha256;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *settings = NULL;

  /* Open to all, so that a run as nobody can reach the good files. */
  f->dir = cf_test_make_tmpdir ();
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
  f->data = g_build_filename (f->dir, "home", NULL);
  g_assert_cmpint (g_mkdir (f->data, 0700), ==, 0);
  if (getuid () == 0)
    g_assert_cmpint (chown (f->data, NOBODY, NOBODY), ==, 0);
  f->fake = cf_test_fake_vt_new ();
  f->env = cf_test_cli_env (f->fake, f->data, CF_TEST_KEY);

  /* The premium plan without limits: --rate=0 does not lift the public
   * four requests a minute (see /cf/bad-input/options/rate-zero). */
  settings = g_build_filename (f->data, "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (settings, 0755), ==, 0);
  g_free (cf_test_write_file (settings, "keyfile", "[io/github/checkfirst/CheckFirst]\napi-plan='premium'\n",
                              -1, 0644));
  f->env = g_environ_setenv (f->env, "GSETTINGS_BACKEND", "keyfile", TRUE);

  f->good = cf_test_write_file (f->dir, "good.txt", "a good file\n", -1, 0644);
  f->other = cf_test_write_file (f->dir, "other.txt", "another good file\n", -1, 0644);
  f->good_sha256 = sha256_of (f->good);
  cf_fake_vt_register_file (f->fake, f->good, "clean", &error);
  g_assert_no_error (error);
  cf_fake_vt_register_file (f->fake, f->other, "clean", &error);
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
  g_free (f->good);
  g_free (f->good_sha256);
  g_free (f->other);
}

#define ADD(path, data, func) g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

/* The matrix of files */

typedef enum
{
  MAKE_NOTHING,
  MAKE_FILE,
  MAKE_EMPTY_FILE,
  MAKE_SECRET_FILE,   /* for root only; the CLI runs as nobody */
  MAKE_FOLDER,
  MAKE_FIFO,
  MAKE_SYMLINK_LOOP,
} Make;

typedef struct
{
  const char *name;
  Make        make;
  const char *file;       /* made in f->dir */
  const char *arg;        /* given to the CLI, relative to f->dir; NULL: file's URI */
  const char *message;    /* NULL: the file is checked */
  gboolean    dashes;     /* after "--" */
  gboolean    hostile;    /* a name that could forge text output */
} FileCase;

static const FileCase file_cases[] = {
  { "missing", MAKE_NOTHING, NULL, "not-here.txt", "does not exist" },
  { "directory", MAKE_FOLDER, "a folder", "a folder", "is a folder" },
  { "fifo", MAKE_FIFO, "pipe", "pipe", "is a named pipe" },
  { "dev-zero", MAKE_NOTHING, NULL, "/dev/zero", "is a device" },
  { "unreadable", MAKE_SECRET_FILE, "secret.txt", "secret.txt", "permission" },
  { "symlink-loop", MAKE_SYMLINK_LOOP, "loop-a", "loop-a", "points back to itself" },
  { "missing-resource", MAKE_NOTHING, NULL, "resource:///io/github/checkfirst/CheckFirst/gone.css", "does not exist" },
  { "hostile-name", MAKE_NOTHING, NULL, "gone-\x1b[2J\x1b]0;pwned\x07-\r-\xc2\x9b" "31m-name", "does not exist", FALSE, TRUE },
  { "newline-forges-a-line", MAKE_NOTHING, NULL, "gone\nallowed    invoice.pdf.exe  No engine flagged it",
    "does not exist", FALSE, TRUE },
  { "zero-length", MAKE_EMPTY_FILE, "empty", "empty" },
  { "newline", MAKE_FILE, "two\nlines.txt", "two\nlines.txt" },
  { "leading-dash-after-dashes", MAKE_FILE, "-rf.txt", "-rf.txt", NULL, TRUE },
  { "leading-dash-dot-slash", MAKE_FILE, "-n.txt", "./-n.txt" },
  { "spaces", MAKE_FILE, "  spaced  out .txt ", "  spaced  out .txt " },
  { "not-utf8", MAKE_FILE, "latin1-caf\xe9-\xff\xfe.txt", "latin1-caf\xe9-\xff\xfe.txt" },
  { "file-uri", MAKE_FILE, "by uri.txt", NULL },
  /* Compiled into the program: a location that is not a local path. */
  { "resource-uri", MAKE_NOTHING, NULL, "resource:///io/github/checkfirst/CheckFirst/style.css" },
};

/* Makes the case's file; returns the argument for the CLI. */
static char *
make_case (Fixture        *f,
           const FileCase *c)
{
  g_autofree char *path = c->file != NULL ? g_build_filename (f->dir, c->file, NULL) : NULL;

  switch (c->make)
    {
    case MAKE_FILE:
    case MAKE_EMPTY_FILE:
    case MAKE_SECRET_FILE:
      /* Each file its own content: one is never the cached answer of another. */
      g_free (cf_test_write_file (f->dir, c->file, c->make == MAKE_EMPTY_FILE ? "" : c->name, -1,
                                  c->make == MAKE_SECRET_FILE ? 0600 : 0644));
      if (c->make == MAKE_SECRET_FILE && getuid () != 0)
        g_assert_cmpint (g_chmod (path, 0), ==, 0);
      break;
    case MAKE_FOLDER:
      g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
      break;
    case MAKE_FIFO:
      g_assert_cmpint (mkfifo (path, 0644), ==, 0);
      break;
    case MAKE_SYMLINK_LOOP:
      {
        g_autofree char *other = g_build_filename (f->dir, "loop-b", NULL);

        g_assert_cmpint (symlink ("loop-b", path), ==, 0);
        g_assert_cmpint (symlink (c->file, other), ==, 0);
      }
      break;
    case MAKE_NOTHING:
    default:
      break;
    }

  return c->arg != NULL ? g_strdup (c->arg) : g_filename_to_uri (path, NULL, NULL);
}

static const char *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

/* The bad file between two good ones. */
static Run *
run_three (Fixture        *f,
           const FileCase *c,
           const char     *format,
           const char     *arg)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, "--check");
  if (format != NULL)
    g_ptr_array_add (args, (gpointer) format);
  if (c->dashes)
    g_ptr_array_add (args, "--");
  g_ptr_array_add (args, f->good);
  g_ptr_array_add (args, (gpointer) arg);
  g_ptr_array_add (args, f->other);
  g_ptr_array_add (args, NULL);
  return run_cli (f->env, f->dir, c->make == MAKE_SECRET_FILE && getuid () == 0,
                  (const char * const *) args->pdata);
}

static void
test_file_case (Fixture       *f,
                gconstpointer  data)
{
  const FileCase *c = data;
  g_autofree char *arg = make_case (f, c);
  g_autofree char *sha256 = NULL;
  int expected = c->message != NULL ? 2 : 0;
  g_autoptr(Run) json = NULL;
  g_autoptr(Run) text = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *problem = NULL;

  if (c->message == NULL)
    {
      g_autoptr(Run) hash = run_cli (f->env, f->dir, FALSE,
                                     (const char *[]) { "--hash", "--", arg, NULL });
      g_assert_cmpint (hash->status, ==, 0);
      /* sha256sum's escaping of a name with a newline: a leading backslash. */
      sha256 = g_strndup (hash->out + (hash->out[0] == '\\'), 64);
      if (c->make == MAKE_EMPTY_FILE)
        g_assert_cmpstr (sha256, ==, EMPTY_SHA256);
    }

  /* A good file before and after the bad one: all three come out, in order,
   * and nothing is waited on (a FIFO with no writer would run into the bound of run_cli). */
  json = run_three (f, c, "--json", arg);
  g_assert_cmpint (json->status, ==, expected);
  g_assert_true (g_utf8_validate (json->out, -1, NULL));
  rows = cf_test_parse_json_lines (json->out);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (member (rows->pdata[0], "sha256"), ==, f->good_sha256);
  g_assert_cmpstr (member (rows->pdata[0], "status"), ==, "clean");
  g_assert_cmpstr (member (rows->pdata[2], "status"), ==, "clean");
  if (c->message != NULL)
    {
      g_assert_cmpstr (member (rows->pdata[1], "status"), ==, "error");
      g_assert_nonnull (strstr (member (rows->pdata[1], "error"), c->message));
      g_assert_true (g_utf8_validate (member (rows->pdata[1], "path"), -1, NULL));
    }
  else
    {
      g_assert_cmpstr (member (rows->pdata[1], "sha256"), ==, sha256);
      g_assert_cmpstr (member (rows->pdata[1], "decision"), ==, "allow");
    }

  /* The same as text: one line per file, nothing that rewrites a terminal. */
  text = run_three (f, c, NULL, arg);
  g_assert_cmpint (text->status, ==, expected);
  if (c->message != NULL)
    g_assert_nonnull (strstr (text->out, c->message));
  problem = terminal_problem (text->out);
  if (problem == NULL && count_lines (text->out) != 3)
    problem = g_strdup_printf ("%u lines of output for 3 files", count_lines (text->out));
  if (problem == NULL)
    problem = terminal_problem (text->err);
  if (problem != NULL && c->hostile)
    broken_promise ("text output is not safe to print (%s): printable_path () lets C1 controls "
               "through, and the error message repeats the file name unescaped", problem);
  else
    g_assert_null (problem);
}

/* Every other option that takes a path: --hash FILE and --lookup
 * --input=FILE.  A bad path gets its message on stderr, exit status 2, at
 * once and safe for a terminal; a named pipe is the one case that waits
 * (see /cf/bad-input/input/pipe-with-writer). */
static void
test_path_options (Fixture       *f,
                   gconstpointer  data)
{
  const FileCase *c = data;
  g_autofree char *arg = make_case (f, c);
  g_autofree char *input = g_strconcat ("--input=", arg, NULL);
  gboolean as_nobody = c->make == MAKE_SECRET_FILE && getuid () == 0;
  g_autoptr(Run) hash = run_cli (f->env, f->dir, as_nobody,
                                 (const char *[]) { "--hash", "--", arg, NULL });
  g_autoptr(Run) lookup = NULL;
  g_autofree char *problem = NULL;

  g_assert_cmpint (hash->status, ==, 2);
  g_assert_cmpstr (hash->out, ==, "");
  g_assert_nonnull (strstr (hash->err, c->message));
  g_assert_null ((problem = terminal_problem (hash->err)));

  if (c->make == MAKE_FIFO)
    return;
  lookup = run_cli (f->env, f->dir, as_nobody, (const char *[]) { "--lookup", input, NULL });
  g_assert_cmpint (lookup->status, ==, 2);
  g_assert_cmpstr (lookup->out, ==, "");
  if (c->make == MAKE_NOTHING && g_str_has_prefix (arg, "resource:"))
    g_assert_nonnull (strstr (lookup->err, "does not exist"));
  else
    g_assert_nonnull (strstr (lookup->err, c->message));
  g_assert_null ((problem = terminal_problem (lookup->err)));
}

typedef struct
{
  GString  *err;
  gboolean  done;
} Watch;

static void
on_err_line (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Watch *watch = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                    result, NULL, NULL);

  if (line == NULL)
    {
      watch->done = TRUE;
      return;
    }
  g_string_append_printf (watch->err, "%s\n", line);
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (object), G_PRIORITY_DEFAULT, NULL,
                                       on_err_line, watch);
}

/* --input=FIFO with nobody writing yet: it says that it waits, and reads
 * the list once a program writes it. */
static void
test_input_pipe_with_writer (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (f->dir, "list.pipe", NULL);
  g_autofree char *input = g_strconcat ("--input=", fifo, NULL);
  g_autofree char *line = g_strdup_printf ("%s  good.txt\n", f->good_sha256);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { g_string_new (NULL), FALSE };
  gint64 bound = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  int fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, f->env);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CHECK_FIRST_BIN"),
                                         "--lookup", "--json", input, NULL);
  g_assert_no_error (error);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  g_data_input_stream_read_line_async (err, G_PRIORITY_DEFAULT, NULL, on_err_line, &watch);

  /* The bound is against a hang, not a measurement. */
  while (strstr (watch.err->str, "waiting for a program to write") == NULL && !watch.done &&
         g_get_monotonic_time () < bound)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (watch.err->str, "is a pipe"));

  fd = open (fifo, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, line, strlen (line)), ==, (gssize) strlen (line));
  close (fd);

  out = g_input_stream_read_bytes (g_subprocess_get_stdout_pipe (process), 1 << 20, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
    g_autoptr(GPtrArray) rows = cf_test_parse_json_lines (text);

    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_cmpstr (member (g_ptr_array_index (rows, 0), "status"), ==, "clean");
  }
  while (!watch.done)
    g_main_context_iteration (NULL, TRUE);
  g_string_free (watch.err, TRUE);
}

/* A name that starts with a dash, alone, is a usage error. */
static void
test_dash_without_dashes (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *name = g_strdup ("-rf.txt");
  g_autoptr(Run) run = NULL;

  g_free (cf_test_write_file (f->dir, name, "dash\n", -1, 0644));
  run = run_cli (f->env, f->dir, FALSE, (const char *[]) { "--check", f->good, name, NULL });

  g_assert_nonnull (strstr (run->err, "-rf.txt"));
  if (run->status == 1)
    {
      broken_promise ("an unknown option (“%s”) exits with 1, the status for “blocked”, not 64", name);
      return;
    }
  g_assert_cmpint (run->status, ==, 64);
}

/* GApplication leaves out an integer option whose value is 0. */
static void
test_zero_options (Fixture       *f,
                   gconstpointer  data)
{
  /* The public plan, whose limits --rate=0 is meant to lift. */
  g_auto(GStrv) env = g_environ_setenv (g_strdupv (f->env), "GSETTINGS_BACKEND", "memory", TRUE);
  g_autoptr(Run) quota = run_cli (env, f->dir, FALSE, (const char *[]) { "--quota", "--rate=0", NULL });
  g_autoptr(Run) threshold = run_cli (env, f->dir, FALSE,
                                      (const char *[]) { "--check", "--threshold=0", f->good, NULL });

  g_assert_cmpint (quota->status, ==, 0);
  g_assert_cmpint (threshold->status, !=, 1);
  /* (--quota may have spent a request reading the account's allowance.) */
  if (strstr (quota->out, "used (no limit)") == NULL || threshold->status != 64)
    {
      broken_promise ("--rate=0 does not lift the limits (--quota --rate=0 says: %.40s…) and --threshold=0 "
                 "exits %d instead of 64: GApplication drops integer options whose value is 0",
                 quota->out, threshold->status);
      return;
    }
}

/* A non-local file, in-process: a resource compiled at run time. */
static void
test_non_local_in_process (void)
{
  g_autofree char *dir = cf_test_make_tmpdir ();
  g_autofree char *compiler = g_find_program_in_path ("glib-compile-resources");
  g_autofree char *target = g_build_filename (dir, "test.gresource", NULL);
  g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "non-local words\n", -1);
  g_autoptr(GResource) resource = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  CfFileIdentity identity = { 0 };
  int status = -1;

  if (compiler == NULL)
    {
      g_test_fail_printf ("glib-compile-resources is not installed (it is in libglib2.0-dev-bin)");
      cf_test_rm_rf (dir);
      return;
    }
  g_free (cf_test_write_file (dir, "words.txt", "non-local words\n", -1, 0644));
  g_free (cf_test_write_file (dir, "test.gresource.xml",
                              "<gresources><gresource prefix=\"/org/checkfirst/test\">"
                              "<file>words.txt</file></gresource></gresources>", -1, 0644));
  g_spawn_sync (dir, (char *[]) { compiler, "--target", target, "test.gresource.xml", NULL }, NULL,
                G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  resource = g_resource_load (target, &error);
  g_assert_no_error (error);
  g_resources_register (resource);

  file = g_file_new_for_uri ("resource:///org/checkfirst/test/words.txt");
  g_assert_null (g_file_get_path (file));
  sha256 = cf_hasher_hash_file (file, NULL, NULL, NULL, &identity, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha256, ==, expected);
  g_assert_false (identity.valid);

  g_resources_unregister (resource);
  cf_test_rm_rf (dir);
}

/* --lookup lists */

/* JSON lines as JsonObjects, parsed at once: a parser per line takes
 * minutes for 100 000 lines under AddressSanitizer. */
static GPtrArray *
parse_rows (const char *text)
{
  g_autoptr(GString) array = g_string_new ("[");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *elements;

  for (const char *line = text; *line != '\0';)
    {
      const char *end = strchr (line, '\n');
      gsize length = end != NULL ? (gsize) (end - line) : strlen (line);

      if (length > 0)
        {
          g_string_append_len (array, line, length);
          g_string_append_c (array, ',');
        }
      line += length + (end != NULL);
    }
  if (array->len > 1)
    g_string_truncate (array, array->len - 1);
  g_string_append_c (array, ']');

  json_parser_load_from_data (parser, array->str, array->len, &error);
  g_assert_no_error (error);
  elements = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (elements); i++)
    g_ptr_array_add (rows, json_object_ref (json_array_get_object_element (elements, i)));
  return rows;
}

/* Which lines of @out's JSON rows are answers and which are problems. */
static void
count_rows (GPtrArray *rows,
            guint     *answers,
            GArray    *problem_lines)
{
  *answers = 0;
  for (guint i = 0; i < rows->len; i++)
    {
      const char *error = member (rows->pdata[i], "error");
      char *end = NULL;
      guint64 line;

      if (error == NULL)
        {
          g_assert_nonnull (member (rows->pdata[i], "hash"));
          g_assert_nonnull (member (rows->pdata[i], "status"));
          (*answers)++;
          continue;
        }
      g_assert_true (g_str_has_prefix (error, "line "));
      line = g_ascii_strtoull (error + 5, &end, 10);
      g_assert_cmpint (*end, ==, ':');
      g_array_append_val (problem_lines, line);
    }
}

static int
compare_guint64 (gconstpointer a,
                 gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

static void
test_lookup_huge_list (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GArray) expected_problems = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) problems = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *input = NULL;
  g_autoptr(Run) run = NULL;
  guint valid = 0, answers = 0;

  /* SHA-256, MD5 and SHA-1, a few known to the server. */
  for (guint i = 0; i < 40; i++)
    {
      GChecksumType type = i < 30 ? G_CHECKSUM_SHA256 : i < 35 ? G_CHECKSUM_MD5 : G_CHECKSUM_SHA1;
      char *hash = g_compute_checksum_for_data (type, (const guchar *) &i, sizeof i);

      if (i % 3 == 0 && type == G_CHECKSUM_SHA256)
        cf_fake_vt_register_hash (f->fake, hash, "clean", NULL);
      g_ptr_array_add (pool, hash);
    }

  for (guint64 line = 1; line <= 100000; line++)
    {
      const char *hash = pool->pdata[line % pool->len];

      if (line % 10 == 0)
        g_string_append (list, line % 20 == 0 ? "\n" : "   \t\n");
      else if (line % 10 == 3 || line % 10 == 7)
        {
          /* Invalid hex, then a hash one digit short. */
          if (line % 10 == 3)
            g_string_append_printf (list, "zz%s\n", hash + 2);
          else
            g_string_append_printf (list, "%.*s\n", (int) strlen (hash) - 1, hash);
          g_array_append_val (expected_problems, line);
        }
      else
        {
          g_string_append_printf (list, line % 10 == 5 ? "  %s  \n" : "%s\n", hash);
          valid++;
        }
    }
  input = cf_test_write_file (f->dir, "hashes.txt", list->str, list->len, 0644);

  run = run_cli (f->env, f->dir, FALSE,
                 (const char *[]) { "--lookup", "--json", "--rate=0", "--input", input, NULL });
  g_assert_cmpint (run->status, ==, 2);
  g_assert_nonnull (strstr (run->err, "line 3: "));
  g_assert_nonnull (strstr (run->err, "line 99997: "));
  g_assert_null (strstr (run->err, "line 10: "));
  rows = parse_rows (run->out);
  count_rows (rows, &answers, problems);
  g_assert_cmpuint (answers, ==, valid);
  g_array_sort (problems, compare_guint64);
  g_assert_cmpmem (problems->data, problems->len * sizeof (guint64),
                   expected_problems->data, expected_problems->len * sizeof (guint64));
}

static void
test_lookup_mixed_formats (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *input = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(Run) text = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) problems = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint answers = 0;

  /* Bare, sha256sum and BSD lines, then a CSV header and row, JSON and junk. */
  input = g_strdup_printf ("%s\n%s  ./good.txt\nSHA256 (good.txt) = %s\n\nsha256,path\n%s,/x\n"
                           "{\"sha256\":\"%s\"}\nnot a hash at all\n",
                           f->good_sha256, f->good_sha256, f->good_sha256, EMPTY_SHA256, EMPTY_SHA256);
  g_free (cf_test_write_file (f->dir, "mixed.txt", input, -1, 0644));

  json = run_cli (f->env, f->dir, FALSE, (const char *[]) { "--lookup", "--json", "--input=mixed.txt", NULL });
  g_assert_cmpint (json->status, ==, 2);
  rows = parse_rows (json->out);
  count_rows (rows, &answers, problems);
  g_assert_cmpuint (answers, ==, 3);
  g_assert_cmpuint (problems->len, ==, 4);
  g_assert_cmpuint (g_array_index (problems, guint64, 0), ==, 5);

  text = run_cli (f->env, f->dir, FALSE, (const char *[]) { "--lookup", "--input=mixed.txt", NULL });
  g_assert_cmpint (text->status, ==, 2);
  g_assert_nonnull (strstr (text->out, "line 8: "));
  if (strstr (text->out, "(null)") != NULL)
    broken_promise ("--lookup prints a problem row as “(null): line N: …” in text output");
}

/* Server faults, through the CLI */

typedef struct
{
  const char *name;
  const char *faults[5];
  int         status;
  const char *says;          /* in the text output */
} FaultCase;

static const FaultCase fault_cases[] = {
  { "503-twice-then-ok", { "503", "503" }, 0, "No engine flagged it" },
  { "503-every-time", { "503", "503", "503", "503" }, 2, "temporary problem" },
  { "reset-once", { "reset" }, 0, "No engine flagged it" },
  { "reset-every-time", { "reset", "reset", "reset", "reset" }, 2, "Could not reach VirusTotal" },
  { "truncated-json", { "truncated" }, 2, "not valid JSON" },
  { "html-with-200", { "html" }, 2, "not valid JSON" },
  { "429-retry-after-1", { "429:1" }, 0, "No engine flagged it" },
  { "401", { "401" }, 2, "did not accept the API key" },
  { "huge-reply", { "huge" }, 2, "far larger than any report" },
  { "500-html-every-time", { "500-nonjson", "500-nonjson", "500-nonjson", "500-nonjson" }, 2, "temporary problem" },
};

static void
test_fault (Fixture       *f,
            gconstpointer  data)
{
  const FaultCase *c = data;
  g_autoptr(Run) run = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (c->faults) && c->faults[i] != NULL; i++)
    cf_fake_vt_push_fault (f->fake, c->faults[i]);

  run = run_cli (f->env, f->dir, FALSE, (const char *[]) { "--check", f->good, NULL });
  g_assert_cmpint (run->status, ==, c->status);
  g_assert_nonnull (strstr (run->out, c->says));
  /* What the server sent is not what people read. */
  g_assert_null (strstr (run->out, "<html"));
  g_assert_null (strstr (run->out, "{\""));
  g_assert_null (terminal_problem (run->out));
  g_assert_cmpuint (cf_fake_vt_get_count (f->fake, "faults"), ==, g_strv_length ((char **) c->faults));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (file_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/bad-input/file/%s", file_cases[i].name);
      ADD (path, &file_cases[i], test_file_case);
    }
  for (guint i = 0; i < G_N_ELEMENTS (file_cases); i++)
    {
      g_autofree char *path = NULL;

      if (file_cases[i].message == NULL)
        continue;
      path = g_strdup_printf ("/cf/bad-input/path-options/%s", file_cases[i].name);
      ADD (path, &file_cases[i], test_path_options);
    }
  ADD ("/cf/bad-input/input/pipe-with-writer", NULL, test_input_pipe_with_writer);
  ADD ("/cf/bad-input/options/leading-dash-alone", NULL, test_dash_without_dashes);
  ADD ("/cf/bad-input/options/rate-zero", NULL, test_zero_options);
  g_test_add_func ("/cf/bad-input/file/non-local-in-process", test_non_local_in_process);
  ADD ("/cf/bad-input/lookup/100000-lines", NULL, test_lookup_huge_list);
  ADD ("/cf/bad-input/lookup/mixed-formats", NULL, test_lookup_mixed_formats);
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/bad-input/server/%s", fault_cases[i].name);
      ADD (path, &fault_cases[i], test_fault);
    }

  status = g_test_run ();
  cf_test_rm_rf (nobody_dir);
  g_free (nobody_dir);
  return status;
}
