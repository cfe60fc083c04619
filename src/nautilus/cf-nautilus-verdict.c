/* cf-nautilus-verdict.c: what the file manager shows of a verdict: an emblem and a few words
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The service sends a verdict as a dictionary with the fields of the JSON
 * output; the file manager keeps only what its emblem and its column need,
 * for every file it shows, so the copy is small.  The words are short on
 * purpose: a column is narrow, and the window and the notification say
 * the rest.
 */

#define G_LOG_DOMAIN "check-first-nautilus"

#include "config.h"

/* This runs inside the file manager, whose own text domain is the default:
 * every string names ours. */
#include <glib/gi18n-lib.h>

#include "cf-nautilus-verdict.h"
#include "cf-time.h"

/* Emblems of the icon theme (Adwaita has them); the file manager puts
 * "emblem-" in front. */
#define EMBLEM_FLAGGED "important-symbolic"
#define EMBLEM_ALLOWED "default-symbolic"
#define EMBLEM_CLEAN   "ok-symbolic"

static gint64
lookup_int (GVariantDict *dict,
            const char   *key)
{
  gint64 value = 0;

  if (!g_variant_dict_lookup (dict, key, "x", &value))
    return 0;
  return value;
}

/* Keeps what the file manager needs of @verdict (a{sv}); a dictionary
 * without a status is nothing to show. */
CfNautilusVerdict *
cf_nautilus_verdict_new_from_variant (GVariant *verdict)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autoptr(CfNautilusVerdict) self = NULL;
  const char *text = NULL;

  g_return_val_if_fail (verdict != NULL, NULL);

  if (!g_variant_is_of_type (verdict, G_VARIANT_TYPE_VARDICT))
    return NULL;
  g_variant_dict_init (&dict, verdict);
  if (!g_variant_dict_lookup (&dict, "status", "&s", &text) || *text == '\0')
    return NULL;

  self = g_new0 (CfNautilusVerdict, 1);
  self->status = g_strdup (text);
  if (g_variant_dict_lookup (&dict, "reason", "&s", &text))
    self->reason = g_strdup (text);
  self->malicious = lookup_int (&dict, "malicious");
  self->suspicious = lookup_int (&dict, "suspicious");
  self->engines = lookup_int (&dict, "engines");
  self->time = lookup_int (&dict, "time");
  if (!g_variant_dict_lookup (&dict, "remote", "b", &self->remote))
    self->remote = FALSE;
  return g_steal_pointer (&self);
}

CfNautilusVerdict *
cf_nautilus_verdict_copy (const CfNautilusVerdict *self)
{
  CfNautilusVerdict *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->status = g_strdup (self->status);
  copy->reason = g_strdup (self->reason);
  return copy;
}

void
cf_nautilus_verdict_free (CfNautilusVerdict *self)
{
  if (self == NULL)
    return;
  g_free (self->status);
  g_free (self->reason);
  g_free (self);
}

static gboolean
has_status (const CfNautilusVerdict *self,
            const char              *status)
{
  return g_strcmp0 (self->status, status) == 0;
}

static gboolean
has_reason (const CfNautilusVerdict *self,
            const char              *reason)
{
  return g_strcmp0 (self->reason, reason) == 0;
}

/* The emblem for a file with this verdict (without "emblem-"), or NULL:
 * flagged by an engine or blocked by you, allowed by you, or clean.  A file
 * that is unknown, not checked or being checked has none. */
const char *
cf_nautilus_verdict_get_emblem (const CfNautilusVerdict *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (has_status (self, "detected") || has_status (self, "flagged"))
    return EMBLEM_FLAGGED;
  if (has_status (self, "trusted"))
    return has_reason (self, "blocked-by-you") ? EMBLEM_FLAGGED : EMBLEM_ALLOWED;
  if (has_status (self, "clean"))
    return EMBLEM_CLEAN;
  return NULL;
}

static char *
describe_status (const CfNautilusVerdict *self,
                 gint64                   now)
{
  if (has_status (self, "detected") || has_status (self, "flagged"))
    {
      if (self->malicious > 0 || self->suspicious == 0)
        /* Translators: the file manager's VirusTotal column: engines that call the
         * file malicious, of all that answered, e.g. "5/64 malicious" */
        return g_strdup_printf (_("%d/%d malicious"), (int) self->malicious, (int) self->engines);
      /* Translators: the file manager's VirusTotal column, e.g. "2/64 suspicious" */
      return g_strdup_printf (_("%d/%d suspicious"), (int) self->suspicious, (int) self->engines);
    }
  if (has_status (self, "trusted"))
    /* Translators: the file manager's VirusTotal column, for a file on your trust list */
    return g_strdup (has_reason (self, "blocked-by-you") ? _("blocked by you") : _("allowed by you"));
  if (has_status (self, "clean"))
    {
      g_autofree char *age = NULL;

      if (self->time <= 0)
        /* Translators: the file manager's VirusTotal column: no engine flagged the file */
        return g_strdup (_("clean"));
      age = cf_format_age (self->time, now);
      /* Translators: the file manager's VirusTotal column: no engine flagged the file,
       * and when VirusTotal said so, e.g. "clean · 3 days ago" */
      return g_strdup_printf (_("clean · %s"), age);
    }
  if (has_status (self, "unknown"))
    /* Translators: the file manager's VirusTotal column */
    return g_strdup (_("unknown to VirusTotal"));
  if (has_status (self, "no-results"))
    /* Translators: the file manager's VirusTotal column: VirusTotal knows the file, but no
     * engine has answered yet */
    return g_strdup (_("no results yet"));
  if (has_status (self, "packaged"))
    /* Translators: the file manager's VirusTotal column: the file is exactly as its Debian
     * package installed it, and was not looked up */
    return g_strdup (_("unmodified package file"));
  if (has_status (self, "checking"))
    /* Translators: the file manager's VirusTotal column */
    return g_strdup (_("checking…"));
  if (has_status (self, "error"))
    /* Translators: the file manager's VirusTotal column */
    return g_strdup (_("could not be checked"));
  /* Translators: the file manager's VirusTotal column (also for a cancelled check) */
  return g_strdup (_("not checked"));
}

/* The "VirusTotal" column's words for this verdict, by @now (seconds since
 * the epoch): "5/64 malicious", "clean · 3 days ago", "not checked", and
 * whether the file is on another computer. */
char *
cf_nautilus_verdict_describe (const CfNautilusVerdict *self,
                              gint64                   now)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  text = describe_status (self, now);
  if (!self->remote)
    return g_steal_pointer (&text);
  /* Translators: the file manager's VirusTotal column for a file on another computer
   * (through a network mount), e.g. "clean · 3 days ago · remote" */
  return g_strdup_printf (_("%s · remote"), text);
}
