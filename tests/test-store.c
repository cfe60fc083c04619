/* test-store.c: tests for the user's database
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cf-store.h"

#define SEC        ((gint64) G_USEC_PER_SEC)
/* The store's minute window, a second longer than a minute (see cf-store.c). */
#define MINUTE     (61 * SEC)
#define SHA_A      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SHA_B      "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define SHA_C      "00000000000000000000000000000000000000000000000000000000000000cc"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)

static char *self_exe;

/* Structured logging bypasses g_test_expect_message() in GLib 2.74, so the
 * warnings a test provokes on purpose are swallowed here. */
static const char *expected_warning;
static guint expected_warning_hits;

static GLogWriterOutput
test_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (expected_warning != NULL && (log_level & G_LOG_LEVEL_WARNING) != 0)
    {
      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
              g_pattern_match_simple (expected_warning, fields[i].value))
            {
              expected_warning_hits++;
              return G_LOG_WRITER_HANDLED;
            }
        }
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static gint64
utc (int year,
     int month,
     int day,
     int hour,
     int minute,
     int second)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (year, month, day, hour, minute, second);

  return g_date_time_to_unix (t) * G_USEC_PER_SEC;
}

/* A folder of its own for each test, under the isolated cache folder. */
static char *
scratch_path (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "store-test", NULL);

  g_assert_no_errno (g_mkdir_with_parents (dir, 0700));
  return g_build_filename (dir, name, NULL);
}

static CfStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  CfStore *store = cf_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_no_errno (g_stat (path, &st));
  return st.st_mode & 0777;
}

static CfReport *
make_report (const char *sha256,
             gint64      malicious,
             gint64      suspicious)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) results = g_string_new (NULL);
  g_autofree char *json = NULL;
  CfReport *report;

  /* An engine list that agrees with the summary, and one engine that found nothing. */
  for (gint64 i = 0; i < malicious; i++)
    g_string_append_printf (results, "\"Bad%" G_GINT64_FORMAT "\": {\"category\": \"malicious\","
                            " \"engine_name\": \"Bad%" G_GINT64_FORMAT "\", \"result\": \"Trojan.Test\"},",
                            i, i);
  for (gint64 i = 0; i < suspicious; i++)
    g_string_append_printf (results, "\"Odd%" G_GINT64_FORMAT "\": {\"category\": \"suspicious\","
                            " \"engine_name\": \"Odd%" G_GINT64_FORMAT "\", \"result\": \"Heur.Test\"},",
                            i, i);

  json = g_strdup_printf ("{\"data\": {\"id\": \"%s\", \"type\": \"file\", \"attributes\": {"
                          "\"sha256\": \"%s\", \"size\": 1234,"
                          " \"meaningful_name\": \"setup.exe\","
                          " \"last_analysis_date\": 1764000000,"
                          " \"last_analysis_stats\": {\"malicious\": %" G_GINT64_FORMAT ","
                          "  \"suspicious\": %" G_GINT64_FORMAT ", \"undetected\": 60,"
                          "  \"harmless\": 5, \"timeout\": 1, \"confirmed-timeout\": 2,"
                          "  \"type-unsupported\": 3, \"failure\": 4},"
                          " \"last_analysis_results\": {%s"
                          "  \"Quiet\": {\"category\": \"undetected\","
                          "   \"engine_name\": \"Quiet\", \"result\": null}}}}}",
                          sha256, sha256, malicious, suspicious, results->str);
  report = cf_report_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

/* Opening */

static void
test_default_path (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (),
                                                "check-first", "check-first.db", NULL);
  g_autofree char *path = cf_store_default_path ();
  g_autoptr(CfStore) store = open_store (NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpstr (cf_store_get_path (store), ==, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
}

typedef struct
{
  const char *name;
  gboolean    existing_wide;   /* folder 0755 and file 0644 before opening */
} PermissionCase;

static const PermissionCase permission_cases[] = {
  { "fresh", FALSE },
  { "existing-wide", TRUE },
};

static void
test_permissions (gconstpointer data)
{
  const PermissionCase *test = data;
  g_autofree char *path = cf_store_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(CfStore) store = NULL;
  CfFileIdentity identity = { 1, 2, 3, 4, 5, TRUE };
  mode_t old_umask;

  if (test->existing_wide)
    {
      g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
      g_assert_no_errno (g_chmod (dir, 0755));
      g_assert_true (g_file_set_contents (path, "", 0, NULL));
      g_assert_no_errno (g_chmod (path, 0644));
    }

  /* The most careless umask: whatever is private is private on purpose. */
  old_umask = umask (0);
  store = open_store (NULL);
  cf_store_remember_identity (store, &identity, SHA_A);
  umask (old_umask);

  g_assert_cmpuint (file_mode (dir), ==, 0700);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (file_mode (shm), ==, 0600);
}

static void
test_pragmas (void)
{
  g_autofree char *path = scratch_path ("pragmas.db");
  g_autoptr(CfStore) store = open_store (path);
  g_autoptr(sqlite3) db = open_raw (path);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);

  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), >=, 1);
}

typedef struct
{
  const char *name;
  gboolean    damage_pages;   /* else the whole file is not a database */
} CorruptCase;

static const CorruptCase corrupt_cases[] = {
  { "not-a-database", FALSE },
  { "damaged-pages", TRUE },
};

static void
test_corrupt (gconstpointer data)
{
  const CorruptCase *test = data;
  g_autofree char *path = scratch_path ("corrupt.db");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *prefix = g_strconcat (path, ".corrupt-", NULL);
  g_autofree char *aside = NULL;
  g_autofree char *damaged = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(CfStore) store = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  CfFileIdentity identity = { 7, 8, 9, 10, 11, TRUE };
  const char *name;
  gsize damaged_length = 0;
  gsize kept_length = 0;

  if (test->damage_pages)
    {
      g_autoptr(CfStore) first = open_store (path);
      char garbage[8192];
      int fd;

      for (guint i = 0; i < 400; i++)
        {
          CfHistoryEntry entry = { .path = (char *) "/home/someone/file.bin",
                                   .sha256 = (char *) SHA_A, .time = 1000 + i,
                                   .status = (char *) "clean", .decision = (char *) "allow",
                                   .reason = (char *) "clean", .engines = 70, .size = -1 };

          g_assert_cmpint (cf_store_add_history (first, &entry), >, 0);
        }
      g_clear_object (&first);

      memset (garbage, 0x5a, sizeof garbage);
      fd = g_open (path, O_WRONLY, 0);
      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (pwrite (fd, garbage, sizeof garbage, 4096), ==, sizeof garbage);
      close (fd);
    }
  else
    {
      g_assert_true (g_file_set_contents (path, "This is not an SQLite database, not at all.\n"
                                          "Just some text where the file should be.\n",
                                          -1, NULL));
    }

  g_assert_true (g_file_get_contents (path, &damaged, &damaged_length, NULL));

  expected_warning = "*damaged*moved to*";
  expected_warning_hits = 0;
  store = cf_store_open (path, &error);
  expected_warning = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpuint (expected_warning_hits, ==, 1);

  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *full = g_build_filename (dir, name, NULL);

      if (g_str_has_prefix (full, prefix) && !g_str_has_suffix (full, "-wal"))
        {
          g_assert_null (aside);
          aside = g_steal_pointer (&full);
        }
    }

  /* <path>.corrupt-YYYYmmdd-HHMMSS, holding exactly what was there. */
  g_assert_nonnull (aside);
  g_assert_cmpuint (strlen (aside), ==, strlen (prefix) + strlen ("20261125-143000"));
  g_assert_true (g_file_get_contents (aside, &kept, &kept_length, NULL));
  g_assert_cmpmem (kept, kept_length, damaged, damaged_length);

  /* And the new database works. */
  cf_store_remember_identity (store, &identity, SHA_B);
  sha256 = cf_store_lookup_identity (store, &identity);
  g_assert_cmpstr (sha256, ==, SHA_B);
  history = cf_store_list_history (store, 0);
  g_assert_cmpuint (history->len, ==, 0);
}

