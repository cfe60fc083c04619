/* cf-account.c: the allowance VirusTotal reports for the key in use, kept, and what it lets the budget spend
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The request budget used to be the public plan's unless the person said
 * otherwise in Preferences: a premium key was held to 4 a minute, and a
 * key allowed less than the public plan was sent into 429s.  VirusTotal
 * says what a key may spend; this keeps its last word, in the store (so
 * every process and every run has it), and turns it into the scheduler's
 * limits.  A reading that fails changes nothing: the last one stands, or
 * the plan's limits while there was none.
 */

#define G_LOG_DOMAIN "check-first-account"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cf-account.h"

#define CF_ACCOUNT_STATE_NAME "account-allowance"

struct _CfAccount
{
  GObject      parent_instance;

  CfStore     *store;
  char        *key_id;       /* of the key in use; never the key */
  CfAllowance  allowance;    /* for key_id; read == 0 when none */
  GError      *error;
  gboolean     reading;
};

enum {
  PROP_0,
  PROP_READ,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CfAccount, cf_account, G_TYPE_OBJECT)

static void
cf_account_finalize (GObject *object)
{
  CfAccount *self = CF_ACCOUNT (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->key_id, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (cf_account_parent_class)->finalize (object);
}

static void
cf_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CfAccount *self = CF_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_READ:
      g_value_set_int64 (value, self->allowance.read);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_account_class_init (CfAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cf_account_finalize;
  object_class->get_property = cf_account_get_property;

  properties[PROP_READ] =
    g_param_spec_int64 ("read", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_account_init (CfAccount *self)
{
  cf_allowance_init (&self->allowance);
}

CfAccount *
cf_account_new (CfStore *store)
{
  CfAccount *self;

  g_return_val_if_fail (CF_IS_STORE (store), NULL);

  self = g_object_new (CF_TYPE_ACCOUNT, NULL);
  self->store = g_object_ref (store);
  return self;
}

static void
set_error (CfAccount *self,
           GError    *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_allowance (CfAccount         *self,
               const CfAllowance *allowance)
{
  gint64 before = self->allowance.read;

  self->allowance = *allowance;
  /* Notified even when the time is the same: the limits may not be. */
  if (before != 0 || allowance->read != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ]);
}

void
cf_account_set_key (CfAccount  *self,
                    const char *api_key)
{
  g_autofree char *key_id = NULL;
  g_autofree char *text = NULL;
  g_autofree char *stored_id = NULL;
  CfAllowance stored;

  g_return_if_fail (CF_IS_ACCOUNT (self));

  key_id = api_key != NULL && *api_key != '\0' ? cf_allowance_key_id (api_key) : NULL;
  if (g_strcmp0 (key_id, self->key_id) == 0)
    return;
  g_free (self->key_id);
  self->key_id = g_steal_pointer (&key_id);
  set_error (self, NULL);

  cf_allowance_init (&stored);
  if (self->key_id != NULL)
    {
      text = cf_store_get_state_text (self->store, CF_ACCOUNT_STATE_NAME);
      if (!cf_allowance_from_text (&stored, text, &stored_id) || g_strcmp0 (stored_id, self->key_id) != 0)
        cf_allowance_init (&stored);
    }
  set_allowance (self, &stored);
}

const CfAllowance *
cf_account_get_allowance (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);
  return self->allowance.read > 0 ? &self->allowance : NULL;
}

gint64
cf_account_get_read (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), 0);
  return self->allowance.read;
}

const GError *
cf_account_get_error (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);
  return self->error;
}

gboolean
cf_account_is_reading (CfAccount *self)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), FALSE);
  return self->reading;
}

