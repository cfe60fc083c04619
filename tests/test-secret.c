/* test-secret.c: the API key in a real Secret Service, the environment, and no keyring at all
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cf-checker.h"
#include "cf-fake-vt.h"
#include "cf-scheduler.h"
#include "cf-secret.h"
#include "cf-store.h"

/* The keyring tests never touch the keyring of the person running them: the
 * binary starts itself again inside a private D-Bus session with its own
 * gnome-keyring-daemon, whose keyrings live in a temporary HOME.  The marker
 * says we are inside; "none" means no keyring could be started. */
#define SESSION_MARKER "CF_TEST_SECRET_SESSION"

#define GOOD_KEY "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define OTHER_KEY "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static gboolean
have_keyring (void)
{
  return g_strcmp0 (g_getenv (SESSION_MARKER), "keyring") == 0;
}

static gboolean
skip_without_keyring (void)
{
  if (have_keyring ())
    return FALSE;

  /* build-aux/setup-deps installs both; a keyring test that did not run
   * must not look like one that passed. */
  g_test_fail_printf ("no private gnome-keyring-daemon: dbus-run-session and gnome-keyring "
                      "are needed (build-aux/setup-deps test installs them)");
  return TRUE;
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
store_key (const char  *key,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cf_secret_store_async (key, NULL, store_result_cb, &result);

  return cf_secret_store_finish (wait_for_result (&result), error);
}

/* What the e2e tests and people use to look: it proves the attributes. */
static char *
secret_tool_lookup (void)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *program = g_find_program_in_path ("secret-tool");

  if (program == NULL)
    return NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, "secret-tool", "lookup", "service", "virustotal", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&out);
}

/* Validation */

typedef struct
{
  const char *key;
  gboolean    check_length;
  gboolean    valid;
} ValidateCase;

static const ValidateCase validate_cases[] = {
  { GOOD_KEY, TRUE, TRUE },
  { "0123456789abcdef0123456789abcdef", TRUE, TRUE },       /* 32: lowest accepted */
  { "0123456789abcdef0123456789abcde", TRUE, FALSE },       /* 31 */
  { "", TRUE, FALSE },
  { "", FALSE, FALSE },
  { "0123456789abcdef 0123456789abcdef0123456789abcdef0123456789abcdef", TRUE, FALSE },
  { GOOD_KEY "\n", TRUE, FALSE },
  { "0123456789abcdef\t0123456789abcdef0123456789abcdef", FALSE, FALSE },
  { "0123456789abcdef\x01" "0123456789abcdef0123456789abcdef", TRUE, FALSE },
  { "0123456789abcdef0123456789abcdef\xc3\xa9", TRUE, FALSE },  /* non-ASCII */
  { "test-key", TRUE, FALSE },
  { "test-key", FALSE, TRUE },                              /* another server's key */
  { GOOD_KEY GOOD_KEY, TRUE, TRUE },                        /* 128: highest accepted */
  { GOOD_KEY GOOD_KEY "0", TRUE, FALSE },
};

static void
test_validate (gconstpointer data)
{
  const ValidateCase *c = data;
  g_autoptr(GError) error = NULL;
  gboolean valid;

  valid = cf_api_key_validate (c->key, c->check_length, &error);

  g_assert_cmpint (valid, ==, c->valid);
  if (valid)
    {
      g_assert_no_error (error);
    }
  else
    {
      /* Say what is wrong, in words. */
      g_assert_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_INVALID);
      g_assert_cmpuint (strlen (error->message), >, 20);
    }

  if (c->check_length)
    g_assert_cmpint (cf_api_key_is_plausible (c->key), ==, c->valid);
}

