/* test-session.c: the core session, in process, against the fake server
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A front-end sees a check only through its property notifications: these
 * tests record them, from the check's start to its verdict, for a file, a
 * hash and a running program, and for a check that is cancelled and one
 * that fails.  What they assert is what a window or a script relies on:
 * the stages come in order, the verdict is complete when "finished" is
 * notified, and nothing moves after that.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "cf-format.h"
#include "cf-session.h"
#include "cf-test-util.h"
#include "cf-vt-error.h"

#define EICAR_SHA256 "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
#define EICAR_MD5    "44d88612fea8a8f36de82e1278abb02f"

typedef struct
{
  CfFakeVt  *server;
  char      *tmpdir;
  CfSession *session;
  char      *eicar;
  char      *clean;
} Fixture;

/* What one check told its watchers. */
typedef struct
{
  CfCheck    *check;
  CfSession  *session;        /* watched for "check-finished", or NULL */
  GPtrArray  *names;          /* each notified property, in order */
  GArray     *stages;         /* CfCheckStage: the first, then each change */
  guint       finished;       /* "finished" notifications */
  guint       late;           /* notifications after "finished" */
  guint       session_said;   /* CfSession::check-finished for this check */
  /* What the check held when "finished" was notified. */
  CfCheckStage final_stage;
  CfDecision   final_decision;
  char        *final_sha256;
  gboolean     final_report;
  gboolean     final_error;
} Trace;

static void
on_notify (CfCheck    *check,
           GParamSpec *pspec,
           Trace      *trace)
{
  /* Only real properties are ever notified (the class knows each). */
  g_assert_nonnull (g_object_class_find_property (G_OBJECT_GET_CLASS (check), pspec->name));

  if (trace->finished > 0)
    trace->late++;
  g_ptr_array_add (trace->names, (gpointer) g_intern_string (pspec->name));

  if (g_str_equal (pspec->name, "stage"))
    {
      CfCheckStage stage = cf_check_get_stage (check);
      CfCheckStage last = g_array_index (trace->stages, CfCheckStage, trace->stages->len - 1);

      /* A notification says something changed. */
      g_assert_cmpint (stage, !=, last);
      g_array_append_val (trace->stages, stage);
    }
  else if (g_str_equal (pspec->name, "finished"))
    {
      trace->finished++;
      trace->final_stage = cf_check_get_stage (check);
      trace->final_decision = cf_check_get_decision (check);
      trace->final_sha256 = g_strdup (cf_check_get_sha256 (check));
      trace->final_report = cf_check_get_report (check) != NULL;
      trace->final_error = cf_check_get_error (check) != NULL;
      g_assert_true (cf_check_is_finished (check));
    }
}

static void
on_session_finished (CfSession *session,
                     CfCheck   *check,
                     Trace     *trace)
{
  if (check == trace->check)
    {
      /* The session speaks after the check itself did. */
      g_assert_cmpuint (trace->finished, ==, 1);
      trace->session_said++;
    }
}

static Trace *
trace_new (CfSession *session,
           CfCheck   *check)
{
  Trace *trace = g_new0 (Trace, 1);
  CfCheckStage first = cf_check_get_stage (check);

  trace->check = g_object_ref (check);
  trace->names = g_ptr_array_new ();
  trace->stages = g_array_new (FALSE, FALSE, sizeof (CfCheckStage));
  g_array_append_val (trace->stages, first);
  g_signal_connect (check, "notify", G_CALLBACK (on_notify), trace);
  if (session != NULL)
    g_signal_connect (session, "check-finished", G_CALLBACK (on_session_finished), trace);
  trace->session = session;
  return trace;
}

static void
trace_free (Trace *trace)
{
  g_signal_handlers_disconnect_by_data (trace->check, trace);
  if (trace->session != NULL)
    g_signal_handlers_disconnect_by_data (trace->session, trace);
  g_clear_object (&trace->check);
  g_ptr_array_unref (trace->names);
  g_array_unref (trace->stages);
  g_free (trace->final_sha256);
  g_free (trace);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Trace, trace_free)

/* Where @name was first notified, or -1. */
static int
first_notified (Trace      *trace,
                const char *name)
{
  const char *interned = g_intern_string (name);

  for (guint i = 0; i < trace->names->len; i++)
    if (g_ptr_array_index (trace->names, i) == interned)
      return i;
  return -1;
}

