/* cf-quota-button.h: the request budget, one click away in the header bar
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-session.h"

G_BEGIN_DECLS

#define CF_TYPE_QUOTA_BUTTON (cf_quota_button_get_type ())
G_DECLARE_FINAL_TYPE (CfQuotaButton, cf_quota_button, CF, QUOTA_BUTTON, AdwBin)

G_END_DECLS
