# test_nautilus_module.py: the built extension, loaded as Nautilus loads it, against the service (a C test)
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tests/nautilus/test-nautilus-extension.c does the work; it needs this session (a bus that starts
# the service, the notification mock) and sets the service's environment itself, with a fake
# VirusTotal of its own whose requests it counts.

import os
import subprocess

from cfnautilus import e2e, svc


def test():
    e2e.write_settings()
    env = dict(os.environ, G_DEBUG='fatal-criticals')
    if e2e.NOTIFY_GUARD:
        env['LD_PRELOAD'] = e2e.NOTIFY_GUARD
    result = subprocess.run([os.environ['NAUTILUS_EXTENSION_TEST']], env=env, capture_output=True,
                            text=True, timeout=200)
    for line in (result.stdout + result.stderr).splitlines():
        e2e.log(line)
    assert result.returncode == 0, f'test-nautilus-extension exited with {result.returncode}'
    # Every test of it ran and passed.
    assert result.stdout.count('\nok ') + result.stdout.startswith('ok ') == 9, result.stdout
    assert 'not ok' not in result.stdout


svc.run(test)
