# test_downloads.py: new downloads checked as they land, by the service alone, with no window
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import hashlib
import os
import time

import cfe2e as e2e
import cfservice as svc

# Longer than a new file needs to settle: whatever would happen has happened.
QUIET = 1.5


def test():
    e2e.fake_vt('reset')
    e2e.write_settings()
    folder = svc.downloads()
    svc.activation_environment()
    verdicts = svc.Verdicts()
    svc.start()

    # A browser's partial file is not checked; the renamed, whole file is, once.
    partial = os.path.join(folder, 'tool.sh.crdownload')
    tool = os.path.join(folder, 'tool.sh')
    svc.write_file(partial, '#!/bin/sh\necho tool\n', 0o755)
    time.sleep(QUIET)
    assert e2e.fake_stats()['lookups'] == 0, e2e.fake_stats()
    os.rename(partial, tool)
    verdict = verdicts.wait(svc.uri_of(tool), 'unknown')
    assert verdict['decision'] == 'allow', verdict
    time.sleep(QUIET)
    assert e2e.fake_stats()['lookups'] == 1, e2e.fake_stats()
    # An unknown file with uploads "never", no engine to speak of: nothing noisy.
    assert not [n for n in e2e.notifications() if 'tool.sh' in n], e2e.notifications()

    # EICAR, executable, the way Firefox saves it: flagged, announced with both
    # actions, and no longer executable.
    eicar = os.path.join(folder, 'eicar.com')
    e2e.fake_vt('register', sha256=hashlib.sha256(e2e.EICAR.encode()).hexdigest(), verdict='eicar')
    svc.write_file(eicar, '')
    svc.write_file(eicar + '.part', e2e.EICAR, 0o755)
    os.rename(eicar + '.part', eicar)
    verdict = verdicts.wait(svc.uri_of(eicar), 'detected')
    assert verdict['decision'] == 'block' and verdict['malicious'] == 62, verdict
    record = svc.wait_notification('Blocked download: eicar.com')
    assert '"Show Details"' in record and '"Move to Trash"' in record, record
    assert 'took away its permission to run' in record, record
    assert os.stat(eicar).st_mode & 0o777 == 0o644, oct(os.stat(eicar).st_mode)
    assert e2e.fake_stats()['lookups'] == 2, e2e.fake_stats()

    # Move to Trash, from the notification: the file is in the desktop's Trash.
    svc.click_notification_button('Blocked download: eicar.com', 'Move to Trash')
    e2e.wait_for(lambda: not os.path.exists(eicar), 20, 'eicar.com to leave Downloads')
    trashed = os.path.join(os.environ['XDG_DATA_HOME'], 'Trash', 'files', 'eicar.com')
    assert os.path.exists(trashed), os.listdir(os.path.dirname(trashed))
    svc.wait_notification('“eicar.com” was moved to the Trash')
    # Undo puts it back, still without its execute bits.
    svc.click_notification_button('“eicar.com” was moved to the Trash', 'Undo')
    e2e.wait_for(lambda: os.path.exists(eicar), 20, 'eicar.com back in Downloads')
    assert os.stat(eicar).st_mode & 0o777 == 0o644

    # Where a download came from, as the browser recorded it; a file that says
    # nothing has no origin.
    with_origin = os.path.join(folder, 'setup.sh')
    svc.write_file(with_origin + '.part', '#!/bin/sh\necho setup\n')
    os.setxattr(with_origin + '.part', 'user.xdg.origin.url', b'https://downloads.example.org/setup.sh')
    os.setxattr(with_origin + '.part', 'user.xdg.referrer.url', b'https://example.org/get')
    os.rename(with_origin + '.part', with_origin)
    verdict = verdicts.wait(svc.uri_of(with_origin), 'unknown')
    assert verdict['origin'] == 'https://downloads.example.org/setup.sh', verdict
    assert verdict['referrer'] == 'https://example.org/get', verdict
    assert 'origin' not in verdicts.wait(svc.uri_of(tool), 'unknown')

    # A clean download says nothing, unless the person asked for that.
    clean = os.path.join(folder, 'notes.txt')
    e2e.fake_vt('register', sha256=hashlib.sha256(b'clean notes\n').hexdigest(), verdict='clean')
    svc.write_file(clean, 'clean notes\n')
    verdicts.wait(svc.uri_of(clean), 'clean')
    time.sleep(QUIET)
    assert not [n for n in e2e.notifications() if 'notes.txt' in n], e2e.notifications()
    e2e.gsettings_set('notify-clean-downloads', 'true')
    clean2 = os.path.join(folder, 'more-notes.txt')
    e2e.fake_vt('register', sha256=hashlib.sha256(b'more clean notes\n').hexdigest(), verdict='clean')
    svc.write_file(clean2, 'more clean notes\n')
    svc.wait_notification('Download checked: more-notes.txt')

    # Unknown, with uploads "ask": the notification offers the upload, and only its
    # button sends the file.
    e2e.gsettings_set('upload-policy', "'ask'")
    asked = os.path.join(folder, 'fresh-build.bin')
    svc.write_file(asked + '.crdownload', 'a build nobody has seen\n')
    os.rename(asked + '.crdownload', asked)
    record = svc.wait_notification('Unknown to VirusTotal: fresh-build.bin')
    assert '"Upload for Analysis"' in record and '"Show Details"' in record, record
    assert e2e.fake_stats()['uploads'] == 0, e2e.fake_stats()
    svc.click_notification_button('Unknown to VirusTotal: fresh-build.bin', 'Upload for Analysis')
    e2e.wait_for(lambda: e2e.fake_stats()['uploads'] == 1, 30, 'the upload the person asked for')
    svc.wait_notification('Checked: fresh-build.bin', 60)

    # Turned off: a new file is left alone.
    e2e.gsettings_set('check-new-downloads', 'false')
    time.sleep(QUIET)
    lookups = e2e.fake_stats()['lookups']
    svc.write_file(os.path.join(folder, 'later.txt'), 'later\n')
    time.sleep(QUIET * 2)
    assert e2e.fake_stats()['lookups'] == lookups, e2e.fake_stats()
    verdicts.close()


svc.run(test)
