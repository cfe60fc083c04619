/* cf-launcher.h: open a checked file the way the desktop would, or run it
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CF_LAUNCHER_ERROR (cf_launcher_error_quark ())

typedef enum
{
  CF_LAUNCHER_ERROR_NOT_LOCAL,
  CF_LAUNCHER_ERROR_NO_APPLICATION,
  CF_LAUNCHER_ERROR_FAILED,
} CfLauncherError;

GQuark     cf_launcher_error_quark     (void);

/* TRUE for a regular file with an execute bit that is an ELF binary or
 * starts with "#!". */
gboolean   cf_launcher_is_executable   (const char          *path);

/* The application that opens @content_type by default, never the one whose
 * desktop id is @self_id; NULL when there is none. */
GAppInfo  *cf_launcher_default_app     (const char          *content_type,
                                        const char          *self_id,
                                        gboolean            *skipped_terminal);

/* Runs an executable directly (argv, no shell, working directory = its
 * folder) or opens any other file in its default application.  Fails with
 * CF_LAUNCHER_ERROR_NO_APPLICATION when nothing but @self_id handles it.
 * Neither gets VT_API_KEY in its environment: an executable starts from
 * @context's environment (or ours) without it, and VT_API_KEY is unset in
 * @context itself before an application is launched with it. */
gboolean   cf_launcher_launch          (GFile               *file,
                                        const char          *self_id,
                                        GAppLaunchContext   *context,
                                        GError             **error);

G_END_DECLS