/* The keyring */

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key = NULL;
  g_autofree char *looked_up = NULL;
  g_autofree char *from_tool = NULL;

  if (skip_without_keyring ())
    return;

  g_assert_true (cf_secret_clear (NULL, &error));
  g_assert_no_error (error);

  key = cf_api_key_get (NULL, &error);
  g_assert_null (key);
  g_assert_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "https://www.virustotal.com/gui/join-us"));
  g_assert_nonnull (strstr (error->message, "VT_API_KEY"));
  g_clear_error (&error);

  g_assert_true (store_key (GOOD_KEY, &error));
  g_assert_no_error (error);

  key = cf_api_key_get (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, GOOD_KEY);

  cf_secret_lookup_async (NULL, store_result_cb, &result);
  looked_up = cf_secret_lookup_finish (wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (looked_up, ==, GOOD_KEY);

  from_tool = secret_tool_lookup ();
  if (from_tool != NULL)
    g_assert_cmpstr (g_strstrip (from_tool), ==, GOOD_KEY);

  /* Storing again replaces the key rather than adding a second one. */
  g_assert_true (store_key (OTHER_KEY, &error));
  g_clear_pointer (&key, g_free);
  key = cf_api_key_get (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, OTHER_KEY);

  g_assert_true (cf_secret_clear (NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&key, g_free);
  key = cf_api_key_get (NULL, &error);
  g_assert_null (key);
  g_assert_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEY);
  g_clear_error (&error);

  g_clear_pointer (&from_tool, g_free);
  from_tool = secret_tool_lookup ();
  if (from_tool != NULL)
    g_assert_cmpstr (from_tool, ==, "");

  /* Nothing left to remove is not an error. */
  g_assert_true (cf_secret_clear (NULL, &error));
  g_assert_no_error (error);
}

static void
test_clear_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key = NULL;

  if (skip_without_keyring ())
    return;

  g_assert_true (store_key (GOOD_KEY, &error));
  g_assert_no_error (error);

  cf_secret_clear_async (NULL, store_result_cb, &result);
  g_assert_true (cf_secret_clear_finish (wait_for_result (&result), &error));
  g_assert_no_error (error);

  key = cf_api_key_get (NULL, &error);
  g_assert_null (key);
  g_assert_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEY);
}

static void
test_store_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  if (skip_without_keyring ())
    return;

  g_assert_true (cf_secret_clear (NULL, NULL));

  g_assert_false (store_key ("two words", &error));
  g_assert_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (store_key ("", &error));
  g_assert_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_INVALID);
  g_clear_error (&error);

  key = cf_api_key_get (NULL, &error);
  g_assert_null (key);
  g_assert_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEY);
}

