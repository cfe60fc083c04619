/* cf-launcher.c: open a checked file the way the desktop would, or run it
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-launcher"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "cf-launcher.h"

/* What we launch is a file the user chose, not ours to trust with the key. */
#define API_KEY_VARIABLE "VT_API_KEY"

G_DEFINE_QUARK (cf-launcher-error-quark, cf_launcher_error)

static gboolean
is_regular_with_execute_bit (const struct stat *st)
{
  return S_ISREG (st->st_mode) && (st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
}

gboolean
cf_launcher_is_executable (const char *path)
{
  struct stat st;
  guchar magic[4];
  gsize got = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  /* stat before open: opening a FIFO or a device just to sniff it could
   * block or have side effects. */
  if (stat (path, &st) != 0 || !is_regular_with_execute_bit (&st))
    return FALSE;

  /* O_NONBLOCK still matters: the path may have been replaced since stat. */
  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return FALSE;

  if (fstat (fd, &st) != 0 || !is_regular_with_execute_bit (&st))
    {
      close (fd);
      return FALSE;
    }

  while (got < sizeof magic)
    {
      ssize_t n = read (fd, magic + got, sizeof magic - got);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      got += (gsize) n;
    }
  close (fd);

  if (got >= 4 && memcmp (magic, "\177ELF", 4) == 0)
    return TRUE;
  if (got >= 2 && magic[0] == '#' && magic[1] == '!')
    return TRUE;

  return FALSE;
}

/* Desktop ids end in ".desktop"; @self_id may be given with or without. */
static gboolean
is_self (GAppInfo   *app,
         const char *self_id)
{
  const char *id;
  gsize self_len;

  if (self_id == NULL)
    return FALSE;

  id = g_app_info_get_id (app);
  if (id == NULL)
    return FALSE;

  if (g_str_equal (id, self_id))
    return TRUE;

  self_len = strlen (self_id);
  return strncmp (id, self_id, self_len) == 0 && g_str_equal (id + self_len, ".desktop");
}

static GAppInfo *
first_other_app (GList      *apps,
                 const char *self_id)
{
  for (GList *l = apps; l != NULL; l = l->next)
    {
      GAppInfo *app = l->data;

      if (!is_self (app, self_id) && g_app_info_should_show (app))
        return g_object_ref (app);
    }

  return NULL;
}

GAppInfo *
cf_launcher_default_app (const char *content_type,
                         const char *self_id)
{
  g_autoptr(GAppInfo) app = NULL;
  g_autolist(GAppInfo) recommended = NULL;
  g_autolist(GAppInfo) all = NULL;
  GAppInfo *other;

  g_return_val_if_fail (content_type != NULL, NULL);

  app = g_app_info_get_default_for_type (content_type, FALSE);
  if (app != NULL && !is_self (app, self_id))
    return g_steal_pointer (&app);

  /* Check First is the default when it is set up to check files before
   * they open: the file then goes to what would have been next in line. */
  recommended = g_app_info_get_recommended_for_type (content_type);
  other = first_other_app (recommended, self_id);
  if (other != NULL)
    return other;

  all = g_app_info_get_all_for_type (content_type);
  return first_other_app (all, self_id);
}

static gboolean
run_executable (const char         *path,
                GAppLaunchContext  *context,
                GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder = NULL;
  /* argv[0] is the absolute path: a name starting with '-' cannot be taken
   * for an option, and there is no shell to interpret anything. */
  const char * const argv[] = { path, NULL };

  g_assert (g_path_is_absolute (path));

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  if (context != NULL)
    {
      g_auto(GStrv) envp = g_app_launch_context_get_environment (context);

      g_subprocess_launcher_set_environ (launcher, envp);
    }
  g_subprocess_launcher_unsetenv (launcher, API_KEY_VARIABLE);

  folder = g_path_get_dirname (path);
  g_subprocess_launcher_set_cwd (launcher, folder);

  subprocess = g_subprocess_launcher_spawnv (launcher, argv, &local_error);
  if (subprocess == NULL)
    {
      g_autofree char *name = g_filename_display_basename (path);

      g_set_error (error, CF_LAUNCHER_ERROR, CF_LAUNCHER_ERROR_FAILED,
                   _("Could not run “%s”: %s. Check that it is meant for this computer "
                     "and that you may run it."),
                   name, local_error->message);
      return FALSE;
    }

  /* Not waited for: GSubprocess reaps the child itself when it exits. */
  return TRUE;
}

static char *
query_content_type (GFile       *file,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_autofree char *name = g_filename_display_basename (path);

      /* Handing an application a file that is gone only gives a more
       * confusing error from it. */
      g_set_error (error, CF_LAUNCHER_ERROR, CF_LAUNCHER_ERROR_FAILED,
                   _("“%s” is no longer there. It may have been moved or deleted "
                     "after the check; find it and check it again."),
                   name);
      return NULL;
    }

  if (info != NULL && g_file_info_get_content_type (info) != NULL)
    return g_strdup (g_file_info_get_content_type (info));

  return g_content_type_guess (path, NULL, 0, NULL);
}

static gboolean
open_in_default_app (GFile              *file,
                     const char         *path,
                     const char         *self_id,
                     GAppLaunchContext  *context,
                     GError            **error)
{
  g_autoptr(GAppInfo) app = NULL;
  g_autoptr(GAppLaunchContext) launch_context = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *name = NULL;
  GList files = { file, NULL, NULL };

  content_type = query_content_type (file, path, error);
  if (content_type == NULL)
    return FALSE;

  name = g_filename_display_basename (path);

  app = cf_launcher_default_app (content_type, self_id);
  if (app == NULL)
    {
      g_set_error (error, CF_LAUNCHER_ERROR, CF_LAUNCHER_ERROR_NO_APPLICATION,
                   _("No application other than Check First opens “%s” (%s). Install an "
                     "application for this kind of file, then open it again."),
                   name, content_type);
      return FALSE;
    }

  launch_context = context != NULL ? g_object_ref (context) : g_app_launch_context_new ();
  g_app_launch_context_unsetenv (launch_context, API_KEY_VARIABLE);

  if (!g_app_info_launch (app, &files, launch_context, &local_error))
    {
      g_set_error (error, CF_LAUNCHER_ERROR, CF_LAUNCHER_ERROR_FAILED,
                   _("Could not open “%s” in %s: %s. Try opening it from Files with "
                     "another application."),
                   name, g_app_info_get_display_name (app), local_error->message);
      return FALSE;
    }

  return TRUE;
}

gboolean
cf_launcher_launch (GFile              *file,
                    const char         *self_id,
                    GAppLaunchContext  *context,
                    GError            **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (context == NULL || G_IS_APP_LAUNCH_CONTEXT (context), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, CF_LAUNCHER_ERROR, CF_LAUNCHER_ERROR_NOT_LOCAL,
                   _("Only files on this computer can be opened after a check; this one is "
                     "at %s. Copy it to a folder on this computer and check the copy."),
                   uri);
      return FALSE;
    }

  if (cf_launcher_is_executable (path))
    return run_executable (path, context, error);

  return open_in_default_app (file, path, self_id, context, error);
}
