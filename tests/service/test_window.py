# test_window.py: the window opened while the service runs shows the service's checks
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import hashlib
import os
import subprocess

import cfe2e as e2e
import cfservice as svc


def click_response(app, label):
    """Clicks a question's answer, read by its label."""
    button = e2e.wait_for(lambda: next(iter(app.find_all(role='push button', name=label)), None),
                          10, f'the {label!r} response')
    button.doActionNamed('click')


def test():
    e2e.fake_vt('reset')
    e2e.write_settings()
    folder = svc.downloads()
    svc.activation_environment()
    verdicts = svc.Verdicts()
    pid = svc.start()

    # A flagged download, from a web site, checked with no window open.
    eicar = os.path.join(folder, 'eicar.com')
    e2e.fake_vt('register', sha256=hashlib.sha256(e2e.EICAR.encode()).hexdigest(), verdict='eicar')
    svc.write_file(eicar + '.part', e2e.EICAR, 0o755)
    os.setxattr(eicar + '.part', 'user.xdg.origin.url', b'https://downloads.example.org/eicar.com')
    os.rename(eicar + '.part', eicar)
    verdicts.wait(svc.uri_of(eicar), 'detected')
    assert os.stat(eicar).st_mode & 0o111 == 0

    # The person starts Check First: the window opens in the service, with its check.
    started = subprocess.run([e2e.APP_BIN], capture_output=True, text=True, timeout=60,
                             env=e2e.app_environment())
    assert started.returncode == 0, started
    assert svc.owner_pid() == pid
    app = svc.ServiceWindow(pid)
    app.wait(role='label', name='eicar.com')
    app.wait(role='label', prefix='Flagged by 62 of')
    e2e.screenshot('service-window.png')

    # The notification's Show Details: where it came from, as the browser recorded it.
    svc.click_notification_button('Blocked download: eicar.com', 'Show Details')
    app.wait(role='label', name='https://downloads.example.org/eicar.com')
    app.wait(role='label', name='Downloaded from')
    e2e.screenshot('service-details.png')

    # Allowed by the person: its execute bits come back, and the bus hears of it.
    app.choose('More Actions', 'Always Allow This File')
    click_response(app, 'Always Allow')
    app.wait(role='label', name='Allowed by you')
    verdicts.wait(svc.uri_of(eicar), 'trusted')
    e2e.wait_for(lambda: os.stat(eicar).st_mode & 0o777 == 0o755, 20, 'the execute bits back')
    verdicts.close()


svc.run(test)