static void
test_migration_from_zero (void)
{
  static const char * const tables[] = {
    "identities", "verdicts", "history", "trust", "slots", "state", "pending", "aliases",
  };
  g_autofree char *path = scratch_path ("old.db");
  g_autofree char *fresh_path = scratch_path ("fresh.db");
  g_autoptr(CfStore) store = NULL;
  g_autoptr(CfStore) fresh = open_store (fresh_path);
  g_autoptr(sqlite3) db = NULL;
  gint64 latest;

  db = open_raw (fresh_path);
  latest = raw_int (db, "PRAGMA user_version");
  g_assert_cmpint (latest, >=, 1);
  g_clear_pointer (&db, sqlite3_close);

  /* A database that exists but has never been set up: version 0. */
  db = open_raw (path);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE leftover (x); INSERT INTO leftover VALUES (1)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 0);
  g_clear_pointer (&db, sqlite3_close);

  store = open_store (path);
  g_assert_nonnull (store);

  db = open_raw (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, latest);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM leftover"), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_master"
                                              " WHERE type = 'table' AND name = '%s'",
                                              tables[i]);

      g_assert_cmpint (raw_int (db, sql), ==, 1);
    }

  /* Opening again changes nothing. */
  g_clear_object (&store);
  store = open_store (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, latest);
}

static void
test_newer_version (void)
{
  g_autofree char *path = scratch_path ("newer.db");
  g_autoptr(sqlite3) db = open_raw (path);
  g_autoptr(CfStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_pointer (&db, sqlite3_close);

  store = cf_store_open (path, &error);
  g_assert_error (error, CF_STORE_ERROR, CF_STORE_ERROR_OPEN);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, "newer version"));

  /* Refused, not mistaken for damage. */
  db = open_raw (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 99);
}

/* Identity cache */

typedef enum
{
  CHANGE_NOTHING,
  CHANGE_DEVICE,
  CHANGE_INODE,
  CHANGE_SIZE,
  CHANGE_MTIME,
  CHANGE_CTIME,
  CHANGE_VALID,
} IdentityChange;

typedef struct
{
  const char     *name;
  IdentityChange  change;
  gboolean        hit;
} IdentityCase;

static const IdentityCase identity_cases[] = {
  { "same", CHANGE_NOTHING, TRUE },
  { "device", CHANGE_DEVICE, FALSE },
  { "inode", CHANGE_INODE, FALSE },
  { "size", CHANGE_SIZE, FALSE },
  { "mtime", CHANGE_MTIME, FALSE },
  { "ctime", CHANGE_CTIME, FALSE },
  { "not-valid", CHANGE_VALID, FALSE },
};

static void
test_identity_cache (gconstpointer data)
{
  const IdentityCase *test = data;
  g_autoptr(CfStore) store = open_store (":memory:");
  g_autofree char *found = NULL;
  CfFileIdentity stored = {
    G_GUINT64_CONSTANT (0xfd01), G_GUINT64_CONSTANT (0xffffffff00000001),
    4096, G_GINT64_CONSTANT (1764000000123456789), G_GINT64_CONSTANT (1764000000987654321), TRUE,
  };
  CfFileIdentity probe = stored;

  cf_store_remember_identity (store, &stored, SHA_A);

  switch (test->change)
    {
    case CHANGE_NOTHING:
      break;
    case CHANGE_DEVICE:
      probe.device++;
      break;
    case CHANGE_INODE:
      probe.inode++;
      break;
    case CHANGE_SIZE:
      probe.size++;
      break;
    case CHANGE_MTIME:
      probe.mtime_ns++;
      break;
    case CHANGE_CTIME:
      probe.ctime_ns++;
      break;
    case CHANGE_VALID:
      probe.valid = FALSE;
      break;
    default:
      g_assert_not_reached ();
    }

  found = cf_store_lookup_identity (store, &probe);
  if (test->hit)
    g_assert_cmpstr (found, ==, SHA_A);
  else
    g_assert_null (found);
}

static void
test_identity_remember (void)
{
  g_autoptr(CfStore) store = open_store (":memory:");
  CfFileIdentity identity = { 1, 2, 100, 1000, 2000, TRUE };
  CfFileIdentity changed = { 1, 2, 120, 3000, 4000, TRUE };
  CfFileIdentity remote = { 0, 0, 100, 1000, 2000, FALSE };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *old = NULL;
  g_autofree char *none = NULL;
  g_autofree char *upper = g_ascii_strup (SHA_C, -1);

  cf_store_remember_identity (store, &identity, SHA_A);
  first = cf_store_lookup_identity (store, &identity);
  g_assert_cmpstr (first, ==, SHA_A);

  /* Remembering again replaces. */
  cf_store_remember_identity (store, &identity, upper);
  second = cf_store_lookup_identity (store, &identity);
  g_assert_cmpstr (second, ==, SHA_C);

  /* The file changed in place: the old identity is forgotten. */
  cf_store_remember_identity (store, &changed, SHA_B);
  third = cf_store_lookup_identity (store, &changed);
  g_assert_cmpstr (third, ==, SHA_B);
  old = cf_store_lookup_identity (store, &identity);
  g_assert_null (old);

  /* Files without a local identity are never cached. */
  cf_store_remember_identity (store, &remote, SHA_A);
  none = cf_store_lookup_identity (store, &remote);
  g_assert_null (none);
}

/* Verdict cache */

