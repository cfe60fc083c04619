/* cf-cli.h: the headless commands (--hash, --check, --lookup, ...)
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Exit statuses shared by every command. */
#define CF_EXIT_ALLOWED   0
#define CF_EXIT_BLOCKED   1
#define CF_EXIT_UNCHECKED 2
#define CF_EXIT_USAGE     64

/* Adds every option, the FILE arguments (G_OPTION_REMAINING) among them. */
void cf_cli_add_options          (GApplication *app);

/* Returns CF_EXIT_USAGE after printing why the arguments cannot be parsed,
 * or -1 when they can. */
int  cf_cli_check_arguments      (int           argc,
                                  char        **argv);

/* Runs a headless command when one was asked for and returns its exit
 * status; returns -1 when the window should handle the invocation. */
int  cf_cli_handle_local_options (GApplication *app,
                                  GVariantDict *options);

G_END_DECLS