/* Where the stage first became @stage in the notifications, or -1. */
static int
stage_notified (Trace        *trace,
                CfCheckStage  stage)
{
  const char *interned = g_intern_string ("stage");
  guint seen = 0;

  for (guint i = 0; i < trace->names->len; i++)
    if (g_ptr_array_index (trace->names, i) == interned &&
        g_array_index (trace->stages, CfCheckStage, ++seen) == stage)
      return i;
  return -1;
}

static void
assert_stages (Trace              *trace,
               const CfCheckStage *expected,
               guint               n_expected)
{
  g_autoptr(GString) seen = g_string_new (NULL);

  for (guint i = 0; i < trace->stages->len; i++)
    g_string_append_printf (seen, "%s%s", i > 0 ? " → " : "",
                            cf_check_stage_to_string (g_array_index (trace->stages, CfCheckStage, i)));
  g_test_message ("stages: %s", seen->str);

  g_assert_cmpuint (trace->stages->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpstr (cf_check_stage_to_string (g_array_index (trace->stages, CfCheckStage, i)), ==,
                     cf_check_stage_to_string (expected[i]));
}

/* Whatever the kind: one "finished", the verdict whole by then, silence after. */
static void
assert_ended_once (Trace *trace)
{
  g_assert_cmpuint (trace->finished, ==, 1);
  g_assert_cmpuint (trace->late, ==, 0);
  g_assert_cmpint (trace->final_stage, ==, cf_check_get_stage (trace->check));
  g_assert_cmpint (first_notified (trace, "finished"), ==, trace->names->len - 1);
}

static void
run_until_finished (Trace *trace)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while ((trace->finished == 0 || (trace->session_said == 0 && trace->final_stage != CF_CHECK_STAGE_CANCELLED)) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  /* Whatever else is queued (a late notification would show up here). */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (trace->finished, ==, 1);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;
  CfConfig config;

  f->server = cf_test_fake_vt_new ();
  f->tmpdir = cf_test_make_tmpdir ();
  f->eicar = cf_test_write_file (f->tmpdir, "eicar.com", CF_EICAR, -1, 0644);
  f->clean = cf_test_write_file (f->tmpdir, "clean.sh", "#!/bin/sh\necho hello\n", -1, 0755);
  g_assert_true (cf_fake_vt_register_file (f->server, f->eicar, "eicar", &error));
  g_assert_true (cf_fake_vt_register_file (f->server, f->clean, "clean", &error));

  db = g_build_filename (f->tmpdir, "check-first.db", NULL);
  f->session = cf_session_new (db, CF_SESSION_ONE_RUN, &error);
  g_assert_no_error (error);

  cf_config_copy (&config, cf_session_get_config (f->session));
  g_free (config.api_url);
  config.api_url = cf_fake_vt_get_base_url (f->server);
  config.per_minute = config.per_day = config.per_month = 0;
  config.upload = CF_UPLOAD_NEVER;
  cf_session_set_config (f->session, &config);
  cf_config_clear (&config);

  g_assert_cmpint (cf_session_get_key_state (f->session), !=, CF_KEY_STATE_PRESENT);
  cf_session_set_api_key (f->session, CF_TEST_KEY);
  g_assert_cmpint (cf_session_get_key_state (f->session), ==, CF_KEY_STATE_PRESENT);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->server);
  cf_test_rm_rf (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->eicar);
  g_free (f->clean);
}

