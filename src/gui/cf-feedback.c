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

/* Names for the buttons libadwaita 1.2 draws with an icon and leaves
 * without a name, so that a screen reader says more than "GtkImage". */
static const char *
icon_button_name (const char *icon_name)
{
  if (g_strcmp0 (icon_name, "window-close-symbolic") == 0)
    return _("Close");
  if (g_strcmp0 (icon_name, "view-reveal-symbolic") == 0 ||
      g_strcmp0 (icon_name, "view-conceal-symbolic") == 0)
    return _("Show Text");
  return NULL;
}

/* GTK 4.8 names a button with a mnemonic twice, its label as given and
 * as shown ("C_lear Clear", "Undo Undo"): the label shown is enough.  An
 * icon-only button of libadwaita's gets the name of what it does.  For
 * the buttons in @widget and below. */
void
cf_feedback_name_buttons (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));

      if (GTK_IS_LABEL (child))
        gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
      else if (GTK_IS_IMAGE (child))
        {
          const char *name = icon_button_name (gtk_image_get_icon_name (GTK_IMAGE (child)));

          if (name != NULL)
            gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cf_feedback_name_buttons (child);
}

/* Toasts are drawn when their turn comes: their buttons are named then. */
static void
name_toast_buttons (GtkWidget *widget)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget"))
    {
      cf_feedback_name_buttons (widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_toast_buttons (child);
}

static gboolean
name_toasts_cb (gpointer user_data)
{
  GtkWidget *root = user_data;

  name_toast_buttons (root);
  g_object_unref (root);
  return G_SOURCE_REMOVE;
}

static void
name_toasts_soon (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (root != NULL)
    g_idle_add (name_toasts_cb, g_object_ref (root));
}

static void
on_toast_dismissed (AdwToast  *toast,
                    GtkWidget *widget)
{
  /* The next toast in line shows now. */
  name_toasts_soon (widget);
}

/* Shows @toast (taking it) in the toasts of @widget's window: its toast
 * overlay, or a preferences window's own. */
void
cf_feedback_add_toast (GtkWidget *widget,
                       AdwToast  *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  GtkRoot *root = gtk_widget_get_root (widget);

  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), widget, 0);
  if (ADW_IS_TOAST_OVERLAY (widget))
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (widget), toast);
  else if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), toast);
  else
    {
      g_object_unref (toast);
      return;
    }
  name_toasts_soon (widget);
}

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
  cf_feedback_name_buttons (dialog);
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
