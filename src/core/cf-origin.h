/* cf-origin.h: where a downloaded file came from, as the browser or download tool recorded it
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The freedesktop.org extended attributes (Chromium, Firefox with
 * browser.download.save_origin_url... wget --xattr, curl --xattr, aria2). */
#define CF_ORIGIN_XATTR_URL      "user.xdg.origin.url"
#define CF_ORIGIN_XATTR_REFERRER "user.xdg.referrer.url"

typedef struct
{
  char *url;        /* the address the file was downloaded from, or NULL */
  char *referrer;   /* the page that led there, or NULL */
} CfOrigin;

void  cf_origin_read_fd     (int          fd,
                             CfOrigin    *origin);
char *cf_origin_clean       (const char  *value,
                             gsize        length);
void  cf_origin_clear       (CfOrigin    *origin);

G_END_DECLS
