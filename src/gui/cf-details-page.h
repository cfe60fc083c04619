/* cf-details-page.h: everything about one check: verdict, file, hashes, engines
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-session.h"

G_BEGIN_DECLS

#define CF_TYPE_DETAILS_PAGE (cf_details_page_get_type ())
G_DECLARE_FINAL_TYPE (CfDetailsPage, cf_details_page, CF, DETAILS_PAGE, AdwBin)

CfCheck *cf_details_page_get_check    (CfDetailsPage *self);
void     cf_details_page_focus_search (CfDetailsPage *self);

G_END_DECLS
