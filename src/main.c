/* main.c: start Check First
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cf-application.h"
#include "cf-cli.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CfApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  status = cf_cli_check_arguments (argc, argv);
  if (status >= 0)
    return status;

  app = cf_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