typedef enum
{
  KIND_DETECTED,
  KIND_SUSPICIOUS,
  KIND_CLEAN,
  KIND_NO_RESULTS,
  KIND_UNKNOWN,
} VerdictKind;

typedef struct
{
  const char  *name;
  VerdictKind  kind;
  gint64       age;    /* seconds */
  gboolean     hit;
} TtlCase;

/* TTLs: detected 100 s, clean 200 s, unknown 50 s. */
static const TtlCase ttl_cases[] = {
  { "detected-fresh", KIND_DETECTED, 99, TRUE },
  { "detected-expired", KIND_DETECTED, 100, FALSE },
  /* Anything an engine flagged may change soon: it keeps as briefly as a detection. */
  { "suspicious-fresh", KIND_SUSPICIOUS, 99, TRUE },
  { "suspicious-expired", KIND_SUSPICIOUS, 100, FALSE },
  /* No engine answers yet: the results are on their way, kept as briefly as unknown. */
  { "no-results-fresh", KIND_NO_RESULTS, 49, TRUE },
  { "no-results-expired", KIND_NO_RESULTS, 50, FALSE },
  { "clean-fresh", KIND_CLEAN, 199, TRUE },
  { "clean-expired", KIND_CLEAN, 200, FALSE },
  { "unknown-fresh", KIND_UNKNOWN, 49, TRUE },
  { "unknown-expired", KIND_UNKNOWN, 50, FALSE },
  { "from-the-future", KIND_CLEAN, -10, FALSE },
};

static void
test_verdict_ttl (gconstpointer data)
{
  const TtlCase *test = data;
  const CfCacheTtl ttl = { 100, 200, 50 };
  const gint64 fetched_at = 1764000000;
  g_autoptr(CfStore) store = open_store (":memory:");
  g_autoptr(CfReport) saved = NULL;
  g_autoptr(CfReport) found = NULL;
  gint64 fetched = -1;
  gboolean hit;

  if (test->kind == KIND_DETECTED)
    saved = make_report (SHA_A, 3, 0);
  else if (test->kind == KIND_SUSPICIOUS)
    saved = make_report (SHA_A, 0, 2);
  else if (test->kind == KIND_CLEAN)
    saved = make_report (SHA_A, 0, 0);
  else if (test->kind == KIND_NO_RESULTS)
    {
      static const char no_results[] = "{\"data\": {\"id\": \"" SHA_A "\", \"attributes\": {"
                                       "\"last_analysis_stats\": {}, \"last_analysis_results\": {}}}}";

      saved = cf_report_parse (no_results, strlen (no_results), NULL);
    }

  cf_store_save_verdict (store, SHA_A, saved, fetched_at);
  hit = cf_store_lookup_verdict (store, SHA_A, fetched_at + test->age, &ttl, &found, &fetched);

  g_assert_cmpint (hit, ==, test->hit);
  if (!hit)
    {
      g_assert_null (found);
      return;
    }

  g_assert_cmpint (fetched, ==, fetched_at);
  if (test->kind == KIND_UNKNOWN)
    {
      g_assert_null (found);
    }
  else
    {
      g_assert_nonnull (found);
      g_assert_cmpstr (found->sha256, ==, SHA_A);
      g_assert_cmpint (found->stats.malicious, ==, saved->stats.malicious);
    }
}

/* The cache keeps the whole report, not a verdict: a stricter or looser
 * policy later decides again from the same numbers. */
static void
test_verdict_round_trip (void)
{
  g_autoptr(CfStore) store = open_store (":memory:");
  g_autoptr(CfReport) saved = make_report (SHA_B, 1, 2);
  g_autoptr(CfReport) found = NULL;
  g_autoptr(CfReport) missing = NULL;
  g_autofree char *upper = g_ascii_strup (SHA_B, -1);
  gint64 fetched = 0;

  cf_store_save_verdict (store, SHA_B, saved, 5000);
  g_assert_true (cf_store_lookup_verdict (store, upper, 5001, NULL, &found, &fetched));
  g_assert_nonnull (found);
  g_assert_cmpint (fetched, ==, 5000);

  g_assert_cmpstr (found->sha256, ==, SHA_B);
  g_assert_cmpint (found->size, ==, 1234);
  g_assert_cmpstr (found->meaningful_name, ==, "setup.exe");
  g_assert_cmpint (found->last_analysis_date, ==, 1764000000);
  g_assert_cmpmem (&found->stats, sizeof found->stats, &saved->stats, sizeof saved->stats);
  g_assert_cmpint (found->stats.suspicious, ==, 2);
  g_assert_cmpint (found->stats.confirmed_timeout, ==, 2);
  g_assert_cmpint (found->stats.failure, ==, 4);
  g_assert_cmpuint (found->engines->len, ==, 4);
  g_assert_false (found->inconsistent);

  /* Unknown replaces known, and the other way round. */
  cf_store_save_verdict (store, SHA_B, NULL, 6000);
  g_clear_pointer (&found, cf_report_unref);
  g_assert_true (cf_store_lookup_verdict (store, SHA_B, 6001, NULL, &found, &fetched));
  g_assert_null (found);
  g_assert_cmpint (fetched, ==, 6000);

  g_assert_false (cf_store_lookup_verdict (store, SHA_A, 6001, NULL, &missing, &fetched));
  g_assert_false (cf_store_lookup_verdict (store, "not a hash", 6001, NULL, &missing, &fetched));
  g_assert_null (missing);

  cf_store_clear_cache (store);
  g_assert_false (cf_store_lookup_verdict (store, SHA_B, 6001, NULL, &found, &fetched));
}

static void
test_verdict_bad_json (void)
{
  g_autofree char *path = scratch_path ("bad-json.db");
  g_autoptr(CfStore) store = open_store (path);
  g_autoptr(CfReport) saved = make_report (SHA_A, 0, 0);
  g_autoptr(CfReport) found = NULL;
  g_autoptr(sqlite3) db = NULL;
  gint64 fetched = 0;

  cf_store_save_verdict (store, SHA_A, saved, 100);
  g_assert_true (cf_store_lookup_verdict (store, SHA_A, 101, NULL, &found, &fetched));
  g_clear_pointer (&found, cf_report_unref);

  db = open_raw (path);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE verdicts SET report_json = '{\"data\": [1, 2'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_false (cf_store_lookup_verdict (store, SHA_A, 101, NULL, &found, &fetched));
  g_assert_null (found);
}

