/* test-hash-set.c: tests for the set of hashes a run has answered
 *
 * Copyright 2026 The Check First authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cf-hash-set.h"

static char *
random_hex (guint digits)
{
  GString *hex = g_string_sized_new (digits);

  for (guint i = 0; i < digits; i++)
    g_string_append_c (hex, "0123456789abcdef"[g_random_int_range (0, 16)]);
  return g_string_free (hex, FALSE);
}

/* One of each kind, either case, and what is not a hash at all. */
static void
test_kinds (void)
{
  g_autoptr(CfHashSet) set = cf_hash_set_new ();
  const char *md5 = "44d88612fea8a8f36de82e1278abb02f";
  const char *sha1 = "3395856ce81f2b7382dee72602f798b642f14140";
  const char *sha256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f";
  /* The MD5's digest followed by zeros: a different SHA-256 all the same. */
  const char *padded = "44d88612fea8a8f36de82e1278abb02f00000000000000000000000000000001";

  g_assert_true (cf_hash_set_add (set, md5));
  g_assert_true (cf_hash_set_add (set, sha1));
  g_assert_true (cf_hash_set_add (set, sha256));
  g_assert_false (cf_hash_set_add (set, "44D88612FEA8A8F36DE82E1278ABB02F"));
  g_assert_false (cf_hash_set_add (set, sha256));
  g_assert_cmpuint (cf_hash_set_get_size (set), ==, 3);

  g_assert_true (cf_hash_set_contains (set, md5));
  g_assert_true (cf_hash_set_contains (set, "3395856CE81F2B7382DEE72602F798B642F14140"));
  g_assert_false (cf_hash_set_contains (set, padded));
  g_assert_true (cf_hash_set_add (set, padded));

  for (guint i = 0; i < 5; i++)
    {
      static const char * const not_hashes[] = {
        "", "44d88612", "44d88612fea8a8f36de82e1278abb02g",
        "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f0", "not a hash",
      };

      g_assert_false (cf_hash_set_add (set, not_hashes[i]));
      g_assert_false (cf_hash_set_contains (set, not_hashes[i]));
    }
  g_assert_cmpuint (cf_hash_set_get_size (set), ==, 4);
}

/* All zeros looks like an empty slot inside; it is a hash all the same. */
static void
test_zero (void)
{
  g_autoptr(CfHashSet) set = cf_hash_set_new ();
  g_autofree char *zero = g_strnfill (64, '0');

  g_assert_false (cf_hash_set_contains (set, zero));
  g_assert_true (cf_hash_set_add (set, zero));
  g_assert_false (cf_hash_set_add (set, zero));
  g_assert_true (cf_hash_set_contains (set, zero));
  g_assert_cmpuint (cf_hash_set_get_size (set), ==, 1);
}

/* A run's memory beyond its rows is this set: however many hashes it
 * holds, each takes at most 64 bytes, twice a SHA-256's digest (counted,
 * not measured), and every one added is found again while none other is. */
static void
test_memory (void)
{
  const guint n = 200000;
  g_autoptr(CfHashSet) set = cf_hash_set_new ();
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
  guint found = 0;

  for (guint i = 0; i < n; i++)
    {
      char *hash = random_hex (i % 3 == 0 ? 32 : 64);

      if (cf_hash_set_add (set, hash))
        g_ptr_array_add (added, hash);
      else
        g_free (hash);

      /* Measured at every size, not only at the end: growth has no peak
       * above the bound. */
      if (i >= 1000)
        g_assert_cmpuint (cf_hash_set_get_memory (set), <=, 64 * (gsize) cf_hash_set_get_size (set));
    }

  g_test_message ("%u hashes in %" G_GSIZE_FORMAT " bytes", cf_hash_set_get_size (set),
                  cf_hash_set_get_memory (set));
  g_assert_cmpuint (cf_hash_set_get_size (set), ==, added->len);
  for (guint i = 0; i < added->len; i++)
    found += cf_hash_set_contains (set, g_ptr_array_index (added, i));
  g_assert_cmpuint (found, ==, added->len);
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *other = random_hex (64);

      g_assert_false (cf_hash_set_contains (set, other));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cf/hash-set/kinds", test_kinds);
  g_test_add_func ("/cf/hash-set/zero", test_zero);
  g_test_add_func ("/cf/hash-set/memory", test_memory);

  return g_test_run ();
}
