/* cf-processes-page.c: the programs behind the running processes, checked
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-processes-page.h"

/* A page in the window's stack; the process audit fills it. */
struct _CfProcessesPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (CfProcessesPage, cf_processes_page, ADW_TYPE_BIN)

static void
cf_processes_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CF_TYPE_PROCESSES_PAGE);

  G_OBJECT_CLASS (cf_processes_page_parent_class)->dispose (object);
}

static void
cf_processes_page_class_init (CfProcessesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cf_processes_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/checkfirst/CheckFirst/cf-processes-page.ui");
}

static void
cf_processes_page_init (CfProcessesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