static void
test_alias (void)
{
  const char *md5 = "0123456789ABCDEF0123456789ABCDEF";
  const char *sha1 = "0123456789abcdef0123456789abcdef01234567";
  g_autoptr(CfStore) store = open_store (":memory:");
  g_autofree char *found = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *nothing = NULL;
  g_autofree char *upper = g_ascii_strup (SHA_A, -1);

  cf_store_remember_alias (store, md5, upper, 1000);
  g_assert_true (cf_store_lookup_alias (store, "0123456789abcdef0123456789abcdef", 999999, 60,
                                        &found));
  g_assert_cmpstr (found, ==, SHA_A);

  /* Unknown to VirusTotal: remembered only for the unknown lifetime. */
  cf_store_remember_alias (store, sha1, NULL, 1000);
  g_assert_true (cf_store_lookup_alias (store, sha1, 1059, 60, &unknown));
  g_assert_null (unknown);
  g_assert_false (cf_store_lookup_alias (store, sha1, 1060, 60, &unknown));

  /* Not an MD5 or a SHA-1: neither stored nor found. */
  cf_store_remember_alias (store, SHA_B, SHA_A, 1000);
  g_assert_false (cf_store_lookup_alias (store, SHA_B, 1001, 60, &nothing));
  g_assert_false (cf_store_lookup_alias (store, "xyz", 1001, 60, &nothing));

  cf_store_clear_cache (store);
  g_clear_pointer (&found, g_free);
  g_assert_false (cf_store_lookup_alias (store, md5, 1001, 60, &found));
  g_assert_null (found);
}

/* History */

/* A clear that waited for its Undo removes what was there then, not what came since. */
static void
test_history_clear_before (void)
{
  g_autoptr(CfStore) store = open_store (":memory:");
  g_autoptr(GPtrArray) left = NULL;
  CfHistoryEntry old = { .path = (char *) "/home/a/old.pdf", .sha256 = (char *) SHA_A, .time = 1000,
                         .status = (char *) "clean", .decision = (char *) "allow",
                         .reason = (char *) "clean", .size = -1 };
  CfHistoryEntry same_second = old;
  CfHistoryEntry later = old;
  const CfHistoryEntry *entry;

  same_second.time = 2000;
  later.time = 2001;
  later.path = (char *) "/home/a/later.pdf";
  cf_store_add_history (store, &old);
  cf_store_add_history (store, &same_second);
  cf_store_add_history (store, &later);

  cf_store_clear_history_before (store, 2000);
  left = cf_store_list_history (store, 0);
  g_assert_cmpuint (left->len, ==, 1);
  entry = g_ptr_array_index (left, 0);
  g_assert_cmpstr (entry->path, ==, "/home/a/later.pdf");

  cf_store_clear_history (store);
  g_clear_pointer (&left, g_ptr_array_unref);
  left = cf_store_list_history (store, 0);
  g_assert_cmpuint (left->len, ==, 0);
}

static void
test_history (void)
{
  g_autoptr(CfStore) store = open_store (":memory:");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) two = NULL;
  g_autoptr(GPtrArray) none = NULL;
  CfHistoryEntry first = { .path = (char *) "/home/a/first.pdf", .sha256 = (char *) SHA_A,
                           .time = 1000, .status = (char *) "clean", .decision = (char *) "allow",
                           .reason = (char *) "clean", .engines = 70, .size = -1 };
  CfHistoryEntry second = { .path = (char *) "/home/a/second.exe", .sha256 = (char *) SHA_B,
                            .time = 3000, .status = (char *) "detected", .decision = (char *) "block",
                            .reason = (char *) "detected", .malicious = 12, .suspicious = 2,
                            .engines = 71, .threshold = 3, .source = (char *) "upload",
                            .kind = (char *) "file", .size = 4096,
                            .origin = (char *) "https://example.org/second.exe" };
  CfHistoryEntry failed = { .path = (char *) "/home/a/unreadable", .time = 2000,
                            .status = (char *) "error", .decision = (char *) "block",
                            .reason = (char *) "error", .error = (char *) "Permission denied",
                            .kind = (char *) "file", .size = -1 };
  const CfHistoryEntry *entry;
  gint64 id_first;
  gint64 id_second;
  gint64 id_failed;

  id_first = cf_store_add_history (store, &first);
  id_second = cf_store_add_history (store, &second);
  id_failed = cf_store_add_history (store, &failed);
  g_assert_cmpint (id_first, >, 0);
  g_assert_cmpint (id_second, >, id_first);
  g_assert_cmpint (id_failed, >, id_second);

  cf_store_set_history_override (store, id_second, "run-anyway");

  all = cf_store_list_history (store, 0);
  g_assert_cmpuint (all->len, ==, 3);

  /* Newest first, whatever order they were added in. */
  entry = g_ptr_array_index (all, 0);
  g_assert_cmpint (entry->id, ==, id_second);
  g_assert_cmpstr (entry->path, ==, "/home/a/second.exe");
  g_assert_cmpstr (entry->sha256, ==, SHA_B);
  g_assert_cmpint (entry->time, ==, 3000);
  g_assert_cmpstr (entry->status, ==, "detected");
  g_assert_cmpstr (entry->decision, ==, "block");
  g_assert_cmpstr (entry->reason, ==, "detected");
  g_assert_cmpint (entry->malicious, ==, 12);
  g_assert_cmpint (entry->engines, ==, 71);
  g_assert_cmpstr (entry->override, ==, "run-anyway");
  /* Everything the verdict is shown with comes back, not just the counts. */
  g_assert_cmpint (entry->suspicious, ==, 2);
  g_assert_cmpuint (entry->threshold, ==, 3);
  g_assert_cmpstr (entry->source, ==, "upload");
  g_assert_cmpstr (entry->kind, ==, "file");
  g_assert_cmpint (entry->size, ==, 4096);
  g_assert_cmpstr (entry->origin, ==, "https://example.org/second.exe");
  g_assert_null (entry->error);

  entry = g_ptr_array_index (all, 1);
  g_assert_cmpint (entry->id, ==, id_failed);
  g_assert_null (entry->sha256);
  g_assert_null (entry->override);
  g_assert_cmpstr (entry->error, ==, "Permission denied");
  g_assert_cmpint (entry->size, ==, -1);
  g_assert_null (entry->source);

  entry = g_ptr_array_index (all, 2);
  g_assert_cmpint (entry->id, ==, id_first);

  two = cf_store_list_history (store, 2);
  g_assert_cmpuint (two->len, ==, 2);

  cf_store_clear_history (store);
  none = cf_store_list_history (store, 0);
  g_assert_cmpuint (none->len, ==, 0);
}

/* Write-behind: while another program holds the write lock, the main
 * thread's writes are queued instead of waited for, a request slot is
 * "busy", reads still answer, and everything lands once the lock goes. */
