/* cf-engine-item.h: one engine's verdict, as an item for list models
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-report.h"

G_BEGIN_DECLS

#define CF_TYPE_ENGINE_ITEM (cf_engine_item_get_type ())
G_DECLARE_FINAL_TYPE (CfEngineItem, cf_engine_item, CF, ENGINE_ITEM, GObject)

CfEngineItem *cf_engine_item_new          (const CfEngineResult *result,
                                           guint                 position);
const char   *cf_engine_item_get_engine   (CfEngineItem         *self);
const char   *cf_engine_item_get_category (CfEngineItem         *self);
const char   *cf_engine_item_get_result   (CfEngineItem         *self);
void          cf_engine_item_set_category_label (CfEngineItem  *self,
                                                 const char    *label);
gboolean      cf_engine_item_is_detection (CfEngineItem         *self);
GListStore   *cf_engine_item_list_new     (const CfReport       *report);

G_END_DECLS
