/* test-trash.c: Move to Trash and its Undo, on a real file system
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HOME and XDG_DATA_HOME point into one scratch folder, so GIO uses the
 * home trash there, laid out as the freedesktop.org specification says.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cf-test-util.h"
#include "cf-trash.h"

static char *scratch;

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_build_filename (scratch, "files", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *trash = g_build_filename (g_get_user_data_dir (), "Trash", NULL);

  cf_test_rm_rf (f->dir);
  cf_test_rm_rf (trash);
  g_free (f->dir);
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

static guint
count_entries (const char *which)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "Trash", which, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static CfTrashed *
trash (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  CfTrashed *trashed = cf_trash_file (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (trashed);
  g_assert_cmpstr (cf_trashed_get_original (trashed), ==, path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  return trashed;
}

/* Trashed and put back: the same bytes, the same place, no trace left. */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  /* A name the info file must escape. */
  g_autofree char *path = cf_test_write_file (f->dir, "invoice 50% été.sh", "#!/bin/sh\n", 10, 0755);
  g_autoptr(CfTrashed) trashed = trash (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *in_trash = read_text (cf_trashed_get_location (trashed));

  g_assert_cmpstr (in_trash, ==, "#!/bin/sh\n");
  g_assert_cmpuint (count_entries ("info"), ==, 1);

  g_assert_true (cf_trashed_restore (trashed, NULL, &error));
  g_assert_no_error (error);
  text = read_text (path);
  g_assert_cmpstr (text, ==, "#!/bin/sh\n");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));
  g_assert_cmpuint (count_entries ("info"), ==, 0);
  g_assert_cmpuint (count_entries ("files"), ==, 0);
}

/* Two files of one name in the Trash: each Undo brings back its own. */
static void
test_same_name (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = cf_test_write_file (f->dir, "setup.sh", "first", 5, 0644);
  g_autoptr(CfTrashed) first = trash (path);
  g_autoptr(CfTrashed) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_free (cf_test_write_file (f->dir, "setup.sh", "second", 6, 0644));
  second = trash (path);
  g_assert_cmpstr (cf_trashed_get_location (first), !=, cf_trashed_get_location (second));
  g_assert_cmpuint (count_entries ("info"), ==, 2);

  g_assert_true (cf_trashed_restore (second, NULL, &error));
  text = read_text (path);
  g_assert_cmpstr (text, ==, "second");

  /* The first cannot come back over the second. */
  g_assert_false (cf_trashed_restore (first, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "another file has that name"));
  g_clear_error (&error);
  g_clear_pointer (&text, g_free);
  text = read_text (path);
  g_assert_cmpstr (text, ==, "second");
  g_clear_pointer (&text, g_free);
  text = read_text (cf_trashed_get_location (first));
  g_assert_cmpstr (text, ==, "first");
  g_assert_cmpuint (count_entries ("info"), ==, 1);
}

/* Emptied from the Trash in the meantime: said, not a crash. */
static void
test_emptied (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = cf_test_write_file (f->dir, "gone.txt", "x", 1, 0644);
  g_autoptr(CfTrashed) trashed = trash (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_unlink (cf_trashed_get_location (trashed)), ==, 0);
  g_assert_false (cf_trashed_restore (trashed, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no longer in the Trash"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A file that is not there: GIO's own message, nothing trashed. */
static void
test_missing (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "never.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_null (cf_trash_file (file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (count_entries ("info"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data = NULL;
  int status;

  /* Before anything asks GLib for these folders: it reads them once. */
  scratch = cf_test_make_tmpdir ();
  data = g_build_filename (scratch, "data", NULL);
  g_setenv ("HOME", scratch, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cf/trash/round-trip", test_round_trip);
  ADD ("/cf/trash/same-name", test_same_name);
  ADD ("/cf/trash/emptied", test_emptied);
  ADD ("/cf/trash/missing", test_missing);
#undef ADD

  status = g_test_run ();
  cf_test_rm_rf (scratch);
  g_free (scratch);
  return status;
}