static void
test_write_behind (void)
{
  g_autofree char *path = scratch_path ("write-behind.db");
  g_autoptr(CfStore) store = open_store (path);
  g_autoptr(sqlite3) holder = open_raw (path);
  g_autoptr(CfReport) report = cf_report_new ();
  g_autoptr(CfReport) cached = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  CfHistoryEntry entry = { .path = (char *) "/home/a/late.pdf", .sha256 = (char *) SHA_A,
                           .time = 5000, .status = (char *) "clean", .decision = (char *) "allow",
                           .reason = (char *) "clean", .engines = 70, .size = 9,
                           .kind = (char *) "file" };
  gint64 retry_at = 0;
  gint64 id;

  cf_store_save_verdict (store, SHA_B, NULL, 100);
  g_assert_true (cf_store_set_write_behind (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_exec (holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  /* Queued, not written: the other program still holds the lock. */
  report->sha256 = g_strdup (SHA_A);
  report->stats.undetected = 70;
  cf_store_save_verdict (store, SHA_A, report, 200);
  id = cf_store_add_history (store, &entry);
  g_assert_cmpint (id, >, 0);
  cf_store_set_history_override (store, id, "always-allow");
  g_assert_cmpint (raw_int (holder, "SELECT count(*) FROM verdicts WHERE sha256 = '" SHA_A "'"), ==, 0);

  /* Reading does not wait for the writer. */
  g_assert_true (cf_store_lookup_verdict (store, SHA_B, 150, NULL, NULL, NULL));

  /* A request slot cannot be had now; the caller is told to come back. */
  g_assert_false (cf_store_try_reserve_slot (store, 1000, 4, 500, 0, &retry_at, &error));
  g_assert_error (error, CF_STORE_ERROR, CF_STORE_ERROR_BUSY);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_exec (holder, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  cf_store_flush (store);

  /* In the order they were made, under the id the caller was given. */
  g_assert_true (cf_store_lookup_verdict (store, SHA_A, 250, NULL, &cached, NULL));
  g_assert_cmpint (cached->stats.undetected, ==, 70);
  history = cf_store_list_history (store, 0);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpint (((CfHistoryEntry *) g_ptr_array_index (history, 0))->id, ==, id);
  g_assert_cmpstr (((CfHistoryEntry *) g_ptr_array_index (history, 0))->override, ==, "always-allow");
  g_assert_true (cf_store_try_reserve_slot (store, 1000, 4, 500, 0, &retry_at, &error));
  g_assert_no_error (error);
}

/* Trust list */

static void
test_trust (void)
{
  g_autoptr(CfStore) store = open_store (":memory:");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *upper = g_ascii_strup (SHA_B, -1);
  const CfTrustEntry *entry;

  g_assert_cmpint (cf_store_get_trust (store, SHA_A, &note), ==, CF_TRUST_NONE);
  g_assert_null (note);

  g_assert_true (cf_store_set_trust (store, SHA_A, CF_TRUST_ALLOW, "our installer", 100, &error));
  g_assert_no_error (error);
  g_assert_true (cf_store_set_trust (store, upper, CF_TRUST_BLOCK, NULL, 200, &error));
  g_assert_no_error (error);

  g_assert_cmpint (cf_store_get_trust (store, SHA_A, &note), ==, CF_TRUST_ALLOW);
  g_assert_cmpstr (note, ==, "our installer");
  g_clear_pointer (&note, g_free);
  g_assert_cmpint (cf_store_get_trust (store, SHA_B, &note), ==, CF_TRUST_BLOCK);
  g_assert_null (note);
  g_assert_cmpint (cf_store_get_trust (store, SHA_B, NULL), ==, CF_TRUST_BLOCK);

  list = cf_store_list_trust (store);
  g_assert_cmpuint (list->len, ==, 2);
  entry = g_ptr_array_index (list, 0);
  g_assert_cmpstr (entry->sha256, ==, SHA_B);
  g_assert_cmpint (entry->trust, ==, CF_TRUST_BLOCK);
  g_assert_cmpint (entry->time, ==, 200);
  entry = g_ptr_array_index (list, 1);
  g_assert_cmpstr (entry->sha256, ==, SHA_A);
  g_assert_cmpstr (entry->note, ==, "our installer");

  /* Changing one's mind replaces; NONE forgets. */
  g_assert_true (cf_store_set_trust (store, SHA_A, CF_TRUST_BLOCK, "changed", 300, &error));
  g_assert_cmpint (cf_store_get_trust (store, SHA_A, NULL), ==, CF_TRUST_BLOCK);
  g_assert_true (cf_store_set_trust (store, SHA_A, CF_TRUST_NONE, NULL, 400, &error));
  g_assert_true (cf_store_set_trust (store, SHA_B, CF_TRUST_NONE, NULL, 400, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cf_store_get_trust (store, SHA_A, NULL), ==, CF_TRUST_NONE);

  empty = cf_store_list_trust (store);
  g_assert_cmpuint (empty->len, ==, 0);
}

static const char * const invalid_hashes[] = {
  "",
  "abc",
  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",     /* 63 */
  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",   /* 65 */
  "g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  "0123456789abcdef 123456789abcdef0123456789abcdef0123456789abcdef",
  "'; DROP TABLE trust; --",
};

static void
test_trust_invalid (gconstpointer data)
{
  const char *hash = data;
  g_autoptr(CfStore) store = open_store (":memory:");
  g_autoptr(GError) error = NULL;

  g_assert_false (cf_store_set_trust (store, hash, CF_TRUST_ALLOW, NULL, 1, &error));
  g_assert_error (error, CF_STORE_ERROR, CF_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "SHA-256"));
  g_assert_cmpint (cf_store_get_trust (store, hash, NULL), ==, CF_TRUST_NONE);
}

static void
test_trust_invalid_level (void)
{
  g_autoptr(CfStore) store = open_store (":memory:");
  g_autoptr(GError) error = NULL;

  g_assert_false (cf_store_set_trust (store, SHA_A, (CfTrust) 42, NULL, 1, &error));
  g_assert_error (error, CF_STORE_ERROR, CF_STORE_ERROR_INVALID);
}

/* Pending analyses */

static void
test_pending (void)
{
  g_autoptr(CfStore) store = open_store (":memory:");
  g_autoptr(CfPendingAnalysis) pending = NULL;
  g_autoptr(CfPendingAnalysis) replaced = NULL;
  g_autoptr(CfPendingAnalysis) gone = NULL;
  g_autofree char *upper = g_ascii_strup (SHA_A, -1);

  cf_store_save_pending (store, SHA_A, "ZjQxNDBmZjQ6MTc2NDAwMDAwMA==", 1764000000);
  pending = cf_store_get_pending (store, upper);
  g_assert_nonnull (pending);
  g_assert_cmpstr (pending->sha256, ==, SHA_A);
  g_assert_cmpstr (pending->analysis_id, ==, "ZjQxNDBmZjQ6MTc2NDAwMDAwMA==");
  g_assert_cmpint (pending->started, ==, 1764000000);

  cf_store_save_pending (store, SHA_A, "second", 1764000100);
  replaced = cf_store_get_pending (store, SHA_A);
  g_assert_cmpstr (replaced->analysis_id, ==, "second");

  g_assert_null (cf_store_get_pending (store, SHA_B));

  cf_store_forget_pending (store, SHA_A);
  gone = cf_store_get_pending (store, SHA_A);
  g_assert_null (gone);
}

/* Request slots */

static gboolean
reserve (CfStore *store,
         gint64   now,
         guint    per_minute,
         guint    per_day,
         guint    per_month,
         gint64  *retry_at)
{
  g_autoptr(GError) error = NULL;
  gint64 dummy = 0;
  gboolean ok;

  ok = cf_store_try_reserve_slot (store, now, per_minute, per_day, per_month,
                                  retry_at != NULL ? retry_at : &dummy, &error);
  g_assert_no_error (error);
  return ok;
}

static void
test_slots_minute (void)
{
  g_autoptr(CfStore) store = open_store (":memory:");
  const gint64 t = utc (2026, 3, 14, 12, 0, 0);
  gint64 retry_at = 0;
  guint minute = 0;
  guint day = 0;
  guint month = 0;

  g_assert_true (reserve (store, t, 3, 0, 0, &retry_at));
  g_assert_true (reserve (store, t + 10 * SEC, 3, 0, 0, &retry_at));
  g_assert_true (reserve (store, t + 20 * SEC, 3, 0, 0, &retry_at));

  /* Full: the first slot leaves the window 60 s after it was taken. */
  g_assert_false (reserve (store, t + 30 * SEC, 3, 0, 0, &retry_at));
  g_assert_cmpint (retry_at, ==, t + MINUTE);
  g_assert_false (reserve (store, t + MINUTE - 1, 3, 0, 0, &retry_at));
  g_assert_cmpint (retry_at, ==, t + MINUTE);

  /* The window slides: a slot frees exactly then. */
  g_assert_true (reserve (store, t + MINUTE, 3, 0, 0, &retry_at));
  g_assert_false (reserve (store, t + MINUTE, 3, 0, 0, &retry_at));
  g_assert_cmpint (retry_at, ==, t + 10 * SEC + MINUTE);

  cf_store_count_slots (store, t + MINUTE, &minute, &day, &month);
  g_assert_cmpuint (minute, ==, 3);
  g_assert_cmpuint (day, ==, 4);
  g_assert_cmpuint (month, ==, 4);

  /* A lowered limit waits for enough slots to leave, not just the oldest:
   * of t + 10 s, t + 20 s and t + 60 s, two must go for a limit of 2. */
  g_assert_false (reserve (store, t + MINUTE, 2, 0, 0, &retry_at));
  g_assert_cmpint (retry_at, ==, t + 20 * SEC + MINUTE);

  /* No limit at all still counts. */
  g_assert_true (reserve (store, t + MINUTE, 0, 0, 0, &retry_at));
  cf_store_count_slots (store, t + MINUTE, &minute, NULL, NULL);
  g_assert_cmpuint (minute, ==, 4);
}

static void
test_slots_day (void)
{
  g_autoptr(CfStore) store = open_store (":memory:");
  const gint64 evening = utc (2026, 3, 14, 23, 59, 58);
  const gint64 midnight = utc (2026, 3, 15, 0, 0, 0);
  gint64 retry_at = 0;
  gint64 minute_reset = 0;
  gint64 day_reset = 0;
  gint64 month_reset = 0;
  guint minute = 0;
  guint day = 0;
  guint month = 0;

  g_assert_true (reserve (store, evening, 0, 2, 0, &retry_at));
  g_assert_true (reserve (store, evening + SEC, 0, 2, 0, &retry_at));
  g_assert_false (reserve (store, evening + SEC, 0, 2, 0, &retry_at));
  g_assert_cmpint (retry_at, ==, midnight);
  g_assert_false (reserve (store, midnight - 1, 0, 2, 0, &retry_at));
  g_assert_cmpint (retry_at, ==, midnight);

  cf_store_get_slot_resets (store, evening + SEC, &minute_reset, &day_reset, &month_reset);
  g_assert_cmpint (minute_reset, ==, evening + MINUTE);
  g_assert_cmpint (day_reset, ==, midnight);
  g_assert_cmpint (month_reset, ==, utc (2026, 4, 1, 0, 0, 0));

  /* A new day, a new budget; the minute window still sees yesterday. */
  g_assert_true (reserve (store, midnight, 0, 2, 0, &retry_at));
  cf_store_count_slots (store, midnight, &minute, &day, &month);
  g_assert_cmpuint (minute, ==, 3);
  g_assert_cmpuint (day, ==, 1);
  g_assert_cmpuint (month, ==, 3);

  cf_store_get_slot_resets (store, utc (2026, 3, 15, 12, 0, 0), &minute_reset, NULL, NULL);
  g_assert_cmpint (minute_reset, ==, utc (2026, 3, 15, 12, 0, 0));
}

typedef struct
{
  const char *name;
  int         year;
  int         month;
  int         day;
  int         next_year;
  int         next_month;
} MonthCase;

static const MonthCase month_cases[] = {
  { "january", 2026, 1, 31, 2026, 2 },
  { "february", 2028, 2, 29, 2028, 3 },
  { "december", 2026, 12, 31, 2027, 1 },
};

static void
test_slots_month (gconstpointer data)
{
  const MonthCase *test = data;
  g_autoptr(CfStore) store = open_store (":memory:");
  const gint64 first = utc (test->year, test->month, 1, 0, 0, 0);
  const gint64 last = utc (test->year, test->month, test->day, 23, 59, 59);
  const gint64 next = utc (test->next_year, test->next_month, 1, 0, 0, 0);
  gint64 retry_at = 0;
  guint month = 0;

  /* The day before the month started does not count. */
  g_assert_true (reserve (store, first - SEC, 0, 0, 2, &retry_at));
  g_assert_true (reserve (store, first, 0, 0, 2, &retry_at));
  g_assert_true (reserve (store, first + 3 * 86400 * SEC, 0, 0, 2, &retry_at));
  g_assert_false (reserve (store, last, 0, 0, 2, &retry_at));
  g_assert_cmpint (retry_at, ==, next);

  cf_store_count_slots (store, last, NULL, NULL, &month);
  g_assert_cmpuint (month, ==, 2);

  g_assert_true (reserve (store, next, 0, 0, 2, &retry_at));
  cf_store_count_slots (store, next, NULL, NULL, &month);
  g_assert_cmpuint (month, ==, 1);
}

static void
test_slots_blockers_combine (void)
{
  g_autoptr(CfStore) store = open_store (":memory:");
  const gint64 t = utc (2026, 3, 31, 23, 59, 30);
  gint64 retry_at = 0;

  /* Day and month both spent, and the minute too: the latest wins. */
  g_assert_true (reserve (store, t, 1, 1, 1, &retry_at));
  g_assert_false (reserve (store, t + SEC, 1, 1, 1, &retry_at));
  g_assert_cmpint (retry_at, ==, t + MINUTE);
  g_assert_false (reserve (store, t + SEC, 0, 1, 1, &retry_at));
  g_assert_cmpint (retry_at, ==, utc (2026, 4, 1, 0, 0, 0));
}

static void
test_slots_paused (void)
{
  g_autoptr(CfStore) store = open_store (":memory:");
  const gint64 t = utc (2026, 3, 14, 12, 0, 0);
  gint64 retry_at = 0;

  g_assert_cmpint (cf_store_get_paused_until (store), ==, 0);

  cf_store_set_paused_until (store, t + 30 * SEC);
  g_assert_false (reserve (store, t, 0, 0, 0, &retry_at));
  g_assert_cmpint (retry_at, ==, t + 30 * SEC);

  /* A shorter pause never shortens a longer one. */
  cf_store_set_paused_until (store, t + 10 * SEC);
  g_assert_cmpint (cf_store_get_paused_until (store), ==, t + 30 * SEC);
  g_assert_false (reserve (store, t + 20 * SEC, 0, 0, 0, &retry_at));
  g_assert_cmpint (retry_at, ==, t + 30 * SEC);

  g_assert_true (reserve (store, t + 30 * SEC, 0, 0, 0, &retry_at));

  cf_store_set_paused_until (store, t + 90 * SEC);
  g_assert_cmpint (cf_store_get_paused_until (store), ==, t + 90 * SEC);
}

static void
test_slots_shared (void)
{
  g_autofree char *path = scratch_path ("shared.db");
  g_autoptr(CfStore) one = open_store (path);
  g_autoptr(CfStore) two = open_store (path);
  const gint64 t = utc (2026, 3, 14, 12, 0, 0);
  gint64 retry_at = 0;
  guint minute = 0;

  g_assert_true (reserve (one, t, 2, 0, 0, &retry_at));
  g_assert_true (reserve (two, t + SEC, 2, 0, 0, &retry_at));
  g_assert_false (reserve (one, t + 2 * SEC, 2, 0, 0, &retry_at));
  g_assert_cmpint (retry_at, ==, t + MINUTE);
  g_assert_false (reserve (two, t + 2 * SEC, 2, 0, 0, &retry_at));
  g_assert_cmpint (retry_at, ==, t + MINUTE);

  cf_store_count_slots (two, t + 2 * SEC, &minute, NULL, NULL);
  g_assert_cmpuint (minute, ==, 2);

  cf_store_set_paused_until (one, t + 5 * MINUTE);
  g_assert_cmpint (cf_store_get_paused_until (two), ==, t + 5 * MINUTE);
  g_assert_false (reserve (two, t + 2 * MINUTE, 2, 0, 0, &retry_at));
  g_assert_cmpint (retry_at, ==, t + 5 * MINUTE);
}

static void
test_slots_prune (void)
{
  g_autofree char *path = scratch_path ("prune.db");
  g_autoptr(CfStore) store = open_store (path);
  g_autoptr(sqlite3) db = NULL;
  const gint64 t = utc (2026, 3, 14, 12, 0, 0);

  g_assert_true (reserve (store, t - 50 * 86400 * SEC, 0, 0, 0, NULL));
  g_assert_true (reserve (store, t - 20 * 86400 * SEC, 0, 0, 0, NULL));
  g_assert_true (reserve (store, t - 30 * SEC, 0, 0, 0, NULL));
  g_clear_object (&store);

  /* A fresh object prunes on its first reservation: a slot stays only
   * while the minute can see it, a day's count while a month can. */
  store = open_store (path);
  g_assert_true (reserve (store, t, 0, 0, 0, NULL));

  db = open_raw (path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM slots"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM slot_days"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT used FROM slot_days ORDER BY day DESC LIMIT 1"), ==, 2);
}

/* The slots of a database from before the daily counts (schema 4) still
 * count towards today and this month once it is opened. */
static void
test_slots_migration (void)
{
  g_autofree char *path = scratch_path ("slots-v4.db");
  g_autoptr(CfStore) store = open_store (path);
  g_autoptr(sqlite3) db = NULL;
  const gint64 t = utc (2026, 3, 14, 12, 0, 0);
  guint day = 0;
  guint month = 0;

  g_clear_object (&store);
  db = open_raw (path);
  g_assert_cmpint (sqlite3_exec (db,
                                 /* Back to version 4: what 5 and later added goes. */
                                 "DROP TABLE slot_days; DROP TABLE disarmed;"
                                 " ALTER TABLE history DROP COLUMN referrer;"
                                 " PRAGMA user_version = 4;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < 5; i++)
    {
      /* Two today (one of them an hour ago), three on earlier days of the month. */
      g_autofree char *sql = g_strdup_printf ("INSERT INTO slots (time_us) VALUES (%" G_GINT64_FORMAT ")",
                                              i < 2 ? t - i * 3600 * SEC : t - i * 86400 * SEC);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  g_clear_pointer (&db, sqlite3_close);

  store = open_store (path);
  cf_store_count_slots (store, t, NULL, &day, &month);
  g_assert_cmpuint (day, ==, 2);
  g_assert_cmpuint (month, ==, 5);
  g_assert_false (reserve (store, t, 0, 0, 5, NULL));
}

/* A month of @per_day reservations a day from @month_start, in bursts of
 * six seconds apart (so a limit of four a minute is reached); returns the
 * SQLite steps the last @sample of them took. */
static gsize
reserve_month (CfStore *store,
               gint64   month_start,
               guint    per_day,
               guint    per_minute,
               guint    sample)
{
  const gint64 gap = 86400 * SEC / per_day;
  const guint n = 31 * per_day;
  gsize work = 0;

  for (guint i = 0; i < n; i++)
    {
      guint j = i % per_day;
      gint64 now = month_start + (i / per_day) * 86400 * SEC + (j - j % 6) * gap + (j % 6) * SEC;
      gsize before = cf_store_get_work (store);

      reserve (store, now, per_minute, 0, 1000000, NULL);
      reserve (store, now, per_minute, 1000000, 0, NULL);
      if (i >= n - sample)
        work += cf_store_get_work (store) - before;
    }

  return work;
}

/* The work of a reservation does not grow with the requests already made:
 * at the end of a month of 15 500 requests it is what it is at the end of
 * a month of 1 550.  Counting every slot since the first of the month made
 * it ten times as much. */
static void
test_slots_flat_cost (gconstpointer data)
{
  guint per_minute = GPOINTER_TO_UINT (data);
  g_autoptr(CfStore) store = open_store (":memory:");
  const guint sample = 500;
  gsize light, heavy;

  light = reserve_month (store, utc (2026, 3, 1, 0, 0, 0), 50, per_minute, sample);
  heavy = reserve_month (store, utc (2026, 5, 1, 0, 0, 0), 500, per_minute, sample);

  g_test_message ("SQLite steps of the last %u reservations: %" G_GSIZE_FORMAT " after 1 550 "
                  "in the month, %" G_GSIZE_FORMAT " after 15 500", sample, light, heavy);
  g_assert_cmpuint (light, >, 0);
  g_assert_cmpuint (heavy, <=, light + light / 4);
}

#define HAMMER_LIMIT    20
#define HAMMER_ATTEMPTS 50

/* The child side of test_slots_processes(): both start at the same moment
 * and fight for the same minute. */
static int
hammer (const char *path,
        const char *base_text,
        const char *start_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfStore) store = cf_store_open (path, &error);
  gint64 base = g_ascii_strtoll (base_text, NULL, 10);
  gint64 start = g_ascii_strtoll (start_text, NULL, 10);
  guint won = 0;
  guint failed = 0;

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* Sleep most of the way, then spin, so both really start together. */
  if (start - g_get_real_time () > 5000)
    g_usleep (start - g_get_real_time () - 5000);
  while (g_get_real_time () < start)
    ;

  for (guint i = 0; i < HAMMER_ATTEMPTS; i++)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 retry_at = 0;

      if (cf_store_try_reserve_slot (store, base + i * 1000, HAMMER_LIMIT, 0, 0,
                                     &retry_at, &local_error))
        won++;
      else if (local_error != NULL)
        {
          g_printerr ("%s\n", local_error->message);
          failed++;
        }

      /* Give the other process a chance to get in between. */
      g_usleep (g_random_int_range (0, 300));
    }

  g_print ("%u %u\n", won, failed);
  return 0;
}

static void
test_slots_processes (void)
{
  g_autofree char *path = scratch_path ("processes.db");
  g_autoptr(CfStore) store = open_store (path);
  g_autofree char *base = g_strdup_printf ("%" G_GINT64_FORMAT, utc (2026, 3, 14, 12, 0, 0));
  g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            g_get_real_time () + 300 * 1000);
  GSubprocess *children[2];
  guint won = 0;
  guint minute = 0;

  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      g_autoptr(GError) error = NULL;

      children[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                      self_exe, "--hammer", path, base, start, NULL);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *output = NULL;
      guint child_won = 0;
      guint child_failed = 0;

      g_subprocess_communicate_utf8 (children[i], NULL, NULL, &output, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (children[i]));
      g_assert_cmpint (sscanf (output, "%u %u", &child_won, &child_failed), ==, 2);
      g_assert_cmpuint (child_failed, ==, 0);
      g_test_message ("child %u took %u slots", i, child_won);
      won += child_won;
      g_object_unref (children[i]);
    }

  g_assert_cmpuint (won, ==, HAMMER_LIMIT);
  cf_store_count_slots (store, utc (2026, 3, 14, 12, 0, 1), &minute, NULL, NULL);
  g_assert_cmpuint (minute, ==, HAMMER_LIMIT);
}

int
main (int   argc,
      char *argv[])
{
  g_log_set_writer_func (test_log_writer, NULL, NULL);

  if (argc == 5 && g_strcmp0 (argv[1], "--hammer") == 0)
    return hammer (argv[2], argv[3], argv[4]);

  self_exe = g_canonicalize_filename (argv[0], NULL);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cf/store/default-path", test_default_path);
  for (guint i = 0; i < G_N_ELEMENTS (permission_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/store/permissions/%s",
                                               permission_cases[i].name);
      g_test_add_data_func (name, &permission_cases[i], test_permissions);
    }
  g_test_add_func ("/cf/store/pragmas", test_pragmas);
  for (guint i = 0; i < G_N_ELEMENTS (corrupt_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/store/corrupt/%s", corrupt_cases[i].name);
      g_test_add_data_func (name, &corrupt_cases[i], test_corrupt);
    }
  g_test_add_func ("/cf/store/migration/from-0", test_migration_from_zero);
  g_test_add_func ("/cf/store/migration/newer", test_newer_version);

  for (guint i = 0; i < G_N_ELEMENTS (identity_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/store/identity-cache/%s",
                                               identity_cases[i].name);
      g_test_add_data_func (name, &identity_cases[i], test_identity_cache);
    }
  g_test_add_func ("/cf/store/identity-cache/remember", test_identity_remember);

  for (guint i = 0; i < G_N_ELEMENTS (ttl_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/store/verdict-ttl/%s", ttl_cases[i].name);
      g_test_add_data_func (name, &ttl_cases[i], test_verdict_ttl);
    }
  g_test_add_func ("/cf/store/verdict/round-trip", test_verdict_round_trip);
  g_test_add_func ("/cf/store/verdict/bad-json", test_verdict_bad_json);

  g_test_add_func ("/cf/store/alias", test_alias);
  g_test_add_func ("/cf/store/history", test_history);
  g_test_add_func ("/cf/store/history/clear-before", test_history_clear_before);
  g_test_add_func ("/cf/store/write-behind", test_write_behind);
  g_test_add_func ("/cf/store/trust", test_trust);
  for (guint i = 0; i < G_N_ELEMENTS (invalid_hashes); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/store/trust/invalid/%u", i);
      g_test_add_data_func (name, invalid_hashes[i], test_trust_invalid);
    }
  g_test_add_func ("/cf/store/trust/invalid-level", test_trust_invalid_level);
  g_test_add_func ("/cf/store/pending", test_pending);

  g_test_add_func ("/cf/store/slots/minute", test_slots_minute);
  g_test_add_func ("/cf/store/slots/day", test_slots_day);
  for (guint i = 0; i < G_N_ELEMENTS (month_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cf/store/slots/month/%s", month_cases[i].name);
      g_test_add_data_func (name, &month_cases[i], test_slots_month);
    }
  g_test_add_func ("/cf/store/slots/combined", test_slots_blockers_combine);
  g_test_add_func ("/cf/store/slots/paused", test_slots_paused);
  g_test_add_func ("/cf/store/slots/shared", test_slots_shared);
  g_test_add_func ("/cf/store/slots/prune", test_slots_prune);
  g_test_add_func ("/cf/store/slots/migration", test_slots_migration);
  g_test_add_data_func ("/cf/store/slots/flat-cost/no-minute-limit", GUINT_TO_POINTER (0),
                        test_slots_flat_cost);
  g_test_add_data_func ("/cf/store/slots/flat-cost/minute-limit", GUINT_TO_POINTER (4),
                        test_slots_flat_cost);
  g_test_add_func ("/cf/store/slots/processes", test_slots_processes);

  return g_test_run ();
}
