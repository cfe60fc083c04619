/* cf-onboarding-page.h: the first page a person without an API key sees
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-session.h"

G_BEGIN_DECLS

/* Use in a .ui as <object class="CfOnboardingPage">; the class that owns
 * that .ui calls g_type_ensure (CF_TYPE_ONBOARDING_PAGE) in its class_init,
 * because GtkBuilder cannot find the type by name on its own.
 *
 * Its "session" verifies and keeps the key the person enters; then the
 * page emits "key-saved". */
#define CF_TYPE_ONBOARDING_PAGE (cf_onboarding_page_get_type ())
G_DECLARE_FINAL_TYPE (CfOnboardingPage, cf_onboarding_page, CF, ONBOARDING_PAGE, GtkWidget)

GtkWidget *cf_onboarding_page_new (void);

G_END_DECLS