/* A file: hashed, then looked up, then blocked; listed by the session. */
static void
test_file (Fixture       *f,
           gconstpointer  data)
{
  static const CfCheckStage expected[] = {
    CF_CHECK_STAGE_HASHING, CF_CHECK_STAGE_LOOKING_UP, CF_CHECK_STAGE_DONE,
  };
  g_autoptr(GFile) file = g_file_new_for_path (f->eicar);
  g_autoptr(CfCheck) check = cf_session_check_file (f->session, file, CF_SESSION_CHECK_LISTED);
  g_autoptr(Trace) trace = trace_new (f->session, check);
  g_autoptr(CfCheck) listed = NULL;

  g_assert_cmpint (cf_check_get_kind (check), ==, CF_CHECK_KIND_FILE);
  g_assert_cmpstr (cf_check_get_name (check), ==, "eicar.com");
  listed = g_list_model_get_item (cf_session_get_checks (f->session), 0);
  g_assert_true (listed == check);
  g_assert_true (cf_session_find_check (f->session, cf_check_get_serial (check)) == check);

  run_until_finished (trace);
  assert_stages (trace, expected, G_N_ELEMENTS (expected));
  assert_ended_once (trace);
  g_assert_cmpuint (trace->session_said, ==, 1);

  /* The hash is known before it is asked about, the size with it. */
  g_assert_cmpint (first_notified (trace, "sha256"), >=, 0);
  g_assert_cmpint (first_notified (trace, "sha256"), <, stage_notified (trace, CF_CHECK_STAGE_LOOKING_UP));
  g_assert_cmpint (first_notified (trace, "size"), >=, 0);
  g_assert_cmpint (first_notified (trace, "fraction"), <, stage_notified (trace, CF_CHECK_STAGE_LOOKING_UP));
  g_assert_cmpint (first_notified (trace, "report"), <, first_notified (trace, "finished"));
  g_assert_cmpint (first_notified (trace, "decision"), <, first_notified (trace, "finished"));

  g_assert_cmpint (trace->final_stage, ==, CF_CHECK_STAGE_DONE);
  g_assert_cmpint (trace->final_decision, ==, CF_DECISION_BLOCK);
  g_assert_cmpstr (trace->final_sha256, ==, EICAR_SHA256);
  g_assert_true (trace->final_report);
  g_assert_false (trace->final_error);
  g_assert_cmpint (cf_check_get_reason (check), ==, CF_REASON_DETECTED);
  g_assert_cmpint (cf_check_get_source (check), ==, CF_SOURCE_API);
  g_assert_cmpint (cf_check_get_size (check), ==, strlen (CF_EICAR));
  g_assert_true (cf_session_find_sha256 (f->session, EICAR_SHA256) == check);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 1);
}

/* The same file again: the cache answers, and no request is spent. */
static void
test_file_cached (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->clean);
  g_autoptr(CfCheck) first = cf_session_check_file (f->session, file, CF_SESSION_CHECK_NONE);
  g_autoptr(Trace) first_trace = trace_new (f->session, first);
  g_autoptr(CfCheck) second = NULL;
  g_autoptr(Trace) trace = NULL;

  run_until_finished (first_trace);
  g_assert_cmpint (cf_check_get_decision (first), ==, CF_DECISION_ALLOW);
  /* Not listed: a check can be the session's without being shown. */
  g_assert_cmpuint (g_list_model_get_n_items (cf_session_get_checks (f->session)), ==, 0);

  second = cf_session_check_file (f->session, file, CF_SESSION_CHECK_NONE);
  trace = trace_new (f->session, second);
  if (!cf_check_is_finished (second))
    run_until_finished (trace);
  g_assert_cmpint (cf_check_get_stage (second), ==, CF_CHECK_STAGE_DONE);
  g_assert_cmpint (cf_check_get_source (second), ==, CF_SOURCE_CACHE);
  g_assert_cmpint (cf_check_get_decision (second), ==, CF_DECISION_ALLOW);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 1);
  g_assert_cmpuint (cf_session_get_requests_spent (f->session), ==, 1);
}

/* A hash: no hashing stage; an MD5 learns its SHA-256 from the reply. */
static void
test_hash (Fixture       *f,
           gconstpointer  data)
{
  static const CfCheckStage expected[] = { CF_CHECK_STAGE_LOOKING_UP, CF_CHECK_STAGE_DONE };
  g_autoptr(CfCheck) check = cf_session_check_hash (f->session, EICAR_MD5, CF_PRIORITY_BATCH);
  g_autoptr(Trace) trace = trace_new (f->session, check);

  g_assert_cmpint (cf_check_get_kind (check), ==, CF_CHECK_KIND_HASH);
  g_assert_cmpstr (cf_check_get_hash (check), ==, EICAR_MD5);
  g_assert_null (cf_check_get_sha256 (check));
  g_assert_null (cf_check_get_file (check));

  run_until_finished (trace);
  assert_stages (trace, expected, G_N_ELEMENTS (expected));
  assert_ended_once (trace);
  g_assert_cmpuint (trace->session_said, ==, 1);
  g_assert_cmpint (first_notified (trace, "sha256"), >, stage_notified (trace, CF_CHECK_STAGE_LOOKING_UP));
  g_assert_cmpint (first_notified (trace, "sha256"), <, first_notified (trace, "finished"));
  g_assert_cmpstr (trace->final_sha256, ==, EICAR_SHA256);
  g_assert_cmpint (trace->final_decision, ==, CF_DECISION_BLOCK);
  g_assert_cmpint (first_notified (trace, "fraction"), ==, -1);
}