static void
test_environment_overrides (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  if (skip_without_keyring ())
    return;

  /* The environment is changed only in children, before any thread. */
  if (g_test_subprocess ())
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *looked_up = NULL;

      g_setenv ("VT_API_KEY", "  environment-key\n", TRUE);
      g_assert_true (cf_api_key_from_environment ());

      key = cf_api_key_get (NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (key, ==, "environment-key");

      cf_secret_lookup_async (NULL, store_result_cb, &result);
      looked_up = cf_secret_lookup_finish (wait_for_result (&result), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (looked_up, ==, "environment-key");
      return;
    }

  g_assert_true (store_key (GOOD_KEY, &error));
  g_assert_no_error (error);

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  g_assert_true (cf_secret_clear (NULL, NULL));
}

static void
test_environment_blank (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  if (skip_without_keyring ())
    return;

  /* Set but blank is the same as not set: the keyring answers. */
  if (g_test_subprocess ())
    {
      g_setenv ("VT_API_KEY", " ", TRUE);
      g_assert_false (cf_api_key_from_environment ());

      key = cf_api_key_get (NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (key, ==, GOOD_KEY);
      return;
    }

  g_assert_true (store_key (GOOD_KEY, &error));
  g_assert_no_error (error);

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  g_assert_true (cf_secret_clear (NULL, NULL));
}

static void
test_environment_without_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  /* Works whatever the bus: the environment is read first. */
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/cf-test-bus", TRUE);
      g_setenv ("VT_API_KEY", "from-the-environment", TRUE);
      key = cf_api_key_get (NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (key, ==, "from-the-environment");
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* No keyring */

static void
assert_no_keyring_in_child (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key = NULL;

  g_unsetenv ("VT_API_KEY");

  key = cf_api_key_get (NULL, &error);
  g_assert_null (key);
  g_assert_true (g_error_matches (error, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEYRING) ||
                 g_error_matches (error, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEY));
  if (error->code == CF_SECRET_ERROR_NO_KEYRING)
    {
      g_assert_nonnull (strstr (error->message, "No keyring service is running"));
      g_assert_nonnull (strstr (error->message, "VT_API_KEY"));
    }
  g_test_message ("cf_api_key_get: %s", error->message);
  g_clear_error (&error);

  cf_secret_store_async (GOOD_KEY, NULL, store_result_cb, &result);
  g_assert_false (cf_secret_store_finish (wait_for_result (&result), &error));
  g_assert_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEYRING);
  g_test_message ("cf_secret_store: %s", error->message);
  g_clear_error (&error);

  g_assert_false (cf_secret_clear (NULL, &error));
  g_assert_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEYRING);
}

static void
test_no_keyring_invalid_bus (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/cf-test-bus", TRUE);
      assert_no_keyring_in_child ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_no_keyring_empty_bus (void)
{
  if (g_test_subprocess ())
    {
      /* A real bus on which nothing provides org.freedesktop.secrets, and
       * no service files to start it from. */
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);

      g_test_dbus_up (bus);
      assert_no_keyring_in_child ();
      /* Neither g_test_dbus_down () nor the last unref, which waits for
       * the connection that libsecret keeps for good. */
      g_test_dbus_stop (bus);
      return;
    }

  if (g_find_program_in_path ("dbus-daemon") == NULL)
    {
      g_test_fail_printf ("dbus-daemon is not installed (build-aux/setup-deps test installs it)");
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Verify, then store */

typedef struct
{
  char        *dir;
  CfFakeVt    *server;
  CfStore     *store;
  CfScheduler *scheduler;
  CfChecker   *checker;
} VerifyFixture;

static void
verify_fixture_set_up (VerifyFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  CfConfig config;

  fixture->dir = g_dir_make_tmp ("cf-test-secret-verify-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->server = cf_fake_vt_new ();
  cf_fake_vt_set_api_key (fixture->server, "test-key");
  g_assert_true (cf_fake_vt_start (fixture->server, FALSE, &error));
  g_assert_no_error (error);

  db = g_build_filename (fixture->dir, "check-first.db", NULL);
  fixture->store = cf_store_open (db, &error);
  g_assert_no_error (error);
  fixture->scheduler = cf_scheduler_new (fixture->store);
  cf_scheduler_set_limits (fixture->scheduler, 4, 500, 15500);
  fixture->checker = cf_checker_new (fixture->store, fixture->scheduler);

  cf_config_init (&config);
  g_free (config.api_url);
  config.api_url = cf_fake_vt_get_base_url (fixture->server);
  cf_checker_set_config (fixture->checker, &config);
  cf_config_clear (&config);

  /* Fails harmlessly without a keyring: those tests skip. */
  cf_secret_clear (NULL, NULL);
}

static void
verify_fixture_tear_down (VerifyFixture *fixture,
                          gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->dir, "check-first.db", NULL);

  cf_secret_clear (NULL, NULL);
  g_clear_object (&fixture->checker);
  g_clear_object (&fixture->scheduler);
  g_clear_object (&fixture->store);
  cf_fake_vt_stop (fixture->server);
  g_clear_object (&fixture->server);

  g_unlink (db);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
verify_and_store (VerifyFixture  *fixture,
                  const char     *key,
                  gboolean       *verified,
                  GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cf_api_key_verify_and_store_async (key, fixture->checker, NULL, store_result_cb, &result);

  return cf_api_key_verify_and_store_finish (wait_for_result (&result), verified, error);
}

static void
test_verify_wrong_key (VerifyFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  gboolean verified = TRUE;

  if (skip_without_keyring ())
    return;

  g_assert_false (verify_and_store (fixture, "wrong-key", &verified, &error));
  g_assert_error (error, CF_VT_ERROR, CF_VT_ERROR_WRONG_KEY);
  g_assert_false (verified);
  g_assert_cmpuint (cf_fake_vt_get_count (fixture->server, "401"), ==, 1);
  g_clear_error (&error);

  /* A wrong key is never saved. */
  key = cf_api_key_get (NULL, &error);
  g_assert_null (key);
  g_assert_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_NO_KEY);
}

static void
test_verify_good_key (VerifyFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  CfQuotaUsage usage = { 0 };
  gboolean verified = FALSE;

  if (skip_without_keyring ())
    return;

  g_assert_true (verify_and_store (fixture, "test-key", &verified, &error));
  g_assert_no_error (error);
  g_assert_true (verified);

  key = cf_api_key_get (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "test-key");

  /* The check went through the shared budget. */
  cf_scheduler_get_usage (fixture->scheduler, &usage);
  g_assert_cmpuint (usage.minute_used, ==, 1);
}

static void
test_verify_blank_key (VerifyFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean verified = TRUE;

  g_assert_false (verify_and_store (fixture, "", &verified, &error));
  g_assert_error (error, CF_SECRET_ERROR, CF_SECRET_ERROR_INVALID);
  g_assert_false (verified);

  /* Nothing was sent. */
  g_assert_cmpuint (cf_fake_vt_get_count (fixture->server, "requests"), ==, 0);
}

/* Setting up the private session */

static int
run_in_private_session (int    argc,
                        char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *home = NULL;
  g_autofree char *self_path = NULL;
  g_autofree char *dbus_daemon = g_find_program_in_path ("dbus-daemon");
  g_autofree char *dbus_run_session = g_find_program_in_path ("dbus-run-session");
  g_autofree char *keyring_daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *rm_command = NULL;
  gboolean with_keyring = dbus_run_session != NULL && dbus_daemon != NULL && keyring_daemon != NULL;

  home = g_dir_make_tmp ("cf-test-secret-XXXXXX", &error);
  g_assert_no_error (error);

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path == NULL)
    self_path = g_strdup (argv[0]);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, SESSION_MARKER, with_keyring ? "keyring" : "none", TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", home, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "VT_API_KEY");

  if (with_keyring)
    {
      /* The daemon forks once its keyring is unlocked; it leaves when the
       * private bus goes away at the end.  The bus and the services it
       * starts chatter on stdout, which is TAP's: they get stderr, and the
       * test gets the real stdout back through fd 3. */
      g_subprocess_launcher_take_fd (launcher, dup (STDOUT_FILENO), 3);
      g_subprocess_launcher_take_stdout_fd (launcher, dup (STDERR_FILENO));
      g_ptr_array_add (args, dbus_run_session);
      g_ptr_array_add (args, "--");
      g_ptr_array_add (args, "sh");
      g_ptr_array_add (args, "-c");
      g_ptr_array_add (args,
                       "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null "
                       "|| exit 99; exec \"$@\" >&3 3>&-");
      g_ptr_array_add (args, "sh");
    }
  else
    {
      /* Never the person's own session bus, whose keyring holds their key. */
      g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                    "unix:path=/nonexistent/cf-test-bus", TRUE);
      g_printerr ("# dbus-run-session or gnome-keyring-daemon is missing: keyring tests fail\n");
    }

  g_ptr_array_add (args, self_path);
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  rm_command = g_strdup_printf ("rm -rf '%s'", home);
  g_spawn_command_line_sync (rm_command, NULL, NULL, NULL, NULL);

  if (g_subprocess_get_if_signaled (process))
    return 128 + g_subprocess_get_term_sig (process);

  return g_subprocess_get_exit_status (process);
}

int
main (int    argc,
      char **argv)
{
  if (g_getenv (SESSION_MARKER) == NULL)
    return run_in_private_session (argc, argv);

  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (validate_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cf/secret/validate/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &validate_cases[i], test_validate);
    }

  g_test_add_func ("/cf/secret/keyring/round-trip", test_round_trip);
  g_test_add_func ("/cf/secret/keyring/clear-async", test_clear_async);
  g_test_add_func ("/cf/secret/keyring/store-invalid", test_store_invalid);
  g_test_add_func ("/cf/secret/environment/overrides-keyring", test_environment_overrides);
  g_test_add_func ("/cf/secret/environment/blank", test_environment_blank);
  g_test_add_func ("/cf/secret/environment/without-keyring", test_environment_without_keyring);
  g_test_add_func ("/cf/secret/no-keyring/invalid-bus", test_no_keyring_invalid_bus);
  g_test_add_func ("/cf/secret/no-keyring/empty-bus", test_no_keyring_empty_bus);

  g_test_add ("/cf/secret/verify/wrong-key", VerifyFixture, NULL,
              verify_fixture_set_up, test_verify_wrong_key, verify_fixture_tear_down);
  g_test_add ("/cf/secret/verify/good-key", VerifyFixture, NULL,
              verify_fixture_set_up, test_verify_good_key, verify_fixture_tear_down);
  g_test_add ("/cf/secret/verify/blank-key", VerifyFixture, NULL,
              verify_fixture_set_up, test_verify_blank_key, verify_fixture_tear_down);

  return g_test_run ();
}
