# test_dbus_api.py: io.github.checkfirst.CheckFirst1 as a script calls it, good arguments and bad
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os

from gi.repository import GLib

import cfe2e as e2e
import cfservice as svc


def refused(method, *args):
    """`gdbus call` that must fail with InvalidArgs; returns the message."""
    status, out, err = svc.gdbus(method, *args)
    assert status != 0, (method, args, out)
    assert 'InvalidArgs' in err, err
    return err


def job_verdicts(path):
    svc.wait_for(lambda: svc.call('Get', '(ss)', svc.JOB_IFACE, 'Finished', path=path,
                                  interface='org.freedesktop.DBus.Properties')[0], 60, 'the job to finish')
    return svc.call('GetVerdicts', None, path=path, interface=svc.JOB_IFACE)[0]


def test():
    e2e.fake_vt('reset')
    e2e.write_settings(upload_policy="'always'")
    svc.downloads()
    svc.activation_environment()
    verdicts = svc.Verdicts()
    svc.start()

    elsewhere = os.path.join(e2e.TEST_DIR, 'elsewhere')
    os.makedirs(os.path.join(elsewhere, 'deeper'), exist_ok=True)
    eicar = svc.write_file(os.path.join(elsewhere, 'eicar.com'), e2e.EICAR)
    clean = svc.write_file(os.path.join(elsewhere, 'clean.txt'), 'clean\n')
    unknown = svc.write_file(os.path.join(elsewhere, 'unknown.bin'), 'never seen\n')
    svc.write_file(os.path.join(elsewhere, 'deeper', 'not-this.txt'), 'deeper\n')
    e2e.register(eicar, 'eicar')
    e2e.register(clean, 'clean')

    # Asking about a file never checked costs nothing and says so.
    status, out, err = svc.gdbus('GetVerdict', svc.uri_of(clean))
    assert status == 0, err
    assert "'status': <'not-checked'>" in out, out
    assert e2e.fake_stats()['requests'] == 0, e2e.fake_stats()

    # Bad arguments: a clear error each, and nothing done.
    assert 'Only file:// URIs' in refused('GetVerdict', 'http://example.org/setup.exe')
    assert 'another computer' in refused('GetVerdict', 'file://example.org/etc/hosts')
    assert 'not the URI of a file' in refused('GetVerdict', 'file:relative/path')
    assert 'is not a URI' in refused('GetVerdict', 'not a uri at all')
    assert 'is not a URI' in refused('GetVerdict', '')
    assert 'No files were given' in refused('CheckFiles', '[]')
    assert 'Only file:// URIs' in refused('CheckFiles', f"['{svc.uri_of(clean)}', 'smb://server/share/x.exe']")
    assert 'Ask for 1 to 1000' in refused('ListRecent', '0')
    assert 'Ask for 1 to 1000' in refused('ListRecent', '5000')
    # The wrong types, sent past gdbus's own checks.
    try:
        svc.call('GetVerdict', '(u)', 7)
        raise AssertionError('GetVerdict took a number')
    except GLib.Error as error:
        assert 'InvalidArgs' in error.message, error.message
    # A file that is not there.
    status, out, err = svc.gdbus('GetVerdict', svc.uri_of(os.path.join(elsewhere, 'gone.txt')))
    assert status != 0 and 'FileNotFound' in err, (out, err)
    assert e2e.fake_stats()['requests'] == 0, e2e.fake_stats()

    # A job for files outside the watched folders, and a folder (its own files only).
    status, out, err = svc.gdbus('CheckFiles', f"['{svc.uri_of(eicar)}', '{svc.uri_of(clean)}']")
    assert status == 0, err
    job = out.split("'")[1]
    assert job.startswith('/io/github/checkfirst/CheckFirst/jobs/'), out
    got = {v['uri']: v for v in job_verdicts(job)}
    assert got[svc.uri_of(eicar)]['status'] == 'detected', got
    assert got[svc.uri_of(clean)]['status'] == 'clean', got
    assert e2e.fake_stats()['lookups'] == 2, e2e.fake_stats()
    record = svc.wait_notification('Blocked: eicar.com')
    assert '"Move to Trash"' in record and '"Show Details"' in record, record
    assert verdicts.wait(svc.uri_of(eicar), 'detected')

    # Now known: answered from the cache, with no request.
    status, out, err = svc.gdbus('GetVerdict', svc.uri_of(eicar))
    assert "'status': <'detected'>" in out and "'source': <'cache'>" in out, out
    assert e2e.fake_stats()['lookups'] == 2, e2e.fake_stats()

    status, out, err = svc.gdbus('CheckFiles', f"['{svc.uri_of(elsewhere)}']")
    assert status == 0, err
    folder_verdicts = job_verdicts(out.split("'")[1])
    names = sorted(os.path.basename(v['path']) for v in folder_verdicts)
    assert names == ['clean.txt', 'eicar.com', 'unknown.bin'], names

    # Another program's request never uploads, whatever the setting: the person is
    # asked in a notification for that file, and only their click uploads it.
    assert e2e.fake_stats()['uploads'] == 0, e2e.fake_stats()
    record = svc.wait_notification('Unknown to VirusTotal: unknown.bin')
    assert '"Upload for Analysis"' in record, record
    svc.click_notification_button('Unknown to VirusTotal: unknown.bin', 'Upload for Analysis')
    e2e.wait_for(lambda: e2e.fake_stats()['uploads'] == 1, 30, 'the upload the person asked for')
    svc.wait_notification('Checked: unknown.bin', 60)
    assert e2e.fake_stats()['uploads'] == 1

    # The history, newest first.
    recent = svc.call('ListRecent', '(u)', 3)[0]
    assert 1 <= len(recent) <= 3, recent
    assert all('status' in v and 'uri' in v for v in recent), recent

    # Cancel: what is still waiting ends as cancelled.
    many = [svc.write_file(os.path.join(elsewhere, f'slow-{i}.txt'), f'slow {i}\n') for i in range(8)]
    e2e.fake_vt('fault', spec='always:slow:2000')
    status, out, err = svc.gdbus('CheckFiles', '[' + ', '.join(f"'{svc.uri_of(p)}'" for p in many) + ']')
    job = out.split("'")[1]
    svc.call('Cancel', None, path=job, interface=svc.JOB_IFACE)
    cancelled = job_verdicts(job)
    e2e.fake_vt('clear-faults')
    assert len(cancelled) == 8, cancelled
    assert all(v['status'] in ('cancelled', 'unknown') for v in cancelled), cancelled
    assert any(v['status'] == 'cancelled' for v in cancelled), cancelled
    verdicts.close()


svc.run(test)
