/* cf-processes-page.h: the programs behind the running processes, checked
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cf-session.h"

G_BEGIN_DECLS

#define CF_TYPE_PROCESSES_PAGE (cf_processes_page_get_type ())
G_DECLARE_FINAL_TYPE (CfProcessesPage, cf_processes_page, CF, PROCESSES_PAGE, AdwBin)

G_END_DECLS
