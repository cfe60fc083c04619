# test_pacing.py: a burst of downloads on a free key, paced by the budget: every file checked,
# and VirusTotal never says "too many requests"
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Real time, at 4 requests a minute: six files take a little over a minute.  A fake server of
# its own, that allows 4 a minute, so that no earlier test's requests count.

import json
import os
import shutil
import subprocess
import urllib.request

import cfe2e as e2e
import cfservice as svc


def test():
    port_file = os.path.join(e2e.TEST_DIR, 'fake-vt.port')
    server = subprocess.Popen([os.environ['FAKE_VT_BIN'], '--port', '0', '--port-file', port_file,
                               '--key', os.environ['VT_API_KEY'], '--quota-per-minute', '4'],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        e2e.wait_for(lambda: os.path.exists(port_file) and open(port_file).read().strip(), 20,
                     'the fake server')
        base = f'http://127.0.0.1:{open(port_file).read().strip()}'

        e2e.write_settings(api_plan="'public'")
        folder = svc.downloads()
        svc.activation_environment(CHECK_FIRST_API_URL=base + '/api/v3')
        verdicts = svc.Verdicts()
        svc.start()

        # Moved in at once.
        staging = os.path.join(e2e.TEST_DIR, 'staging')
        os.makedirs(staging, exist_ok=True)
        names = [f'burst-{i}.txt' for i in range(6)]
        for i, name in enumerate(names):
            svc.write_file(os.path.join(staging, name), f'burst {i}\n')
        for name in names:
            shutil.move(os.path.join(staging, name), os.path.join(folder, name))

        for name in names:
            verdicts.wait(svc.uri_of(os.path.join(folder, name)), 'unknown', timeout=180)
        with urllib.request.urlopen(base + '/_fake/stats', timeout=10) as reply:
            stats = json.loads(reply.read())
        assert stats['lookups'] == 6, stats
        assert stats['429'] == 0, stats
        verdicts.close()
    finally:
        server.terminate()
        server.wait(10)


svc.run(test)