/* A hash VirusTotal never saw: unknown, allowed in normal mode. */
static void
test_hash_unknown (Fixture       *f,
                   gconstpointer  data)
{
  const char *hash = "1111111111111111111111111111111111111111111111111111111111111111";
  g_autoptr(CfCheck) check = cf_session_check_hash (f->session, hash, CF_PRIORITY_BATCH);
  g_autoptr(Trace) trace = trace_new (f->session, check);

  run_until_finished (trace);
  assert_ended_once (trace);
  g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_DONE);
  g_assert_cmpint (cf_check_get_reason (check), ==, CF_REASON_UNKNOWN_ALLOWED);
  g_assert_cmpint (cf_check_get_decision (check), ==, CF_DECISION_ALLOW);
  g_assert_false (trace->final_report);
  g_assert_cmpstr (cf_check_status (check), ==, "unknown");
}

/* Looks @hash up in @session and waits for the verdict, if the cache did
 * not give it at once. */
static CfCheck *
check_hash_now (CfSession  *session,
                const char *hash)
{
  g_autoptr(CfCheck) check = cf_session_check_hash (session, hash, CF_PRIORITY_BATCH);

  if (!cf_check_is_finished (check))
    {
      g_autoptr(Trace) trace = trace_new (session, check);

      run_until_finished (trace);
    }
  g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_DONE);
  return g_steal_pointer (&check);
}

static void
set_no_cache_lifetime (CfSession *session,
                       Fixture   *f)
{
  CfConfig config;

  cf_config_copy (&config, cf_session_get_config (session));
  g_free (config.api_url);
  config.api_url = cf_fake_vt_get_base_url (f->server);
  config.per_minute = config.per_day = config.per_month = 0;
  config.ttl.detected = config.ttl.clean = config.ttl.unknown = 0;
  cf_session_set_config (session, &config);
  cf_config_clear (&config);
}

/* A script's run asks each hash once, however old its answer grows: with
 * every cache lifetime at 0 s, the second check of a hash in the same run
 * is answered from the cache, while another session asks again. */
static void
test_one_run_asks_once (Fixture       *f,
                        gconstpointer  data)
{
  const char *hash = "2222222222222222222222222222222222222222222222222222222222222222";
  g_autofree char *db = g_build_filename (f->tmpdir, "check-first.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CfSession) run = cf_session_new (db, CF_SESSION_ONE_RUN, &error);
  g_autoptr(CfCheck) first = NULL;
  g_autoptr(CfCheck) again = NULL;
  g_autoptr(CfCheck) other = NULL;

  g_assert_no_error (error);
  set_no_cache_lifetime (run, f);
  set_no_cache_lifetime (f->session, f);
  cf_session_set_api_key (run, CF_TEST_KEY);

  first = check_hash_now (run, hash);
  g_assert_cmpint (cf_check_get_source (first), ==, CF_SOURCE_API);
  again = check_hash_now (run, hash);
  g_assert_cmpint (cf_check_get_source (again), ==, CF_SOURCE_CACHE);
  g_assert_cmpint (cf_check_get_reason (again), ==, CF_REASON_UNKNOWN_ALLOWED);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 1);

  other = check_hash_now (f->session, hash);
  g_assert_cmpint (cf_check_get_source (other), ==, CF_SOURCE_API);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 2);
}

/* A running program: one check per executable, from a made-up /proc whose
 * only process runs the EICAR file. */
static void
write_proc_file (const char *root,
                 const char *relative,
                 const char *contents)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

typedef struct
{
  CfSession *session;
  Trace     *trace;
} AuditWatch;

