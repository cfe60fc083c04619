/* cf-test-util.h: shared helpers for the tests: temp folders, the fake server, the CLI
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cf-fake-vt.h"

G_BEGIN_DECLS

#define CF_TEST_KEY "test-key"
#define CF_EICAR "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

/* Seconds a CLI run may take before it counts as hung (see cf_test_run_cliv). */
#define CF_TEST_RUN_BOUND 120
#define CF_TEST_RUN_HUNG (-2)

typedef struct
{
  int    status;     /* exit status, -1 when killed by a signal, CF_TEST_RUN_HUNG */
  char  *out;
  char  *err;
} CfTestRun;

char      *cf_test_make_tmpdir   (void);
void       cf_test_rm_rf         (const char  *path);
char      *cf_test_write_file    (const char  *dir,
                                  const char  *name,
                                  const char  *contents,
                                  gssize       length,
                                  int          mode);
CfFakeVt  *cf_test_fake_vt_new   (void);
char     **cf_test_cli_env       (CfFakeVt    *server,
                                  const char  *data_home,
                                  const char  *key);
CfTestRun *cf_test_run_cli       (char       **env,
                                  const char  *stdin_text,
                                  const char  *first_arg,
                                  ...) G_GNUC_NULL_TERMINATED;
CfTestRun *cf_test_run_cliv      (char       **env,
                                  const char  *stdin_text,
                                  const char * const *args);
CfTestRun *cf_test_run_cli_wrapped (char       **env,
                                    const char  *stdin_text,
                                    const char * const *wrapper,
                                    const char * const *args);
void       cf_test_run_free      (CfTestRun   *run);
GPtrArray *cf_test_parse_json_lines (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfTestRun, cf_test_run_free)

G_END_DECLS
