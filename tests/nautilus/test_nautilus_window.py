# test_nautilus_window.py: real Nautilus: right-click EICAR, "Check with Check First", and the verdict where the person looks
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess

from cfnautilus import Nautilus, e2e, svc, write_desktop_settings


def test():
    e2e.fake_vt('reset')
    write_desktop_settings()
    svc.activation_environment()
    verdicts = svc.Verdicts()

    folder = os.path.join(os.environ['HOME'], 'Downloads')
    os.makedirs(folder, exist_ok=True)
    eicar = svc.write_file(os.path.join(folder, 'eicar.com'), e2e.EICAR)
    report = svc.write_file(os.path.join(folder, 'report.pdf'), '%PDF-1.4 a clean report\n')
    svc.write_file(os.path.join(folder, 'notes.txt'), 'never checked\n')
    tool = svc.write_file(os.path.join(folder, 'setup-tool.sh'), '#!/bin/sh\necho a tool you know\n', 0o755)
    e2e.register(eicar, 'eicar')
    e2e.register(report, 'clean')
    e2e.register(tool, 'malicious:2')

    # Checked earlier: the report, and a tool one engine flags that you allowed.
    allowed = subprocess.run([e2e.APP_BIN, f'--allow-hash={e2e.sha256_of(tool)}'], capture_output=True,
                             text=True, timeout=60, env=e2e.app_environment())
    assert allowed.returncode == 0, allowed
    status, out, err = svc.gdbus('CheckFiles', f"['{svc.uri_of(report)}', '{svc.uri_of(tool)}']")
    assert status == 0, err
    verdicts.wait(svc.uri_of(report), 'clean')
    verdicts.wait(svc.uri_of(tool), 'trusted')

    nautilus = Nautilus('--new-window', '--select', svc.uri_of(eicar))
    try:
        # Each file's verdict as the folder opens, from what the service knows: no request.
        requests = e2e.fake_stats()['requests']
        e2e.wait_for(lambda: nautilus.column_of('report.pdf') == 'clean · just now', 30,
                     'the clean report in the VirusTotal column')
        e2e.wait_for(lambda: nautilus.column_of('eicar.com') == 'not checked', 30,
                     'EICAR not checked yet')
        assert nautilus.column_of('notes.txt') == 'not checked'
        assert nautilus.column_of('setup-tool.sh') == 'allowed by you'
        assert nautilus.row_of('report.pdf')[1] == 1, nautilus.row_of('report.pdf')
        assert nautilus.row_of('setup-tool.sh')[1] == 1, nautilus.row_of('setup-tool.sh')
        assert nautilus.row_of('eicar.com')[1] == 0, nautilus.row_of('eicar.com')
        assert e2e.fake_stats()['requests'] == requests

        # Right-click EICAR (it is selected) and choose "Check with Check First".
        items = nautilus.context_menu_items()
        names = [item.name for item in items]
        assert 'Check with Check First' in names, names
        next(item for item in items if item.name == 'Check with Check First').doActionNamed('click')

        # The verdict: a notification, the service's signal, and the file's own row.
        record = svc.wait_notification('Blocked: eicar.com')
        assert 'Flagged by 62 of 64 engines' in record, record
        verdict = verdicts.wait(svc.uri_of(eicar), 'detected')
        assert verdict['remote'] is False
        e2e.wait_for(lambda: nautilus.column_of('eicar.com') == '62/64 malicious', 30,
                     'the engine count in the VirusTotal column')
        e2e.wait_for(lambda: nautilus.row_of('eicar.com')[1] == 1, 30, 'the emblem on EICAR')
        assert nautilus.column_of('notes.txt') == 'not checked'
        assert nautilus.row_of('notes.txt')[1] == 0
        assert e2e.fake_stats()['lookups'] == 2, e2e.fake_stats()
        nautilus.screenshot('nautilus.png', 'Downloads')
    except Exception:
        nautilus.dump_log()
        raise
    finally:
        nautilus.stop()
        verdicts.close()


svc.run(test)