static char *
allowed_text (const CfAllowance *allowance,
              CfPeriod           period,
              gboolean           group_digits)
{
  g_autofree char *digits = NULL;
  GString *out;
  gsize length;

  if (allowance->allowed[period] <= 0)
    return g_strdup ("–");
  digits = g_strdup_printf ("%" G_GINT64_FORMAT, allowance->allowed[period]);
  if (!group_digits)
    return g_steal_pointer (&digits);

  /* Groups of three, joined by a no-break space: 15 500. */
  out = g_string_new (NULL);
  length = strlen (digits);
  for (gsize i = 0; i < length; i++)
    {
      if (i > 0 && (length - i) % 3 == 0)
        g_string_append (out, "\u00a0");
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

char *
cf_account_describe (CfAccount *self,
                     gboolean   group_digits)
{
  const CfAllowance *allowance;
  g_autofree char *hour = NULL;
  g_autofree char *day = NULL;
  g_autofree char *month = NULL;

  g_return_val_if_fail (CF_IS_ACCOUNT (self), NULL);

  allowance = cf_account_get_allowance (self);
  if (allowance == NULL)
    return NULL;
  hour = allowed_text (allowance, CF_PERIOD_HOUR, group_digits);
  day = allowed_text (allowance, CF_PERIOD_DAY, group_digits);
  month = allowed_text (allowance, CF_PERIOD_MONTH, group_digits);
  /* Translators: what a VirusTotal key may spend; a dash where VirusTotal did not say */
  return g_strdup_printf (_("%s requests an hour, %s a day, %s a month"), hour, day, month);
}

/* Never read for this key, or more than a day ago (or, by a clock that
 * went back, in the future). */
gboolean
cf_account_is_due (CfAccount *self,
                   gint64     now)
{
  g_return_val_if_fail (CF_IS_ACCOUNT (self), FALSE);

  return self->key_id != NULL &&
         (self->allowance.read <= 0 || now - self->allowance.read >= CF_ACCOUNT_READ_INTERVAL_S ||
          self->allowance.read > now + 3600);
}

/* Reading */

/* The words of a failure, for an account rather than a file: VirusTotal's
 * "never seen" or "refused" would mislead here.  None names an address. */
static GError *
reading_error (const GError *error)
{
  const char *why;

  if (error->domain == CF_VT_ERROR)
    switch ((CfVtError) error->code)
      {
      case CF_VT_ERROR_NOT_FOUND:
      case CF_VT_ERROR_FORBIDDEN:
      case CF_VT_ERROR_BAD_REQUEST:
        why = _("VirusTotal would not tell.");
        break;
      default:
        why = error->message;
        break;
      }
  else
    why = error->message;

  return g_error_new (CF_VT_ERROR, error->domain == CF_VT_ERROR ? error->code : CF_VT_ERROR_NETWORK,
                      _("Could not read what your VirusTotal account may spend: %s"), why);
}

static void
read_ready (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CfAccount *self = g_task_get_source_object (task);
  const char *key_id = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  CfAllowance allowance;

  self->reading = FALSE;
  if (!cf_vt_client_get_allowance_finish (CF_VT_CLIENT (object), result, &allowance, &error))
    {
      /* No slot to spare, or stopped: not a failure to show, a reading
       * for later. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (g_strcmp0 (key_id, self->key_id) == 0)
        set_error (self, reading_error (error));
      g_task_return_error (task, reading_error (error));
      return;
    }

  /* The key changed while it was read: the answer is another key's. */
  if (g_strcmp0 (key_id, self->key_id) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The API key changed while its allowance was read."));
      return;
    }

  /* A period the reply left out keeps what was known of it. */
  for (guint i = 0; i < CF_N_PERIODS; i++)
    if (allowance.allowed[i] <= 0 && self->allowance.allowed[i] > 0)
      {
        allowance.allowed[i] = self->allowance.allowed[i];
        allowance.used[i] = -1;
      }
  allowance.read = g_get_real_time () / G_USEC_PER_SEC;
  {
    g_autofree char *text = cf_allowance_to_text (&allowance, self->key_id);

    cf_store_set_state_text (self->store, CF_ACCOUNT_STATE_NAME, text);
  }
  set_error (self, NULL);
  set_allowance (self, &allowance);
  g_task_return_boolean (task, TRUE);
}

void
cf_account_read_async (CfAccount           *self,
                       CfVtClient          *client,
                       CfPriority           priority,
                       gboolean             wait,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CF_IS_ACCOUNT (self));
  g_return_if_fail (CF_IS_VT_CLIENT (client));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cf_account_read_async);
  if (self->key_id == NULL)
    {
      g_task_return_new_error (task, CF_VT_ERROR, CF_VT_ERROR_NO_KEY,
                               _("There is no API key to read the allowance of."));
      return;
    }
  g_task_set_task_data (task, g_strdup (self->key_id), g_free);
  self->reading = TRUE;
  cf_vt_client_get_allowance_async (client, priority, wait, cancellable, read_ready,
                                    g_steal_pointer (&task));
}

gboolean
cf_account_read_finish (CfAccount     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Limits */

static guint
clamp_limit (gint64 value)
{
  return (guint) CLAMP (value, 0, G_MAXUINT);
}

/* A premium plan's own number caps what VirusTotal allows (0: no cap of
 * one's own). */
static guint
capped (guint  own,
        gint64 reported,
        gboolean premium)
{
  if (reported <= 0)
    return own;
  if (!premium || own == 0)
    return clamp_limit (reported);
  return MIN (own, clamp_limit (reported));
}

void
cf_account_limits (CfAccount      *self,
                   const CfConfig *config,
                   guint          *per_minute,
                   guint          *per_day,
                   guint          *per_month)
{
  const CfAllowance *allowance;
  gint64 minute = 0;

  g_return_if_fail (CF_IS_ACCOUNT (self));
  g_return_if_fail (config != NULL);

  *per_minute = config->per_minute;
  *per_day = config->per_day;
  *per_month = config->per_month;

  allowance = cf_account_get_allowance (self);
  if (config->rate_given || allowance == NULL)
    return;

  /* No hourly budget of its own: an hour's allowance spread evenly over
   * its minutes never spends more in any hour (for an allowance under 60
   * an hour, one a minute is the least there is). */
  if (allowance->allowed[CF_PERIOD_HOUR] > 0)
    minute = MAX (allowance->allowed[CF_PERIOD_HOUR] / 60, 1);

  *per_minute = capped (config->per_minute, minute, config->premium_plan);
  *per_day = capped (config->per_day, allowance->allowed[CF_PERIOD_DAY], config->premium_plan);
  *per_month = capped (config->per_month, allowance->allowed[CF_PERIOD_MONTH], config->premium_plan);
}
