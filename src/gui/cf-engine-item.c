/* cf-engine-item.c: one engine's verdict, as an item for list models
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-gui"

#include "config.h"

#include <string.h>

#include "cf-engine-item.h"

struct _CfEngineItem
{
  GObject  parent_instance;

  char    *engine;
  char    *category;
  char    *result;
  char    *version;
  char    *update;
  char    *category_label;
  guint    severity;
  guint    position;
};

G_DEFINE_FINAL_TYPE (CfEngineItem, cf_engine_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_CATEGORY,
  PROP_RESULT,
  PROP_VERSION,
  PROP_UPDATE,
  PROP_CATEGORY_LABEL,
  PROP_CSS_CLASSES,
  PROP_SEVERITY,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Lower is worse, so that an ascending sort puts detections first. */
static guint
category_severity (const char *category)
{
  static const char * const order[] = {
    "malicious", "suspicious", "undetected", "harmless",
    "timeout", "confirmed-timeout", "failure", "type-unsupported",
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (category, order[i]) == 0)
      return i;

  return G_N_ELEMENTS (order);
}

/* "20261120" as VirusTotal sends it, shown as "2026-11-20". */
static char *
format_update (const char *update)
{
  if (update == NULL || strlen (update) != 8)
    return g_strdup (update ? update : "");

  return g_strdup_printf ("%.4s-%.2s-%.2s", update, update + 4, update + 6);
}

static void
cf_engine_item_finalize (GObject *object)
{
  CfEngineItem *self = CF_ENGINE_ITEM (object);

  g_free (self->engine);
  g_free (self->category);
  g_free (self->result);
  g_free (self->version);
  g_free (self->update);
  g_free (self->category_label);

  G_OBJECT_CLASS (cf_engine_item_parent_class)->finalize (object);
}

static void
cf_engine_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CfEngineItem *self = CF_ENGINE_ITEM (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_string (value, self->engine);
      break;
    case PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;
    case PROP_RESULT:
      g_value_set_string (value, self->result);
      break;
    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;
    case PROP_UPDATE:
      g_value_set_string (value, self->update);
      break;
    case PROP_CATEGORY_LABEL:
      g_value_set_string (value, self->category_label ? self->category_label : self->category);
      break;
    case PROP_CSS_CLASSES:
      {
        /* Detections stand out; engines that could not look are quiet. */
        static const char * const detection[] = { "error", NULL };
        static const char * const suspicious[] = { "warning", NULL };
        static const char * const verdict[] = { NULL };
        static const char * const quiet[] = { "dim-label", NULL };

        if (self->severity == 0)
          g_value_set_boxed (value, detection);
        else if (self->severity == 1)
          g_value_set_boxed (value, suspicious);
        else if (self->severity <= 3)
          g_value_set_boxed (value, verdict);
        else
          g_value_set_boxed (value, quiet);
      }
      break;
    case PROP_SEVERITY:
      g_value_set_uint (value, self->severity);
      break;
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cf_engine_item_class_init (CfEngineItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cf_engine_item_finalize;
  object_class->get_property = cf_engine_item_get_property;

  properties[PROP_ENGINE] = g_param_spec_string ("engine", NULL, NULL, "", flags);
  properties[PROP_CATEGORY] = g_param_spec_string ("category", NULL, NULL, "", flags);
  properties[PROP_RESULT] = g_param_spec_string ("result", NULL, NULL, "", flags);
  properties[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, "", flags);
  properties[PROP_UPDATE] = g_param_spec_string ("update", NULL, NULL, "", flags);
  properties[PROP_CATEGORY_LABEL] = g_param_spec_string ("category-label", NULL, NULL, "",
                                                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CSS_CLASSES] = g_param_spec_boxed ("css-classes", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_SEVERITY] = g_param_spec_uint ("severity", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_POSITION] = g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cf_engine_item_init (CfEngineItem *self)
{
}

CfEngineItem *
cf_engine_item_new (const CfEngineResult *result,
                    guint                 position)
{
  CfEngineItem *self;

  g_return_val_if_fail (result != NULL, NULL);

  self = g_object_new (CF_TYPE_ENGINE_ITEM, NULL);
  self->engine = g_strdup (result->engine ? result->engine : "");
  self->category = g_strdup (result->category ? result->category : "");
  /* An engine that found nothing has no result: show an empty cell. */
  self->result = g_strdup (result->result ? result->result : "");
  self->version = g_strdup (result->version ? result->version : "");
  self->update = format_update (result->update);
  self->severity = category_severity (result->category);
  self->position = position;

  return self;
}

const char *
cf_engine_item_get_engine (CfEngineItem *self)
{
  g_return_val_if_fail (CF_IS_ENGINE_ITEM (self), NULL);

  return self->engine;
}

const char *
cf_engine_item_get_category (CfEngineItem *self)
{
  g_return_val_if_fail (CF_IS_ENGINE_ITEM (self), NULL);

  return self->category;
}

const char *
cf_engine_item_get_result (CfEngineItem *self)
{
  g_return_val_if_fail (CF_IS_ENGINE_ITEM (self), NULL);

  return self->result;
}

/* The category in words people use; the item itself only knows VirusTotal's. */
void
cf_engine_item_set_category_label (CfEngineItem *self,
                                   const char   *label)
{
  g_return_if_fail (CF_IS_ENGINE_ITEM (self));

  if (g_strcmp0 (self->category_label, label) == 0)
    return;

  g_free (self->category_label);
  self->category_label = g_strdup (label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY_LABEL]);
}

gboolean
cf_engine_item_is_detection (CfEngineItem *self)
{
  g_return_val_if_fail (CF_IS_ENGINE_ITEM (self), FALSE);

  return self->severity <= 1;
}

/* The report's engines, in the report's order (malicious first). */
GListStore *
cf_engine_item_list_new (const CfReport *report)
{
  GListStore *store = g_list_store_new (CF_TYPE_ENGINE_ITEM);

  if (report == NULL || report->engines == NULL)
    return store;

  for (guint i = 0; i < report->engines->len; i++)
    {
      const CfEngineResult *result = g_ptr_array_index (report->engines, i);
      g_autoptr(CfEngineItem) item = cf_engine_item_new (result, i);

      g_list_store_append (store, item);
    }

  return store;
}
