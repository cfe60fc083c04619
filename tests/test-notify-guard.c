/* test-notify-guard.c: the preloaded guard stops a connection to a notification no property sends
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tests run with tests/notify-guard/ preloaded; this one proves that
 * the guard is there and that it tells a real property from a wrong name,
 * so that every other test can rely on it.
 */

#include "config.h"

#include "cf-session.h"

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_real_property (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(CfSession) session = cf_session_new (":memory:", CF_SESSION_NONE, NULL);
      g_autoptr(GSimpleAction) action = g_simple_action_new ("a", NULL);
      guint heard = 0;

      g_signal_connect (session, "notify::key-state", G_CALLBACK (on_notify), &heard);
      g_signal_connect (action, "notify::enabled", G_CALLBACK (on_notify), &heard);
      g_simple_action_set_enabled (action, FALSE);
      cf_session_set_api_key (session, "some key");
      g_assert_cmpuint (heard, ==, 2);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_no_such_property (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(CfSession) session = cf_session_new (":memory:", CF_SESSION_NONE, NULL);

      g_signal_connect (session, "notify::decision", G_CALLBACK (on_notify), NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CfSession has no property decision:*");
}

/* Spelled with an underscore, a name finds the property but no notification. */
static void
test_other_spelling (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(CfSession) session = cf_session_new (":memory:", CF_SESSION_NONE, NULL);

      g_signal_connect_object (session, "notify::wait_until", G_CALLBACK (on_notify), session, 0);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CfSession has no property wait_until:*");
}

/* The path GtkBuilder takes for a .ui file's signals. */
static void
test_by_id (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new ("a", NULL);
      GClosure *closure = g_cclosure_new (G_CALLBACK (on_notify), NULL, NULL);

      g_signal_connect_closure_by_id (action, g_signal_lookup ("notify", G_TYPE_OBJECT),
                                      g_quark_from_static_string ("visible"), closure, FALSE);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*GSimpleAction has no property visible:*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cf/notify-guard/real-property", test_real_property);
  g_test_add_func ("/cf/notify-guard/no-such-property", test_no_such_property);
  g_test_add_func ("/cf/notify-guard/other-spelling", test_other_spelling);
  g_test_add_func ("/cf/notify-guard/by-id", test_by_id);

  return g_test_run ();
}