static void
on_audit_items (GListModel *model,
                guint       position,
                guint       removed,
                guint       added,
                AuditWatch *watch)
{
  g_autoptr(CfCheck) check = NULL;

  /* Watched from the moment it exists, before it starts. */
  g_assert_null (watch->trace);
  g_assert_cmpuint (added, ==, 1);
  check = g_list_model_get_item (model, position);
  watch->trace = trace_new (watch->session, check);
}

static void
test_process (Fixture       *f,
              gconstpointer  data)
{
  static const CfCheckStage expected[] = {
    CF_CHECK_STAGE_PENDING, CF_CHECK_STAGE_LOOKING_UP, CF_CHECK_STAGE_DONE,
  };
  g_autofree char *proc = g_build_filename (f->tmpdir, "proc", NULL);
  g_autofree char *exe = g_build_filename (proc, "4242", "exe", NULL);
  g_autoptr(CfAudit) audit = NULL;
  AuditWatch watch = { f->session, NULL };
  const CfProcessExe *process;
  g_autofree char *csv = NULL;
  g_autofree char *expected_csv = NULL;

  write_proc_file (proc, "4242/comm", "eicar.com\n");
  write_proc_file (proc, "4242/stat", "4242 (eicar.com) S 1 4242 4242 0 -1 4194560 120 0 0 0 0 0\n");
  g_assert_cmpint (symlink (f->eicar, exe), ==, 0);

  audit = cf_session_new_audit (f->session, proc);
  g_signal_connect (cf_audit_get_checks (audit), "items-changed", G_CALLBACK (on_audit_items), &watch);
  cf_audit_start (audit);
  while (watch.trace == NULL || cf_audit_is_running (audit))
    g_main_context_iteration (NULL, TRUE);
  run_until_finished (watch.trace);

  g_assert_null (cf_audit_get_error (audit));
  g_assert_cmpuint (cf_audit_get_n_processes (audit), ==, 1);
  g_assert_cmpuint (cf_audit_get_n_done (audit), ==, 1);
  assert_stages (watch.trace, expected, G_N_ELEMENTS (expected));
  assert_ended_once (watch.trace);
  g_assert_cmpuint (watch.trace->session_said, ==, 1);

  g_assert_cmpint (cf_check_get_kind (watch.trace->check), ==, CF_CHECK_KIND_PROCESS);
  process = cf_check_get_process (watch.trace->check);
  g_assert_nonnull (process);
  g_assert_cmpstr (process->path, ==, f->eicar);
  /* Hashed on the scan's thread: the hash is there from the start. */
  g_assert_cmpstr (cf_check_get_sha256 (watch.trace->check), ==, EICAR_SHA256);
  g_assert_cmpint (first_notified (watch.trace, "sha256"), ==, -1);
  g_assert_cmpint (watch.trace->final_decision, ==, CF_DECISION_BLOCK);
  g_assert_cmpint (cf_check_get_reason (watch.trace->check), ==, CF_REASON_DETECTED);

  /* Exported as the CLI prints it: the program, with its processes; the
   * test's folder is the user's own, so the program is user-writable. */
  csv = cf_format_check (CF_FORMAT_CSV, watch.trace->check, NULL);
  expected_csv = g_strdup_printf ("%s,,,,," EICAR_SHA256 ",%d,process,detected,block,detected,"
                                  "62,0,2,0,64,virus.eicar/test,false,"
                                  "https://www.virustotal.com/gui/file/" EICAR_SHA256
                                  ",api,,4242,eicar.com,false,true,,,,,,%" G_GINT64_FORMAT ",false",
                                  f->eicar, (int) strlen (CF_EICAR),
                                  cf_check_get_last_analysis (watch.trace->check));
  g_assert_cmpstr (csv, ==, expected_csv);

  trace_free (watch.trace);
}

/* A /proc that cannot be read is the audit's error, not "finished". */
static void
test_process_unreadable (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *proc = g_build_filename (f->tmpdir, "no-proc", NULL);
  g_autoptr(CfAudit) audit = cf_session_new_audit (f->session, proc);

  cf_audit_start (audit);
  while (cf_audit_is_running (audit))
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (cf_audit_get_error (audit));
  g_assert_cmpuint (g_list_model_get_n_items (cf_audit_get_checks (audit)), ==, 0);
}

