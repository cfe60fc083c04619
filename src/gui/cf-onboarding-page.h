/* cf-onboarding-page.h: the first page a person without an API key sees
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-checker.h"

G_BEGIN_DECLS

/* Use in a .ui as <object class="CfOnboardingPage">; the class that owns
 * that .ui calls g_type_ensure (CF_TYPE_ONBOARDING_PAGE) in its class_init,
 * because GtkBuilder cannot find the type by name on its own.
 *
 * After a key is verified and stored the page calls
 * cf_application_set_api_key () and emits "key-saved". */
#define CF_TYPE_ONBOARDING_PAGE (cf_onboarding_page_get_type ())
G_DECLARE_FINAL_TYPE (CfOnboardingPage, cf_onboarding_page, CF, ONBOARDING_PAGE, GtkWidget)

GtkWidget *cf_onboarding_page_new         (void);
/* The checker whose scheduler counts the verification request and whose
 * configuration gives the API address; without one, the application's. */
void       cf_onboarding_page_set_checker (CfOnboardingPage *self,
                                           CfChecker        *checker);
CfChecker *cf_onboarding_page_get_checker (CfOnboardingPage *self);

G_END_DECLS
