# test_lifecycle.py: one service, however often started; killed, it comes back and repeats nothing
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import signal
import subprocess
import time

import cfe2e as e2e
import cfservice as svc


def service_processes():
    """Check First processes running as the service for this test: other sessions (the file
    manager's tests, beside these) may run the same binary."""
    found = []
    ours = f'XDG_DATA_HOME={os.environ["XDG_DATA_HOME"]}'.encode()
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                args = f.read().split(b'\0')
            with open(f'/proc/{pid}/environ', 'rb') as f:
                environment = f.read().split(b'\0')
        except OSError:
            continue
        if args and args[0] == e2e.APP_BIN.encode() and b'--service' in args and ours in environment:
            found.append(int(pid))
    return found


def test():
    e2e.fake_vt('reset')
    e2e.write_settings()
    svc.downloads()
    svc.activation_environment()
    first = svc.start()

    # Started again (a login while a file manager already called it): one stays.
    second = subprocess.run([e2e.APP_BIN, '--service'], capture_output=True, text=True, timeout=60,
                            env=e2e.app_environment())
    assert second.returncode == 0, second
    assert 'already runs' in second.stderr, second
    assert svc.owner_pid() == first
    assert service_processes() == [first], service_processes()

    # Without a display it says what to use instead.
    env = e2e.app_environment()
    env.pop('DISPLAY', None)
    headless = subprocess.run([e2e.APP_BIN, '--service'], capture_output=True, text=True, timeout=60, env=env)
    assert headless.returncode == 64 and '--watch' in headless.stderr, headless

    # Killed in the middle of a job: the next call starts it again through the
    # bus, and nothing VirusTotal already answered is asked again.
    files = [svc.write_file(os.path.join(e2e.TEST_DIR, f'batch-{i}.txt'), f'batch {i}\n')
             for i in range(10)]
    verdicts = svc.Verdicts()
    e2e.fake_vt('fault', spec='always:slow:3000')
    status, out, err = svc.gdbus('CheckFiles', '[' + ', '.join(f"'{svc.uri_of(p)}'" for p in files) + ']')
    assert status == 0, err
    svc.wait_for(lambda: sum(len(verdicts.for_uri(svc.uri_of(p))) for p in files) >= 4, 60,
                 'the first answers')
    # The answers are written behind the main loop: a moment for the writer.
    time.sleep(1)
    answered = [p for p in files if verdicts.for_uri(svc.uri_of(p))]
    os.kill(first, signal.SIGKILL)
    e2e.wait_for(lambda: not e2e.bus_has_name(svc.NAME), 20, 'the killed service to leave the bus')
    asked_before = e2e.fake_stats()['lookups']
    e2e.fake_vt('clear-faults')

    status, out, err = svc.gdbus('CheckFiles', '[' + ', '.join(f"'{svc.uri_of(p)}'" for p in files) + ']')
    assert status == 0, err
    restarted = svc.owner_pid()
    assert restarted not in (None, first), restarted
    job = out.split("'")[1]
    svc.wait_for(lambda: svc.call('Get', '(ss)', svc.JOB_IFACE, 'Finished', path=job,
                                  interface='org.freedesktop.DBus.Properties')[0], 60, 'the job again')
    again = svc.call('GetVerdicts', None, path=job, interface=svc.JOB_IFACE)[0]
    assert len(again) == 10 and all(v['status'] == 'unknown' for v in again), again
    asked_after = e2e.fake_stats()['lookups'] - asked_before
    assert asked_after == len(files) - len(answered), (asked_after, len(answered), e2e.fake_stats())
    for verdict in again:
        if any(svc.uri_of(p) == verdict['uri'] for p in answered):
            assert verdict['source'] == 'cache', verdict
    verdicts.close()


svc.run(test)
