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

#include <gio/gdesktopappinfo.h>
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

/* Whether GIO can find a terminal for an application that needs one
 * (Terminal=true): the programs it tries, and Debian's alternative. */
static gboolean
terminal_available (void)
{
  static const char * const terminals[] = {
    "x-terminal-emulator", "xdg-terminal-exec", "gnome-terminal", "kgx", "mate-terminal",
    "xfce4-terminal", "tilix", "konsole", "nxterm", "color-xterm", "rxvt", "dtterm", "xterm",
  };

  for (guint i = 0; i < G_N_ELEMENTS (terminals); i++)
    {
      g_autofree char *path = g_find_program_in_path (terminals[i]);

      if (path != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
needs_terminal (GAppInfo *app)
{
  return G_IS_DESKTOP_APP_INFO (app) &&
         g_desktop_app_info_get_boolean (G_DESKTOP_APP_INFO (app), G_KEY_FILE_DESKTOP_KEY_TERMINAL);
}

/* The mimeapps.list files, most important first, as the XDG MIME
 * Applications specification orders them: desktop-specific before
 * generic, the user's before the system's, config before data. */
static GPtrArray *
mimeapps_files (void)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) desktops = NULL;
  const char *current = g_getenv ("XDG_CURRENT_DESKTOP");
  const char * const *system_config = g_get_system_config_dirs ();
  const char * const *system_data = g_get_system_data_dirs ();

  g_ptr_array_add (dirs, g_strdup (g_get_user_config_dir ()));
  for (guint i = 0; system_config[i] != NULL; i++)
    g_ptr_array_add (dirs, g_strdup (system_config[i]));
  g_ptr_array_add (dirs, g_build_filename (g_get_user_data_dir (), "applications", NULL));
  for (guint i = 0; system_data[i] != NULL; i++)
    g_ptr_array_add (dirs, g_build_filename (system_data[i], "applications", NULL));

  desktops = current != NULL ? g_strsplit (current, ":", -1) : g_new0 (char *, 1);
  for (guint i = 0; i < dirs->len; i++)
    {
      for (guint j = 0; desktops[j] != NULL; j++)
        if (*desktops[j] != '\0')
          {
            g_autofree char *lower = g_ascii_strdown (desktops[j], -1);
            g_autofree char *name = g_strconcat (lower, "-mimeapps.list", NULL);

            g_ptr_array_add (files, g_build_filename (dirs->pdata[i], name, NULL));
          }
      g_ptr_array_add (files, g_build_filename (dirs->pdata[i], "mimeapps.list", NULL));
    }
  return files;
}

/* The desktop ids @group lists for @content_type, in every mimeapps.list
 * in turn, each once. */
static void
add_listed_ids (GPtrArray  *files,
                const char *group,
                const char *content_type,
                GPtrArray  *ids)
{
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(GKeyFile) keys = g_key_file_new ();
      g_auto(GStrv) listed = NULL;

      if (!g_key_file_load_from_file (keys, files->pdata[i], G_KEY_FILE_NONE, NULL))
        continue;
      listed = g_key_file_get_string_list (keys, group, content_type, NULL, NULL);
      for (guint j = 0; listed != NULL && listed[j] != NULL; j++)
        if (*listed[j] != '\0' && !g_ptr_array_find_with_equal_func (ids, listed[j], g_str_equal, NULL))
          g_ptr_array_add (ids, g_strdup (listed[j]));
    }
}

/* Whether @app may take the file: not Check First itself, and not an
 * application that needs a terminal when there is none to give it
 * (@skipped_terminal then says one was passed over). */
static gboolean
acceptable (GAppInfo   *app,
            const char *self_id,
            gboolean   *skipped_terminal)
{
  if (is_self (app, self_id))
    return FALSE;
  if (needs_terminal (app) && !terminal_available ())
    {
      *skipped_terminal = TRUE;
      return FALSE;
    }
  return TRUE;
}

static GAppInfo *
first_other_app (GList      *apps,
                 const char *self_id,
                 gboolean   *skipped_terminal)
{
  for (GList *l = apps; l != NULL; l = l->next)
    {
      GAppInfo *app = l->data;

      if (g_app_info_should_show (app) && acceptable (app, self_id, skipped_terminal))
        return g_object_ref (app);
    }

  return NULL;
}

/* What opens a file of @content_type when Check First is not to: the
 * person's own order, that is the rest of their Default Applications
 * list, then their Added Associations, then the applications that say
 * they handle the type.  @skipped_terminal, when not NULL, says whether an
 * application was passed over for want of a terminal. */
GAppInfo *
cf_launcher_default_app (const char *content_type,
                         const char *self_id,
                         gboolean   *skipped_terminal)
{
  g_autoptr(GAppInfo) app = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autolist(GAppInfo) recommended = NULL;
  g_autolist(GAppInfo) all = NULL;
  gboolean skipped = FALSE;
  GAppInfo *other;

  g_return_val_if_fail (content_type != NULL, NULL);

  if (skipped_terminal == NULL)
    skipped_terminal = &skipped;
  *skipped_terminal = FALSE;

  app = g_app_info_get_default_for_type (content_type, FALSE);
  if (app != NULL && acceptable (app, self_id, skipped_terminal))
    return g_steal_pointer (&app);

  /* Check First is the default when it is set up to check files before
   * they open: the file then goes to what the person put next in line. */
  files = mimeapps_files ();
  add_listed_ids (files, "Default Applications", content_type, ids);
  add_listed_ids (files, "Added Associations", content_type, ids);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GDesktopAppInfo) listed = g_desktop_app_info_new (ids->pdata[i]);

      if (listed != NULL && acceptable (G_APP_INFO (listed), self_id, skipped_terminal))
        return G_APP_INFO (g_steal_pointer (&listed));
    }

  recommended = g_app_info_get_recommended_for_type (content_type);
  other = first_other_app (recommended, self_id, skipped_terminal);
  if (other != NULL)
    return other;

  all = g_app_info_get_all_for_type (content_type);
  return first_other_app (all, self_id, skipped_terminal);
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
  gboolean skipped_terminal = FALSE;
  GList files = { file, NULL, NULL };

  content_type = query_content_type (file, path, error);
  if (content_type == NULL)
    return FALSE;

  name = g_filename_display_basename (path);

  app = cf_launcher_default_app (content_type, self_id, &skipped_terminal);
  if (app == NULL && skipped_terminal)
    {
      g_set_error (error, CF_LAUNCHER_ERROR, CF_LAUNCHER_ERROR_NO_APPLICATION,
                   _("The application for “%s” (%s) runs in a terminal, and no terminal is "
                     "installed. Install one, or an application for this kind of file, then "
                     "open it again."),
                   name, content_type);
      return FALSE;
    }
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
