/* bare-window.c: the window start-up is measured against: a bare libadwaita window, one label
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What any libadwaita application costs before its first frame, built
 * with the same toolkit: an application that registers on the session bus,
 * a window of Check First's default size with a header bar, and the label
 * Check First shows for a clean file.  tests/bench/run-bench times it from
 * process start to the first frame on screen, the same way as Check First
 * from process start to its verdict on screen.
 */

#include <adwaita.h>

static void
activate (GApplication *application)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (application));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("No engine flagged it");

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Bare Window");
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 600);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) application = NULL;

  application = adw_application_new ("io.github.checkfirst.CheckFirst.BareWindow",
                                     G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (application, "activate", G_CALLBACK (activate), NULL);

  return g_application_run (G_APPLICATION (application), argc, argv);
}
