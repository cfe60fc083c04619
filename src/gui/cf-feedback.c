/* cf-feedback.c: a question before a step that is hard to take back, and
 * a toast that offers Undo after one
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-feedback.h"

/* Seconds an Undo stays offered: longer than a plain toast's five. */
#define UNDO_TIMEOUT_S 10

/* Asks over @widget's window before a step that is hard to take back:
 * Cancel (the default, and what closing means) or @label, in red, whose
 * id is @response.  @on_response is the dialog's "response" handler, for
 * as long as @instance lives. */
void
cf_feedback_confirm (GtkWidget  *widget,
                     const char *heading,
                     const char *body,
                     const char *response,
                     const char *label,
                     GCallback   on_response,
                     gpointer    instance)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    response, label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", on_response, instance, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A toast titled @title whose Undo button calls @on_undo (an AdwToast
 * "button-clicked" handler) with @data; @destroy frees @data with the
 * toast, clicked or not. */
AdwToast *
cf_feedback_undo_toast (const char     *title,
                        GCallback       on_undo,
                        gpointer        data,
                        GDestroyNotify  destroy)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_button_label (toast, _("Undo"));
  adw_toast_set_timeout (toast, UNDO_TIMEOUT_S);
  g_signal_connect_data (toast, "button-clicked", on_undo, data,
                         (GClosureNotify) (void (*) (void)) destroy, 0);
  return toast;
}
