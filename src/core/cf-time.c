/* cf-time.c: durations and moments in words, for every wait a person is told about
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "check-first-time"

#include "config.h"

/* In every process that shows these words, the file manager too: our own
 * text domain, whatever the default. */
#include <glib/gi18n-lib.h>

#include "cf-time.h"

/* "42 s", "3 min 5 s", "2 h 10 min", "1 d 4 h": rounded up, so a wait is
 * never shown shorter than it is. */
char *
cf_format_duration (gint64 usec)
{
  guint64 seconds = usec > 0 ? (guint64) (usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC : 0;
  guint major;
  guint minor;

  if (seconds < 60)
    return g_strdup_printf (_("%u s"), (guint) seconds);

  if (seconds < 3600)
    {
      major = seconds / 60;
      minor = seconds % 60;
      return minor != 0 ? g_strdup_printf (_("%u min %u s"), major, minor)
                        : g_strdup_printf (_("%u min"), major);
    }

  if (seconds < 86400)
    {
      major = seconds / 3600;
      minor = (seconds % 3600) / 60;
      return minor != 0 ? g_strdup_printf (_("%u h %u min"), major, minor)
                        : g_strdup_printf (_("%u h"), major);
    }

  major = seconds / 86400;
  minor = (seconds % 86400) / 3600;
  return minor != 0 ? g_strdup_printf (_("%u d %u h"), major, minor)
                    : g_strdup_printf (_("%u d"), major);
}

/* "0:37", "12:05", "1:02:03": a clock's way, for a time that moves. */
char *
cf_format_countdown (gint64 usec)
{
  gint64 seconds = usec > 0 ? (usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC : 0;

  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/* A moment in local time, as a person reads a clock: the time of day when
 * it is today (by @now), with the date when it is not.  Both in µs since
 * the epoch. */
char *
cf_format_moment (gint64 usec,
                  gint64 now)
{
  g_autoptr(GDateTime) moment = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_local (now / G_USEC_PER_SEC);

  if (moment == NULL || today == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (moment) == g_date_time_get_year (today) &&
      g_date_time_get_day_of_year (moment) == g_date_time_get_day_of_year (today))
    return g_date_time_format (moment, "%X");
  /* Translators: a date and a time of day, see strftime(3) */
  return g_date_time_format (moment, _("%x %X"));
}

/* How long ago @then was, by @now (both in seconds since the epoch), as a
 * person says it: "just now", "5 minutes ago", "3 days ago", "2 years ago".
 * Rounded down: a verdict is never said to be younger than it is by more
 * than the unit it is said in. */
char *
cf_format_age (gint64 then,
               gint64 now)
{
  gint64 seconds = now - then;
  guint count;

  /* A clock that disagrees by a little is not a verdict from the future. */
  if (seconds < 60)
    return g_strdup (_("just now"));
  if (seconds < 3600)
    {
      count = seconds / 60;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute ago", "%u minutes ago", count), count);
    }
  if (seconds < 86400)
    {
      count = seconds / 3600;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour ago", "%u hours ago", count), count);
    }
  if (seconds < 60 * 86400)
    {
      count = seconds / 86400;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day ago", "%u days ago", count), count);
    }
  if (seconds < 730 * 86400)
    {
      count = seconds / (30 * 86400);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u month ago", "%u months ago", count), count);
    }
  count = MIN (seconds / (365 * 86400), G_MAXUINT);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u year ago", "%u years ago", count), count);
}
