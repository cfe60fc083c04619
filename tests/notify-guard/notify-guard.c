/* notify-guard.c: stops a process that connects to a notification no property sends
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A handler of "notify::some-name" on an object with no property of that
 * name connects without a word and never runs: the code around it only
 * seems to work.  Preloaded (LD_PRELOAD) into the app and the CLI while the
 * tests run, this module sits in front of GObject's connect functions and
 * aborts, naming the type and the detail, at the first such connection
 * made by the program's own code or by its .ui files.  A library's own
 * connections are its business: GTK 4.8 itself asks a drag surface for a
 * "state" it does not have.
 */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <glib-object.h>

static void
check_notify_detail (gpointer    instance,
                     const char *detail)
{
  GParamSpec *pspec;

  if (detail == NULL || !G_IS_OBJECT (instance))
    return;

  /* Notifications carry the canonical name ("wait-until"): another
   * spelling ("wait_until") matches nothing either. */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (instance), detail);
  if (pspec != NULL && strcmp (pspec->name, detail) == 0)
    return;

  g_printerr ("notify-guard: %s has no property %s: a handler of notify::%s never runs\n",
              G_OBJECT_TYPE_NAME (instance), detail, detail);
  abort ();
}

/* The program's code is linked into the executable; libraries are shared
 * objects. */
static gboolean
called_from_library (gconstpointer caller)
{
  Dl_info info;

  return dladdr (caller, &info) != 0 && info.dli_fname != NULL && strstr (info.dli_fname, ".so") != NULL;
}

static void
check_detailed_signal (gpointer      instance,
                       const char   *detailed_signal,
                       gconstpointer caller)
{
  if (detailed_signal != NULL && strncmp (detailed_signal, "notify::", 8) == 0 &&
      !called_from_library (caller))
    check_notify_detail (instance, detailed_signal + 8);
}

static gpointer
next_symbol (const char *name)
{
  gpointer symbol = dlsym (RTLD_NEXT, name);

  if (symbol == NULL)
    {
      g_printerr ("notify-guard: cannot find %s\n", name);
      abort ();
    }
  return symbol;
}

gulong
g_signal_connect_data (gpointer       instance,
                       const gchar   *detailed_signal,
                       GCallback      c_handler,
                       gpointer       data,
                       GClosureNotify destroy_data,
                       GConnectFlags  connect_flags)
{
  static gulong (*real) (gpointer, const gchar *, GCallback, gpointer, GClosureNotify, GConnectFlags);

  if (real == NULL)
    real = next_symbol ("g_signal_connect_data");
  check_detailed_signal (instance, detailed_signal, __builtin_return_address (0));
  return real (instance, detailed_signal, c_handler, data, destroy_data, connect_flags);
}

gulong
g_signal_connect_object (gpointer      instance,
                         const gchar  *detailed_signal,
                         GCallback     c_handler,
                         gpointer      gobject,
                         GConnectFlags connect_flags)
{
  static gulong (*real) (gpointer, const gchar *, GCallback, gpointer, GConnectFlags);

  if (real == NULL)
    real = next_symbol ("g_signal_connect_object");
  check_detailed_signal (instance, detailed_signal, __builtin_return_address (0));
  return real (instance, detailed_signal, c_handler, gobject, connect_flags);
}

gulong
g_signal_connect_closure (gpointer     instance,
                          const gchar *detailed_signal,
                          GClosure    *closure,
                          gboolean     after)
{
  static gulong (*real) (gpointer, const gchar *, GClosure *, gboolean);

  if (real == NULL)
    real = next_symbol ("g_signal_connect_closure");
  check_detailed_signal (instance, detailed_signal, __builtin_return_address (0));
  return real (instance, detailed_signal, closure, after);
}

/* GtkBuilder connects a .ui file's <signal name="notify::…"> here. */
gulong
g_signal_connect_closure_by_id (gpointer  instance,
                                guint     signal_id,
                                GQuark    detail,
                                GClosure *closure,
                                gboolean  after)
{
  static gulong (*real) (gpointer, guint, GQuark, GClosure *, gboolean);

  if (real == NULL)
    real = next_symbol ("g_signal_connect_closure_by_id");
  if (detail != 0 && signal_id == g_signal_lookup ("notify", G_TYPE_OBJECT))
    check_notify_detail (instance, g_quark_to_string (detail));
  return real (instance, signal_id, detail, closure, after);
}
