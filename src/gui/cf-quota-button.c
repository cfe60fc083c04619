/* cf-quota-button.c: the request budget, one click away in the header bar
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person waiting for a lookup wants to know why without opening
 * Preferences: the button's popover shows the requests used this minute,
 * today and this month, what the budget waits for, and when the day's
 * count starts again.  It follows the numbers once a second while open.
 */

#define G_LOG_DOMAIN "check-first-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cf-quota-button.h"
#include "cf-verdict.h"

struct _CfQuotaButton
{
  AdwBin         parent_instance;

  CfSession     *session;
  guint          tick_id;

  GtkLabel      *plan_label;
  GtkLevelBar   *minute_bar;
  GtkLabel      *minute_label;
  GtkLevelBar   *day_bar;
  GtkLabel      *day_label;
  GtkLevelBar   *month_bar;
  GtkLabel      *month_label;
  GtkLabel      *wait_label;
  GtkLabel      *reset_label;
};

G_DEFINE_FINAL_TYPE (CfQuotaButton, cf_quota_button, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_line (GtkLevelBar *bar,
          GtkLabel    *label,
          guint        used,
          guint        limit)
{
  g_autofree char *text = cf_verdict_describe_used (used, limit);

  gtk_label_set_text (label, text);
  /* Without a limit there is nothing to fill. */
  gtk_widget_set_visible (GTK_WIDGET (bar), limit > 0);
  gtk_level_bar_set_value (bar, limit > 0 ? MIN ((double) used / limit, 1.0) : 0.0);
}

static void
append_limit (GString    *limits,
              const char *part)
{
  if (limits->len > 0)
    /* Translators: between the items of a list */
    g_string_append (limits, _(", "));
  g_string_append (limits, part);
}

/* "Free plan: 4 a minute, 500 a day, 15 500 a month"; a limit the plan
 * does not set is left out. */
static char *
describe_plan (const CfQuotaUsage *usage)
{
  g_autoptr(GString) limits = g_string_new (NULL);

  if (usage->per_minute > 0)
    {
      g_autofree char *count = cf_verdict_format_count (usage->per_minute);
      /* Translators: a part of a plan's budget, "4 a minute" */
      g_autofree char *part = g_strdup_printf (_("%s a minute"), count);

      append_limit (limits, part);
    }
  if (usage->per_day > 0)
    {
      g_autofree char *count = cf_verdict_format_count (usage->per_day);
      /* Translators: a part of a plan's budget, "500 a day" */
      g_autofree char *part = g_strdup_printf (_("%s a day"), count);

      append_limit (limits, part);
    }
  if (usage->per_month > 0)
    {
      g_autofree char *count = cf_verdict_format_count (usage->per_month);
      /* Translators: a part of a plan's budget, "15 500 a month" */
      g_autofree char *part = g_strdup_printf (_("%s a month"), count);

      append_limit (limits, part);
    }

  if (limits->len == 0)
    return g_strdup (_("Your plan sets no limit."));
  if (usage->per_minute == CF_PUBLIC_PER_MINUTE && usage->per_day == CF_PUBLIC_PER_DAY)
    /* Translators: the public API's budget: "Free plan: 4 a minute, 500 a day, 15 500 a month" */
    return g_strdup_printf (_("Free plan: %s"), limits->str);
  /* Translators: a premium key's budget: "Your plan: 20 a minute, 10 000 a day" */
  return g_strdup_printf (_("Your plan: %s"), limits->str);
}

static void
update (CfQuotaButton *self)
{
  CfScheduler *scheduler;
  CfQuotaUsage usage;
  gint64 now, until;
  CfWaitKind kind;
  g_autofree char *plan = NULL;
  g_autofree char *reset = NULL;
  g_autofree char *reset_text = NULL;

  if (self->session == NULL)
    return;

  scheduler = cf_session_get_scheduler (self->session);
  cf_scheduler_get_usage (scheduler, &usage);
  now = cf_scheduler_now (scheduler);

  plan = describe_plan (&usage);
  gtk_label_set_text (self->plan_label, plan);
  set_line (self->minute_bar, self->minute_label, usage.minute_used, usage.per_minute);
  set_line (self->day_bar, self->day_label, usage.day_used, usage.per_day);
  set_line (self->month_bar, self->month_label, usage.month_used, usage.per_month);

  /* What the next lookup waits for, and until when. */
  until = cf_scheduler_get_wait_until (scheduler);
  kind = cf_scheduler_get_wait_kind (scheduler);
  if (kind != CF_WAIT_NONE && (until > now || kind == CF_WAIT_DATABASE))
    {
      g_autofree char *limit = kind == CF_WAIT_MINUTE ? cf_verdict_describe_rate (usage.per_minute, usage.per_day)
                                                      : NULL;
      g_autofree char *wait = cf_verdict_describe_wait (kind, cf_scheduler_get_wait_reason (scheduler), limit,
                                                        until, now);

      gtk_label_set_text (self->wait_label, wait);
      gtk_widget_set_visible (GTK_WIDGET (self->wait_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->wait_label), FALSE);

  /* The day is VirusTotal's: it starts at midnight UTC, said in local time
   * (always within a day, so the time of day says it). */
  {
    g_autoptr(GDateTime) moment = g_date_time_new_from_unix_local (usage.day_reset / G_USEC_PER_SEC);

    reset = moment != NULL ? g_date_time_format (moment, "%H:%M") : g_strdup ("?");
  }
  /* Translators: %s is a local time (and date, when not today) */
  reset_text = g_strdup_printf (_("Today’s count starts again at %s (midnight UTC)."), reset);
  gtk_label_set_text (self->reset_label, reset_text);
  gtk_widget_set_visible (GTK_WIDGET (self->reset_label), usage.per_day > 0);
}

static gboolean
tick_cb (gpointer user_data)
{
  update (CF_QUOTA_BUTTON (user_data));
  return G_SOURCE_CONTINUE;
}

static void
on_popover_shown (CfQuotaButton *self)
{
  update (self);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
}

static void
on_popover_closed (CfQuotaButton *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
cf_quota_button_dispose (GObject *object)
{
  CfQuotaButton *self = CF_QUOTA_BUTTON (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CF_TYPE_QUOTA_BUTTON);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cf_quota_button_parent_class)->dispose (object);
}

static void
cf_quota_button_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CfQuotaButton *self = CF_QUOTA_BUTTON (object);

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
cf_quota_button_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CfQuotaButton *self = CF_QUOTA_BUTTON (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_quota_button_class_init (CfQuotaButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_quota_button_dispose;
  object_class->get_property = cf_quota_button_get_property;
  object_class->set_property = cf_quota_button_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CF_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/checkfirst/CheckFirst/cf-quota-button.ui");
  gtk_widget_class_bind_template_child (widget_class, CfQuotaButton, plan_label);
  gtk_widget_class_bind_template_child (widget_class, CfQuotaButton, minute_bar);
  gtk_widget_class_bind_template_child (widget_class, CfQuotaButton, minute_label);
  gtk_widget_class_bind_template_child (widget_class, CfQuotaButton, day_bar);
  gtk_widget_class_bind_template_child (widget_class, CfQuotaButton, day_label);
  gtk_widget_class_bind_template_child (widget_class, CfQuotaButton, month_bar);
  gtk_widget_class_bind_template_child (widget_class, CfQuotaButton, month_label);
  gtk_widget_class_bind_template_child (widget_class, CfQuotaButton, wait_label);
  gtk_widget_class_bind_template_child (widget_class, CfQuotaButton, reset_label);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_shown);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_closed);
}

static void
cf_quota_button_init (CfQuotaButton *self)
{
  GtkLevelBar *bars[3];

  gtk_widget_init_template (GTK_WIDGET (self));

  /* A spent budget is a warning, not a success: past three quarters the
   * bar takes the warning colour (style.css), and full is not green. */
  bars[0] = self->minute_bar;
  bars[1] = self->day_bar;
  bars[2] = self->month_bar;
  for (guint i = 0; i < G_N_ELEMENTS (bars); i++)
    {
      gtk_level_bar_remove_offset_value (bars[i], GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (bars[i], GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (bars[i], GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_level_bar_add_offset_value (bars[i], "ample", 0.75);
      gtk_level_bar_add_offset_value (bars[i], "spent", 1.0);
      gtk_widget_add_css_class (GTK_WIDGET (bars[i]), "budget");
    }
}
