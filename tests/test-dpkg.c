/* test-dpkg.c: files from Debian packages: the index, the comparison, and what each costs
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test writes a dpkg database of its own (status, diversions, and
 * a NAME.list and NAME.md5sums in info for each package) and points
 * CHECK_FIRST_DPKG_ADMINDIR at it.  Files a test needs to be "at a system path, only root may change"
 * are the machine's own /usr/bin/true and /usr/bin/false, which every
 * Debian system has: the database says what their checksums should be,
 * rightly for true and wrongly for false, which is how a file changed in
 * place looks.
 */

#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cf-dpkg.h"
#include "cf-session.h"
#include "cf-test-util.h"

#define TRUE_PATH "/usr/bin/true"
#define FALSE_PATH "/usr/bin/false"

typedef struct
{
  char    *tmpdir;
  char    *admindir;
  GString *status;
} Db;

static char *
md5_of_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_MD5, (const guchar *) contents, length);
}

static void
db_init (Db *db)
{
  g_autofree char *info = NULL;

  db->tmpdir = cf_test_make_tmpdir ();
  db->admindir = g_build_filename (db->tmpdir, "dpkg", NULL);
  info = g_build_filename (db->admindir, "info", NULL);
  g_assert_cmpint (g_mkdir_with_parents (info, 0755), ==, 0);
  db->status = g_string_new (NULL);
}

static void
db_clear (Db *db)
{
  cf_test_rm_rf (db->tmpdir);
  g_free (db->tmpdir);
  g_free (db->admindir);
  g_string_free (db->status, TRUE);
}

/* One package: its paragraph in the status file, and its info files
 * named @info_name (NULL: no files at all); @files alternates paths and
 * MD5s, an MD5 of NULL listing the path without a checksum. */
static void
db_add (Db          *db,
        const char  *name,
        const char  *version,
        const char  *state,
        const char  *multi_arch,
        const char  *info_name,
        const char **files)
{
  g_autoptr(GString) list = g_string_new ("/.\n");
  g_autoptr(GString) sums = g_string_new (NULL);

  g_string_append_printf (db->status,
                          "Package: %s\nStatus: install ok %s\nPriority: optional\n"
                          "Architecture: amd64\n%s%s%sVersion: %s\n"
                          "Description: a package of the test\n continued on a second line\n\n",
                          name, state, multi_arch != NULL ? "Multi-Arch: " : "",
                          multi_arch != NULL ? multi_arch : "", multi_arch != NULL ? "\n" : "",
                          version);
  if (info_name == NULL)
    return;

  for (guint i = 0; files[i] != NULL; i += 2)
    {
      g_string_append_printf (list, "%s\n", files[i]);
      if (files[i + 1] != NULL)
        g_string_append_printf (sums, "%s  %s\n", files[i + 1], files[i] + 1);
    }

  {
    g_autofree char *list_name = g_strdup_printf ("info/%s.list", info_name);
    g_autofree char *sums_name = g_strdup_printf ("info/%s.md5sums", info_name);
    g_autofree char *list_path = cf_test_write_file (db->admindir, list_name, list->str, -1, 0644);
    g_autofree char *sums_path = cf_test_write_file (db->admindir, sums_name, sums->str, -1, 0644);
  }
}

static void
db_write (Db         *db,
          const char *diversions)
{
  g_autofree char *status = cf_test_write_file (db->admindir, "status", db->status->str, -1, 0644);

  if (diversions != NULL)
    g_free (cf_test_write_file (db->admindir, "diversions", diversions, -1, 0644));
}

/* The machine's true as its package installed it, and its false as it
 * is no longer: the checksum recorded is another file's. */
static void
db_add_coreutils (Db *db)
{
  g_autofree char *true_md5 = md5_of_file (TRUE_PATH);
  const char *files[] = {
    TRUE_PATH, true_md5,
    FALSE_PATH, "0123456789abcdef0123456789abcdef",
    "/etc/coreutils.conf", NULL,
    NULL,
  };

  db_add (db, "coreutils", "9.1-1", "installed", "foreign", "coreutils", files);
}