/* Cancelled while the request is on its way: cancelled, nothing decided. */
static void
on_stage_cancel (CfCheck    *check,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  if (cf_check_get_stage (check) == CF_CHECK_STAGE_LOOKING_UP)
    cf_check_cancel (check);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  static const CfCheckStage expected[] = {
    CF_CHECK_STAGE_HASHING, CF_CHECK_STAGE_LOOKING_UP, CF_CHECK_STAGE_CANCELLED,
  };
  g_autoptr(GFile) file = g_file_new_for_path (f->clean);
  g_autoptr(CfCheck) check = NULL;
  g_autoptr(Trace) trace = NULL;

  /* The reply would take minutes: only the cancel can end this check. */
  cf_fake_vt_push_fault (f->server, "trickle");
  check = cf_session_check_file (f->session, file, CF_SESSION_CHECK_LISTED);
  trace = trace_new (f->session, check);
  g_signal_connect (check, "notify::stage", G_CALLBACK (on_stage_cancel), NULL);

  run_until_finished (trace);
  assert_stages (trace, expected, G_N_ELEMENTS (expected));
  assert_ended_once (trace);
  g_assert_cmpuint (trace->session_said, ==, 1);
  g_assert_false (trace->final_report);
  g_assert_cmpint (first_notified (trace, "decision"), ==, -1);
  g_assert_cmpstr (cf_check_status (check), ==, "cancelled");

  /* Clearing the finished ones takes it off the list. */
  cf_session_clear_finished (f->session);
  g_assert_cmpuint (g_list_model_get_n_items (cf_session_get_checks (f->session)), ==, 0);
}

/* Failed: a reply about another file is no verdict, and says so. */
static void
test_failed (Fixture       *f,
             gconstpointer  data)
{
  static const CfCheckStage expected[] = {
    CF_CHECK_STAGE_HASHING, CF_CHECK_STAGE_LOOKING_UP, CF_CHECK_STAGE_FAILED,
  };
  g_autoptr(GFile) file = g_file_new_for_path (f->clean);
  g_autoptr(CfCheck) check = NULL;
  g_autoptr(Trace) trace = NULL;

  cf_fake_vt_push_fault (f->server, "wrong-id:" EICAR_SHA256);
  check = cf_session_check_file (f->session, file, CF_SESSION_CHECK_LISTED);
  trace = trace_new (f->session, check);

  run_until_finished (trace);
  assert_stages (trace, expected, G_N_ELEMENTS (expected));
  assert_ended_once (trace);
  g_assert_cmpuint (trace->session_said, ==, 1);
  g_assert_true (trace->final_error);
  g_assert_cmpint (first_notified (trace, "error"), <, first_notified (trace, "finished"));
  g_assert_error ((GError *) cf_check_get_error (check), CF_VT_ERROR, CF_VT_ERROR_MISMATCH);
  g_assert_false (trace->final_report);
  g_assert_cmpstr (cf_check_status (check), ==, "error");
}

/* Without a key a check waits, and starts the moment one is given. */
static void
test_waits_for_key (Fixture       *f,
                    gconstpointer  data)
{
  static const CfCheckStage expected[] = { CF_CHECK_STAGE_PENDING, CF_CHECK_STAGE_LOOKING_UP, CF_CHECK_STAGE_DONE };
  g_autoptr(CfCheck) check = NULL;
  g_autoptr(Trace) trace = NULL;

  cf_session_set_api_key (f->session, NULL);
  g_assert_cmpint (cf_session_get_key_state (f->session), ==, CF_KEY_STATE_MISSING);
  check = cf_session_check_hash (f->session, EICAR_SHA256, CF_PRIORITY_INTERACTIVE);
  trace = trace_new (f->session, check);
  g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_PENDING);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_PENDING);
  g_assert_cmpuint (cf_fake_vt_get_count (f->server, "lookups"), ==, 0);

  cf_session_set_api_key (f->session, CF_TEST_KEY);
  run_until_finished (trace);
  assert_stages (trace, expected, G_N_ELEMENTS (expected));
  assert_ended_once (trace);
  g_assert_cmpint (trace->final_decision, ==, CF_DECISION_BLOCK);
}

