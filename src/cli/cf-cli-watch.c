/* cf-cli-watch.c: --watch, the downloads watcher in the foreground, a line a verdict
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For a server without a desktop: the same watcher the background service
 * runs, printing each verdict as it comes (JSON Lines unless CSV was asked
 * for: a watch is read by programs) until SIGINT or SIGTERM.  A blocked
 * file loses its execute bits here too, and stderr says so.
 */

#define G_LOG_DOMAIN "check-first-cli"

#include "config.h"

#include <signal.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cf-cli.h"
#include "cf-cli-private.h"
#include "cf-display.h"
#include "cf-watcher.h"

static void
on_watched_check (CfWatcher *watcher,
                  CfCheck   *check,
                  gboolean   disarmed,
                  Cli       *cli)
{
  cf_cli_print_check (cli, check, NULL);
  if (disarmed)
    {
      g_autofree char *name = cf_display_text (g_file_peek_path (cf_check_get_file (check)));

      g_printerr (_("check-first: %s: blocked; its permission to run was removed\n"), name);
    }
}

static gboolean
on_sigterm (gpointer user_data)
{
  Cli *cli = user_data;

  if (cli->loop != NULL)
    g_main_loop_quit (cli->loop);
  /* Removed by the run, once its loop has ended. */
  return G_SOURCE_CONTINUE;
}

/* Watches @folder, or says why it cannot (a usage error: the argument). */
static gboolean
watch_folder (CfWatcher *watcher,
              GFile     *folder)
{
  g_autoptr(GError) error = NULL;

  if (cf_watcher_add_folder (watcher, folder, &error))
    return TRUE;
  cf_cli_usage_error ("%s", error->message);
  return FALSE;
}

int
cf_cli_run_watch (Cli           *cli,
                  GVariantDict  *options,
                  char         **folders)
{
  g_autoptr(CfWatcher) watcher = NULL;
  g_autoptr(GPtrArray) watched = NULL;
  guint sigterm_source;

  if (cli->format == CF_FORMAT_TEXT)
    cli->format = CF_FORMAT_JSON;
  if (!cf_cli_setup (cli, options, TRUE))
    return CF_EXIT_USAGE;

  watcher = cf_watcher_new (cli->session, CF_WATCHER_NONE);
  if (folders == NULL || folders[0] == NULL)
    {
      g_autoptr(GFile) downloads = cf_watcher_default_folder ();

      if (downloads == NULL)
        {
          cf_cli_usage_error (_("--watch needs a FOLDER: there is no Downloads folder here."));
          return CF_EXIT_USAGE;
        }
      if (!watch_folder (watcher, downloads))
        return CF_EXIT_USAGE;
    }
  for (guint i = 0; folders != NULL && folders[i] != NULL; i++)
    {
      g_autoptr(GFile) folder = g_file_new_for_commandline_arg (folders[i]);

      if (!watch_folder (watcher, folder))
        return CF_EXIT_USAGE;
    }

  watched = cf_watcher_get_folders (watcher);
  for (guint i = 0; i < watched->len; i++)
    {
      g_autofree char *name = g_file_get_parse_name (g_ptr_array_index (watched, i));
      g_autofree char *shown = cf_display_text (name);

      g_printerr (_("Watching %s for new files; Ctrl+C stops.\n"), shown);
    }

  g_signal_connect (watcher, "check-finished", G_CALLBACK (on_watched_check), cli);
  cli->loop = g_main_loop_new (NULL, FALSE);
  cf_cli_catch_sigint (cli);
  sigterm_source = g_unix_signal_add (SIGTERM, on_sigterm, cli);
  g_main_loop_run (cli->loop);
  g_source_remove (sigterm_source);
  g_signal_handlers_disconnect_by_data (watcher, cli);

  cf_cli_print_summary (cli, 0);
  /* Stopped on purpose: that is how a watch ends. */
  return CF_EXIT_ALLOWED;
}