static CfDpkgIndex *
db_load (Db *db)
{
  g_autoptr(GError) error = NULL;
  CfDpkgIndex *index = cf_dpkg_index_load (db->admindir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (index);
  return index;
}

/* ------------------------------------------------------------------ */
/* The index                                                            */
/* ------------------------------------------------------------------ */

/* On a merged /usr, /bin is a link to usr/bin: a file listed under /bin
 * is found where it really is, and only there. */
static void
test_index_folder_links (void)
{
  Db db;
  g_autofree char *tree = NULL;
  g_autofree char *usr_bin = NULL;
  g_autofree char *bin = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *real = NULL;
  g_autoptr(CfDpkgIndex) index = NULL;
  const char *files[] = { NULL, "0123456789abcdef0123456789abcdef", NULL };

  db_init (&db);
  tree = g_build_filename (db.tmpdir, "root", NULL);
  usr_bin = g_build_filename (tree, "usr", "bin", NULL);
  bin = g_build_filename (tree, "bin", NULL);
  g_assert_cmpint (g_mkdir_with_parents (usr_bin, 0755), ==, 0);
  g_assert_cmpint (symlink ("usr/bin", bin), ==, 0);
  g_free (cf_test_write_file (usr_bin, "tool", "a tool", -1, 0755));

  listed = g_build_filename (bin, "tool", NULL);
  real = g_build_filename (usr_bin, "tool", NULL);
  files[0] = listed;
  db_add (&db, "tools", "1.0", "installed", NULL, "tools", files);
  db_write (&db, NULL);

  index = db_load (&db);
  g_assert_cmpuint (cf_dpkg_index_get_n_files (index), ==, 1);
  g_assert_true (cf_dpkg_index_contains (index, real));
  /* Asked by a path through the link: the caller must resolve it first. */
  g_assert_false (cf_dpkg_index_contains (index, listed));
  g_assert_cmpuint (cf_dpkg_index_get_memory (index), >, 0);
  db_clear (&db);
}

/* Only installed packages, only files their list names, only files with
 * a checksum (configuration files have none), under either info name. */
static void
test_index_what_counts (void)
{
  Db db;
  g_autoptr(CfDpkgIndex) index = NULL;
  const char *removed[] = { "/opt/removed/tool", "0123456789abcdef0123456789abcdef", NULL };
  const char *multi[] = { "/usr/lib/libmulti.so.1", "0123456789abcdef0123456789abcdef", NULL };
  const char *listless[] = { "/usr/bin/listed", "0123456789abcdef0123456789abcdef", NULL };

  db_init (&db);
  db_add_coreutils (&db);
  db_add (&db, "removed", "2.0", "config-files", NULL, "removed", removed);
  db_add (&db, "libmulti1", "3.0", "installed", "same", "libmulti1:amd64", multi);
  db_add (&db, "listless", "4.0", "installed", NULL, "listless", listless);
  db_add (&db, "nothing", "5.0", "installed", NULL, NULL, NULL);
  db_write (&db, NULL);
  /* A checksum for a file the package's list does not name. */
  g_free (cf_test_write_file (db.admindir, "info/listless.list", "/.\n/usr/bin/other\n", -1, 0644));

  index = db_load (&db);
  g_assert_true (cf_dpkg_index_contains (index, TRUE_PATH));
  g_assert_true (cf_dpkg_index_contains (index, FALSE_PATH));
  g_assert_false (cf_dpkg_index_contains (index, "/etc/coreutils.conf"));
  g_assert_false (cf_dpkg_index_contains (index, "/opt/removed/tool"));
  g_assert_true (cf_dpkg_index_contains (index, "/usr/lib/libmulti.so.1"));
  g_assert_false (cf_dpkg_index_contains (index, "/usr/bin/listed"));
  g_assert_cmpuint (cf_dpkg_index_get_n_files (index), ==, 3);
  g_assert_cmpuint (cf_dpkg_index_get_n_packages (index), ==, 3);
  db_clear (&db);
}

/* dpkg-divert: the diverted package's file is where the diversion put it;
 * the diverting package's own, or the administrator's, is at the path. */
static void
test_index_diversions (void)
{
  Db db;
  g_autoptr(CfDpkgIndex) index = NULL;
  const char *original[] = {
    "/usr/bin/tool", "0123456789abcdef0123456789abcdef",
    "/usr/bin/helper", "0123456789abcdef0123456789abcdef",
    NULL,
  };
  const char *wrapper[] = { "/usr/bin/tool", "fedcba9876543210fedcba9876543210", NULL };

  db_init (&db);
  db_add (&db, "tool", "1.0", "installed", NULL, "tool", original);
  db_add (&db, "tool-wrapper", "1.0", "installed", NULL, "tool-wrapper", wrapper);
  db_write (&db,
            "/usr/bin/tool\n/usr/bin/tool.real\ntool-wrapper\n"
            "/usr/bin/helper\n/usr/bin/helper.distrib\n:\n");

  index = db_load (&db);
  g_assert_true (cf_dpkg_index_contains (index, "/usr/bin/tool"));
  g_assert_true (cf_dpkg_index_contains (index, "/usr/bin/tool.real"));
  g_assert_true (cf_dpkg_index_contains (index, "/usr/bin/helper.distrib"));
  /* The administrator's own file at the path: no package vouches for it. */
  g_assert_false (cf_dpkg_index_contains (index, "/usr/bin/helper"));
  g_assert_cmpuint (cf_dpkg_index_get_n_files (index), ==, 3);
  db_clear (&db);
}

/* Not Debian: an empty index, no error. */
static void
test_index_no_database (void)
{
  g_autofree char *tmpdir = cf_test_make_tmpdir ();
  g_autofree char *admindir = g_build_filename (tmpdir, "none", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfDpkgIndex) index = cf_dpkg_index_load (admindir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (index);
  g_assert_cmpuint (cf_dpkg_index_get_n_files (index), ==, 0);
  g_assert_false (cf_dpkg_index_contains (index, TRUE_PATH));
  cf_test_rm_rf (tmpdir);
}

/* ------------------------------------------------------------------ */
/* Comparing a file                                                     */
/* ------------------------------------------------------------------ */

static void
verify_path (CfDpkgIndex   *index,
             const char    *open_path,
             const char    *named_path,
             CfPackageInfo *info)
{
  g_autoptr(GError) error = NULL;
  int fd = open (open_path, O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_true (cf_dpkg_verify_fd (index, fd, named_path, info, NULL, &error));
  g_assert_no_error (error);
  close (fd);
}

static void
test_verify (void)
{
  Db db;
  g_autoptr(CfDpkgIndex) index = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *copy_md5 = NULL;
  const char *copied[] = { NULL, NULL, NULL };
  CfPackageInfo info = CF_PACKAGE_INFO_INIT;
  gsize length;

  db_init (&db);
  db_add_coreutils (&db);
  /* A copy of true in a place a user may write to, listed with its own
   * right checksum: it still does not qualify. */
  g_assert_true (g_file_get_contents (TRUE_PATH, &contents, &length, NULL));
  copy = cf_test_write_file (db.tmpdir, "true", contents, length, 0755);
  copy_md5 = md5_of_file (copy);
  copied[0] = copy;
  copied[1] = copy_md5;
  db_add (&db, "copies", "1.0", "installed", NULL, "copies", copied);
  db_write (&db, NULL);
  index = db_load (&db);

  verify_path (index, TRUE_PATH, TRUE_PATH, &info);
  g_assert_cmpint (info.state, ==, CF_PACKAGED_UNMODIFIED);
  g_assert_cmpstr (info.name, ==, "coreutils");
  g_assert_cmpstr (info.version, ==, "9.1-1");

  verify_path (index, FALSE_PATH, FALSE_PATH, &info);
  g_assert_cmpint (info.state, ==, CF_PACKAGED_MODIFIED);
  g_assert_cmpstr (info.name, ==, "coreutils");

  g_assert_true (cf_dpkg_index_contains (index, copy));
  verify_path (index, copy, copy, &info);
  g_assert_cmpint (info.state, ==, CF_PACKAGED_NONE);
  g_assert_null (info.name);

  /* The path must name the very file that is open. */
  verify_path (index, TRUE_PATH, FALSE_PATH, &info);
  g_assert_cmpint (info.state, ==, CF_PACKAGED_NONE);

  cf_package_info_clear (&info);
  db_clear (&db);
}

/* Reached through a link in the person's own folder, a file is judged
 * where it really is. */
static void
test_verify_through_link (void)
{
  Db db;
  g_autofree char *link = NULL;
  g_autoptr(GError) error = NULL;
  CfPackageInfo info = CF_PACKAGE_INFO_INIT;
  int fd;

  db_init (&db);
  db_add_coreutils (&db);
  db_write (&db, NULL);
  g_setenv ("CHECK_FIRST_DPKG_ADMINDIR", db.admindir, TRUE);

  link = g_build_filename (db.tmpdir, "my-true", NULL);
  g_assert_cmpint (symlink (TRUE_PATH, link), ==, 0);
  fd = open (link, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_true (cf_dpkg_verify_open_file (fd, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.state, ==, CF_PACKAGED_UNMODIFIED);
  g_assert_cmpstr (info.name, ==, "coreutils");
  close (fd);

  cf_package_info_clear (&info);
  g_unsetenv ("CHECK_FIRST_DPKG_ADMINDIR");
  db_clear (&db);
}

/* ------------------------------------------------------------------ */
/* What it costs                                                        */
/* ------------------------------------------------------------------ */

typedef struct
{
  Db         db;
  CfFakeVt  *server;
  char      *data_home;
  char     **env;
  char      *unowned;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  db_init (&f->db);
  db_add_coreutils (&f->db);
  db_write (&f->db, NULL);

  f->server = cf_test_fake_vt_new ();
  f->data_home = g_build_filename (f->db.tmpdir, "home", NULL);
  g_mkdir (f->data_home, 0700);
  f->env = cf_test_cli_env (f->server, f->data_home, CF_TEST_KEY);
  f->env = g_environ_setenv (f->env, "CHECK_FIRST_DPKG_ADMINDIR", f->db.admindir, TRUE);
  f->unowned = cf_test_write_file (f->db.tmpdir, "unowned", "#!/bin/sh\nexit 0\n", -1, 0755);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->server);
  g_strfreev (f->env);
  g_free (f->data_home);
  g_free (f->unowned);
  db_clear (&f->db);
}

static JsonObject *
item_for (GPtrArray  *items,
          const char *path)
{
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (json_object_get_string_member (items->pdata[i], "path"), path) == 0)
      return items->pdata[i];
  g_assert_not_reached ();
}

/* The packaged file costs nothing and says its package; the changed one is
 * looked up and said to be changed, on standard error too; the other file
 * is looked up as always. */
static void
test_cli_check (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CfTestRun) run = cf_test_run_cli (f->env, NULL, "--check", "--json", TRUE_PATH,
                                              f->unowned, FALSE_PATH, NULL);
  g_autoptr(CfTestRun) text = NULL;
  g_autoptr(GPtrArray) items = NULL;
  JsonObject *item;

  g_assert_cmpint (run->status, ==, 0);
  items = cf_test_parse_json_lines (run->out);
  g_assert_cmpuint (items->len, ==, 3);

  item = item_for (items, TRUE_PATH);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "packaged");
  g_assert_cmpstr (json_object_get_string_member (item, "reason"), ==, "packaged");
  g_assert_cmpstr (json_object_get_string_member (item, "decision"), ==, "allow");
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "package");
  g_assert_cmpstr (json_object_get_string_member (item, "package"), ==, "coreutils");
  g_assert_cmpstr (json_object_get_string_member (item, "package_version"), ==, "9.1-1");
  g_assert_cmpstr (json_object_get_string_member (item, "packaged"), ==, "unmodified");
  g_assert_nonnull (json_object_get_string_member (item, "sha256"));

  item = item_for (items, FALSE_PATH);
  g_assert_cmpstr (json_object_get_string_member (item, "packaged"), ==, "modified");
  g_assert_cmpstr (json_object_get_string_member (item, "package"), ==, "coreutils");
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "api");
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "unknown");

  item = item_for (items, f->unowned);
  g_assert_true (json_object_get_null_member (item, "packaged"));
  g_assert_true (json_object_get_null_member (item, "package"));
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "api");

  /* Two requests: the changed file and the other one. */
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 2);
  g_assert_nonnull (strstr (run->err, FALSE_PATH ": Modified packaged file: not what Debian "
                                      "package coreutils 9.1-1 installed\n"));
  g_assert_nonnull (strstr (run->err, "1 file as its Debian package installed it, not looked up\n"));
  g_assert_nonnull (strstr (run->err, "1 modified packaged file: no longer what its package installed\n"));
  /* The tally stays the last line, for scripts that read only that. */
  g_assert_true (g_str_has_suffix (run->err, "; 2 requests spent\n"));

  /* In words, the same, in the same place as every verdict. */
  text = cf_test_run_cli (f->env, NULL, "--check", TRUE_PATH, FALSE_PATH, NULL);
  g_assert_nonnull (strstr (text->out, "allowed    " TRUE_PATH "  From Debian package coreutils "
                                       "9.1-1, unmodified\n"));
  g_assert_nonnull (strstr (text->out, "allowed    " FALSE_PATH "  Modified packaged file: not what "
                                       "Debian package coreutils 9.1-1 installed · Unknown to VirusTotal\n"));
}