/* A trust change is written, then every check of that file is decided again. */
static void
trust_set (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cf_session_set_trust_finish (CF_SESSION (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_trust_redecides (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->eicar);
  g_autoptr(CfCheck) check = cf_session_check_file (f->session, file, CF_SESSION_CHECK_LISTED);
  g_autoptr(Trace) trace = trace_new (f->session, check);
  gboolean done = FALSE;
  guint decisions;

  run_until_finished (trace);
  g_assert_cmpint (cf_check_get_decision (check), ==, CF_DECISION_BLOCK);
  decisions = trace->names->len;

  cf_session_set_trust_async (f->session, EICAR_SHA256, CF_TRUST_ALLOW, "lab sample", NULL,
                              trust_set, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (cf_session_get_trust (f->session, EICAR_SHA256), ==, CF_TRUST_ALLOW);
  g_assert_cmpint (cf_check_get_decision (check), ==, CF_DECISION_ALLOW);
  g_assert_cmpint (cf_check_get_reason (check), ==, CF_REASON_TRUSTED);
  /* The new decision was notified (after "finished": a decision may change
   * when the person changes it, the stage never does). */
  g_assert_cmpuint (trace->names->len, >, decisions);
  g_assert_cmpint (cf_check_get_stage (check), ==, CF_CHECK_STAGE_DONE);
}

static void
on_async_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* A blocked file into the Trash, and back on Undo: said on the check (and
 * so in history), never held or launched while it is away, and checked
 * again before any launch once it is back. */
static void
test_trash_and_restore (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->eicar);
  g_autoptr(CfCheck) check = cf_session_check_file (f->session, file, CF_SESSION_CHECK_LISTED);
  g_autoptr(Trace) trace = trace_new (f->session, check);
  g_autoptr(GAsyncResult) trashed_result = NULL;
  g_autoptr(GAsyncResult) restored_result = NULL;
  g_autoptr(CfTrashed) trashed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *in_trash = NULL;

  cf_check_set_keep_hold (check, TRUE);
  run_until_finished (trace);
  g_assert_cmpint (cf_check_get_decision (check), ==, CF_DECISION_BLOCK);
  g_assert_true (cf_check_verify_unchanged (check, NULL));

  cf_session_trash_async (f->session, check, NULL, on_async_done, &trashed_result);
  trashed = cf_session_trash_finish (f->session, wait_for_result (&trashed_result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (trashed);
  g_assert_false (g_file_test (f->eicar, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (cf_trashed_get_location (trashed), &in_trash, NULL, NULL));
  g_assert_cmpstr (in_trash, ==, CF_EICAR);
  g_assert_cmpstr (cf_check_get_override (check), ==, "moved-to-trash");
  g_assert_cmpint (first_notified (trace, "override"), >=, 0);
  g_assert_false (cf_check_verify_unchanged (check, NULL));

  cf_session_restore_async (f->session, check, g_steal_pointer (&trashed), NULL,
                            on_async_done, &restored_result);
  g_assert_true (cf_session_restore_finish (f->session, wait_for_result (&restored_result), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (f->eicar, G_FILE_TEST_IS_REGULAR));
  g_assert_null (cf_check_get_override (check));
  g_assert_cmpint (cf_check_get_decision (check), ==, CF_DECISION_BLOCK);
  /* Not held since it left: a launch would check it again. */
  g_assert_false (cf_check_verify_unchanged (check, &error));
  g_assert_error (error, CF_HASHER_ERROR, CF_HASHER_ERROR_CHANGED);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scratch = cf_test_make_tmpdir ();
  g_autofree char *data = g_build_filename (scratch, "data", NULL);
  int status;

  /* The Trash of a scratch home, on the same file system as the test's
   * files (GIO uses the home trash only then); set before GLib reads them. */
  g_setenv ("HOME", scratch, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/cf/session/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("file", test_file);
  ADD ("file-cached", test_file_cached);
  ADD ("hash", test_hash);
  ADD ("hash-unknown", test_hash_unknown);
  ADD ("one-run-asks-once", test_one_run_asks_once);
  ADD ("process", test_process);
  ADD ("process-unreadable", test_process_unreadable);
  ADD ("cancelled", test_cancelled);
  ADD ("failed", test_failed);
  ADD ("waits-for-key", test_waits_for_key);
  ADD ("trust-redecides", test_trust_redecides);
  ADD ("trash-and-restore", test_trash_and_restore);
#undef ADD

  status = g_test_run ();
  cf_test_rm_rf (scratch);
  return status;
}
