/* cf-onboarding-page.c: the first page a person without an API key sees
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cf-feedback.h"
#include "cf-onboarding-page.h"
#include "cf-vt-error.h"

struct _CfOnboardingPage
{
  GtkWidget     parent_instance;

  CfSession    *session;
  GCancellable *cancellable;
  gboolean      verifying;

  AdwStatusPage *status_page;
  AdwActionRow  *downloads_row;
  GtkSwitch     *downloads_switch;
  AdwEntryRow   *key_entry_row;
  GtkLabel      *error_label;
  GtkLabel      *status_label;
  GtkSpinner    *spinner;
};

G_DEFINE_FINAL_TYPE (CfOnboardingPage, cf_onboarding_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

enum {
  KEY_SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
dup_entered_key (CfOnboardingPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_entry_row));

  /* Keys are pasted, often with a stray space or line break at either end. */
  return g_strstrip (g_strdup (text));
}

static void
update_save_action (CfOnboardingPage *self)
{
  g_autofree char *key = dup_entered_key (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.save-key",
                                 !self->verifying && key[0] != '\0');
}

static void
set_busy (CfOnboardingPage *self,
          gboolean          busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_entry_row), !busy);

  gtk_label_set_text (self->status_label, busy ? _("Checking the key with VirusTotal…") : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), busy);
}

static void
show_error (CfOnboardingPage *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->key_entry_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->key_entry_row), "error");
}

/* VirusTotal's own words suit the main window; here the person has the key
 * in hand, so say what to do with it. */
static const char *
describe_key_error (const GError *error)
{
  if (g_error_matches (error, CF_VT_ERROR, CF_VT_ERROR_WRONG_KEY))
    return _("VirusTotal did not accept this key. Copy it again from your VirusTotal "
             "profile, where it is shown under “API key”.");

  return error->message;
}

static void
key_verified_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CfOnboardingPage *self;
  g_autoptr(GError) error = NULL;
  gboolean verified = FALSE;

  if (!cf_session_verify_and_store_key_finish (CF_SESSION (source), result, &verified, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CF_ONBOARDING_PAGE (user_data);
  self->verifying = FALSE;
  set_busy (self, FALSE);

  if (error == NULL)
    {
      show_error (self, NULL);
      gtk_editable_set_text (GTK_EDITABLE (self->key_entry_row), "");
      g_signal_emit (self, signals[KEY_SAVED], 0);
    }
  else if (verified)
    {
      g_autofree char *text = NULL;

      /* The key is good: checks can start now even though it cannot be kept. */
      text = g_strdup_printf (_("The key works and is used until Check First quits, but it "
                                "could not be saved. %s"),
                              error->message);
      show_error (self, text);
    }
  else
    {
      show_error (self, describe_key_error (error));
      gtk_widget_grab_focus (GTK_WIDGET (self->key_entry_row));
    }

  update_save_action (self);
}

static void
save_key_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CfOnboardingPage *self = CF_ONBOARDING_PAGE (widget);
  g_autofree char *key = dup_entered_key (self);

  if (key[0] == '\0' || self->verifying)
    return;

  if (self->session == NULL)
    {
      show_error (self, _("Check First is still starting. Try again in a moment."));
      return;
    }

  show_error (self, NULL);
  self->verifying = TRUE;
  set_busy (self, TRUE);
  update_save_action (self);

  /* The session keeps the key only once VirusTotal accepted it. */
  cf_session_verify_and_store_key_async (self->session, key, self->cancellable,
                                         key_verified_cb, self);
  memset (key, 0, strlen (key));
}

static void
on_key_entry_changed (CfOnboardingPage *self)
{
  if (!self->verifying)
    gtk_widget_remove_css_class (GTK_WIDGET (self->key_entry_row), "error");
  update_save_action (self);
}

static void
on_key_entry_activated (CfOnboardingPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "onboarding.save-key", NULL);
}

/* A page a stack is not showing is still in the accessibility tree: say
 * it is hidden, so a screen reader (or a test) does not take it as shown. */
static void
cf_onboarding_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cf_onboarding_page_parent_class)->map (widget);

  gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                               GTK_ACCESSIBLE_STATE_HIDDEN, FALSE,
                               -1);

  /* The page asks for a key: the key field has the focus when it shows,
   * not the header bar's Open button. */
  gtk_widget_grab_focus (widget);
}

static void
cf_onboarding_page_unmap (GtkWidget *widget)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                               GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                               -1);

  GTK_WIDGET_CLASS (cf_onboarding_page_parent_class)->unmap (widget);
}

static gboolean
cf_onboarding_page_grab_focus (GtkWidget *widget)
{
  CfOnboardingPage *self = CF_ONBOARDING_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->key_entry_row));
}

static void
cf_onboarding_page_dispose (GObject *object)
{
  CfOnboardingPage *self = CF_ONBOARDING_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_ONBOARDING_PAGE);

  G_OBJECT_CLASS (cf_onboarding_page_parent_class)->dispose (object);
}

static void
cf_onboarding_page_finalize (GObject *object)
{
  CfOnboardingPage *self = CF_ONBOARDING_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cf_onboarding_page_parent_class)->finalize (object);
}

static void
cf_onboarding_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CfOnboardingPage *self = CF_ONBOARDING_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_onboarding_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CfOnboardingPage *self = CF_ONBOARDING_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      /* The choice is explained here, before the key that turns it on. */
      if (self->session != NULL && cf_session_get_settings (self->session) != NULL)
        g_settings_bind (cf_session_get_settings (self->session), "check-new-downloads",
                         self->downloads_switch, "active", G_SETTINGS_BIND_DEFAULT);
      gtk_widget_set_visible (GTK_WIDGET (self->downloads_row),
                              self->session != NULL && cf_session_get_settings (self->session) != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_onboarding_page_class_init (CfOnboardingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_onboarding_page_dispose;
  object_class->finalize = cf_onboarding_page_finalize;
  object_class->get_property = cf_onboarding_page_get_property;
  object_class->set_property = cf_onboarding_page_set_property;

  widget_class->grab_focus = cf_onboarding_page_grab_focus;
  widget_class->map = cf_onboarding_page_map;
  widget_class->unmap = cf_onboarding_page_unmap;

  /* Whose budget counts the request that verifies a key, and who keeps it. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CF_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CfOnboardingPage::key-saved:
   *
   * A key was verified with VirusTotal and stored in the keyring; the
   * session already uses it.
   */
  signals[KEY_SAVED] =
    g_signal_new ("key-saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/checkfirst/CheckFirst/cf-onboarding-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CfOnboardingPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, CfOnboardingPage, downloads_row);
  gtk_widget_class_bind_template_child (widget_class, CfOnboardingPage, downloads_switch);
  gtk_widget_class_bind_template_child (widget_class, CfOnboardingPage, key_entry_row);
  gtk_widget_class_bind_template_child (widget_class, CfOnboardingPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CfOnboardingPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CfOnboardingPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_key_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_key_entry_activated);

  gtk_widget_class_install_action (widget_class, "onboarding.save-key", NULL, save_key_action);

  gtk_widget_class_set_css_name (widget_class, "onboardingpage");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cf_onboarding_page_init (CfOnboardingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* "Save Key", not "_Save Key Save Key"; the key's show button by name. */
  cf_feedback_name_buttons (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  update_save_action (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Welcome to Check First"),
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                               -1);
}

GtkWidget *
cf_onboarding_page_new (void)
{
  return g_object_new (CF_TYPE_ONBOARDING_PAGE, NULL);
}