/* Asked to, the packaged file is looked up too, and still says where it
 * came from; "always block" wins over the package. */
static void
test_cli_no_skip (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CfTestRun) run = cf_test_run_cli (f->env, NULL, "--check", "--json", "--no-skip-packaged",
                                              TRUE_PATH, NULL);
  g_autoptr(CfTestRun) both = NULL;
  g_autoptr(CfTestRun) block = NULL;
  g_autoptr(CfTestRun) blocked = NULL;
  g_autoptr(GPtrArray) items = NULL;
  JsonObject *item;
  g_autofree char *sha256 = NULL;

  items = cf_test_parse_json_lines (run->out);
  g_assert_cmpuint (items->len, ==, 1);
  item = items->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (item, "source"), ==, "api");
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "unknown");
  g_assert_cmpstr (json_object_get_string_member (item, "packaged"), ==, "unmodified");
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 1);
  sha256 = g_strdup (json_object_get_string_member (item, "sha256"));

  both = cf_test_run_cli (f->env, NULL, "--check", "--skip-packaged", "--no-skip-packaged", TRUE_PATH, NULL);
  g_assert_cmpint (both->status, ==, 64);

  block = cf_test_run_cli (f->env, NULL, "--block-hash", sha256, NULL);
  g_assert_cmpint (block->status, ==, 0);
  blocked = cf_test_run_cli (f->env, NULL, "--check", "--json", TRUE_PATH, NULL);
  g_assert_cmpint (blocked->status, ==, 1);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = cf_test_parse_json_lines (blocked->out);
  g_assert_cmpstr (json_object_get_string_member (items->pdata[0], "reason"), ==, "blocked-by-you");
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 1);
}

