# test_download_latency.py: from a download's rename to the block notification, with the service
# alone and no window (run by tests/bench/download-latency, not by the test suite)
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The first file costs a lookup at the fake server; the next ones have the same content, so the
# verdict comes from the cache, as it does for a file downloaded again.  Each time is measured
# from just before the rename to the time stamp the notification daemon mock gave its Notify
# call.  The results go to $BENCH_OUT as "first|cached SECONDS" lines.

import hashlib
import os
import time

import cfe2e as e2e
import cfservice as svc

RUNS = int(os.environ.get('BENCH_REPS', '5'))


def test():
    e2e.fake_vt('reset')
    e2e.write_settings()
    folder = svc.downloads()
    svc.activation_environment()
    svc.start()
    e2e.fake_vt('register', sha256=hashlib.sha256(e2e.EICAR.encode()).hexdigest(), verdict='eicar')

    results = []
    for run in range(RUNS + 1):
        name = f'eicar-{run}.com'
        path = os.path.join(folder, name)
        # A browser writes the partial file, then renames it.
        svc.write_file(path + '.part', e2e.EICAR, 0o755)
        before = time.time()
        os.rename(path + '.part', path)
        record = svc.wait_notification(f'Blocked download: {name}', 30)
        seconds = float(record.split(' ', 1)[0]) - before
        results.append(('first' if run == 0 else 'cached', seconds))
    assert e2e.fake_stats()['lookups'] == 1, e2e.fake_stats()

    with open(os.environ['BENCH_OUT'], 'w') as out:
        for kind, seconds in results:
            out.write(f'{kind} {seconds:.3f}\n')


svc.run(test)
