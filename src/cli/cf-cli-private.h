/* cf-cli-private.h: what the headless commands share: the run, its counts, its output
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-format.h"
#include "cf-session.h"

G_BEGIN_DECLS

/* Checks in flight at once when the budget does not pace them. */
#define CF_CLI_IN_FLIGHT 8

typedef struct
{
  guint blocked;
  guint below;
  guint unknown;
  guint clean;
  guint errors;
  guint packaged;     /* unmodified, from a Debian package: not asked */
  guint modified;     /* no longer what their package installed */
} Counts;

typedef struct
{
  GApplication *app;
  CfFormat      format;
  CfSession    *session;
  GMainLoop    *loop;
  Counts        counts;
  gboolean      progress;         /* stderr is a terminal */
  gboolean      progress_shown;
  gboolean      printed_header;
  gboolean      interrupted;
  guint         sigint_source;
  gboolean      estimate_shown;
} Cli;

void     cf_cli_print_error     (const char         *message);
void     cf_cli_usage_error     (const char         *format,
                                 ...) G_GNUC_PRINTF (1, 2);
void     cf_cli_clear_progress  (Cli                *cli);
void     cf_cli_show_progress   (Cli                *cli,
                                 const char         *text);
void     cf_cli_print_check     (Cli                *cli,
                                 CfCheck            *check,
                                 const CfFormatRow  *row);
void     cf_cli_print_summary   (Cli                *cli,
                                 guint               skipped);
void     cf_cli_say_wait        (Cli                *cli,
                                 CfCheck            *check,
                                 gint64             *said_until);
int      cf_cli_exit_status     (Cli                *cli);
gboolean cf_cli_setup           (Cli                *cli,
                                 GVariantDict       *options,
                                 gboolean            need_key);
void     cf_cli_catch_sigint    (Cli                *cli);
guint    cf_cli_in_flight_limit (Cli                *cli);

int      cf_cli_run_lookup      (Cli                *cli,
                                 GVariantDict       *options,
                                 char              **args);
int      cf_cli_run_watch       (Cli                *cli,
                                 GVariantDict       *options,
                                 char              **folders);

G_END_DECLS