static void
fake_process (const char *proc,
              int         pid,
              const char *exe)
{
  g_autofree char *folder = g_strdup_printf ("%s/%d", proc, pid);
  g_autofree char *link = g_build_filename (folder, "exe", NULL);
  g_autofree char *stat_text = g_strdup_printf ("%d (prog) S 1 %d %d 0 -1 4194560 120 0 0 0 0 0\n",
                                                pid, pid, pid);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_free (cf_test_write_file (folder, "comm", "prog\n", -1, 0644));
  g_free (cf_test_write_file (folder, "stat", stat_text, -1, 0644));
  g_assert_cmpint (symlink (exe, link), ==, 0);
}

/* The audit: the changed program first, the packaged one at no cost. */
static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *proc = g_build_filename (f->db.tmpdir, "proc", NULL);
  g_autofree char *db_path = g_build_filename (f->db.tmpdir, "check-first.db", NULL);
  g_autoptr(CfSession) session = NULL;
  g_autoptr(CfAudit) audit = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *checks;
  CfConfig config;

  fake_process (proc, 100, TRUE_PATH);
  fake_process (proc, 200, f->unowned);
  fake_process (proc, 300, FALSE_PATH);
  fake_process (proc, 301, FALSE_PATH);
  g_setenv ("CHECK_FIRST_DPKG_ADMINDIR", f->db.admindir, TRUE);

  session = cf_session_new (db_path, CF_SESSION_NONE, &error);
  g_assert_no_error (error);
  cf_config_copy (&config, cf_session_get_config (session));
  g_free (config.api_url);
  config.api_url = cf_fake_vt_get_base_url (f->server);
  config.per_minute = config.per_day = config.per_month = 0;
  cf_session_set_config (session, &config);
  cf_config_clear (&config);
  cf_session_set_api_key (session, CF_TEST_KEY);

  audit = cf_session_new_audit (session, proc);
  cf_audit_start (audit);
  while (cf_audit_is_running (audit))
    g_main_context_iteration (NULL, TRUE);

  g_assert_null (cf_audit_get_error (audit));
  checks = cf_audit_get_checks (audit);
  g_assert_cmpuint (g_list_model_get_n_items (checks), ==, 3);
  g_assert_cmpuint (cf_audit_get_n_processes (audit), ==, 4);
  {
    g_autoptr(CfCheck) first = g_list_model_get_item (checks, 0);
    g_autoptr(CfCheck) second = g_list_model_get_item (checks, 1);
    g_autoptr(CfCheck) last = g_list_model_get_item (checks, 2);

    g_assert_cmpstr (cf_check_get_process (first)->path, ==, FALSE_PATH);
    g_assert_cmpint (cf_check_get_packaged (first), ==, CF_PACKAGED_MODIFIED);
    g_assert_cmpint (cf_check_get_source (first), ==, CF_SOURCE_API);
    g_assert_cmpuint (cf_check_get_process (first)->pids->len, ==, 2);

    g_assert_cmpstr (cf_check_get_process (second)->path, ==, f->unowned);
    g_assert_cmpint (cf_check_get_packaged (second), ==, CF_PACKAGED_NONE);
    g_assert_cmpint (cf_check_get_source (second), ==, CF_SOURCE_API);

    g_assert_cmpstr (cf_check_get_process (last)->path, ==, TRUE_PATH);
    g_assert_cmpint (cf_check_get_packaged (last), ==, CF_PACKAGED_UNMODIFIED);
    g_assert_cmpint (cf_check_get_source (last), ==, CF_SOURCE_PACKAGE);
    g_assert_cmpint (cf_check_get_reason (last), ==, CF_REASON_PACKAGED);
    g_assert_cmpstr (cf_check_get_package (last), ==, "coreutils");
  }
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 2);
  g_assert_cmpuint (cf_session_get_requests_spent (session), ==, 2);

  g_unsetenv ("CHECK_FIRST_DPKG_ADMINDIR");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cf/dpkg/index/folder-links", test_index_folder_links);
  g_test_add_func ("/cf/dpkg/index/what-counts", test_index_what_counts);
  g_test_add_func ("/cf/dpkg/index/diversions", test_index_diversions);
  g_test_add_func ("/cf/dpkg/index/no-database", test_index_no_database);
  g_test_add_func ("/cf/dpkg/verify", test_verify);
  g_test_add_func ("/cf/dpkg/verify/through-link", test_verify_through_link);
  g_test_add ("/cf/dpkg/cli/check", Fixture, NULL, fixture_set_up, test_cli_check, fixture_tear_down);
  g_test_add ("/cf/dpkg/cli/no-skip", Fixture, NULL, fixture_set_up, test_cli_no_skip, fixture_tear_down);
  g_test_add ("/cf/dpkg/audit", Fixture, NULL, fixture_set_up, test_audit, fixture_tear_down);

  return g_test_run ();
}
