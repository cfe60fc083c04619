# test_processes_wait.py: on a free key the Running Processes page never stalls silently: it
# says what it waits for and when the next lookup goes, counting down, with its estimate,
# and each executable says its place in line
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import subprocess

import cfe2e as e2e

LIST_NAME = 'Executables of the running processes'
STATUS = re.compile(r'^\d+ unique executables, \d+ checked, about \d+ minutes? at 4 requests a minute, '
                    r'\d+ of 500 requests left today · Next lookup in (\d):(\d\d) \(free plan: 4 a minute\)$')
IN_LINE = re.compile(r'Waiting its turn · (\d+) ahead$')
NEXT = re.compile(r'Next in line · \d:\d\d$')


def unique_program(name):
    """A copy of sleep no one else has: a lookup the audit has to make."""
    path = os.path.join(e2e.TEST_DIR, name)
    shutil.copyfile('/bin/sleep', path)
    with open(path, 'ab') as f:
        f.write(os.urandom(16))
    os.chmod(path, 0o755)
    return path


def status(app):
    """The estimate line, while it says what the audit waits for."""
    for node in app.find_all(role='label', contains='unique executables'):
        match = STATUS.match(node.name)
        if match:
            return node.name, int(match.group(1)) * 60 + int(match.group(2))
    return None


def places(app):
    """The places in line the rows say, when the first in line says when it goes."""
    lists = app.find_all(role='list', name=LIST_NAME)
    found = []
    first = False
    for row in (lists[0].children if lists else []):
        match = IN_LINE.search(row.name or '')
        if match:
            found.append(int(match.group(1)))
        first = first or bool(NEXT.search(row.name or ''))
    return found if first else []


def test():
    # The free plan, as a new person has it: 4 lookups a minute. Nothing is known to the
    # fake server, so every executable costs a lookup.
    e2e.write_settings(api_plan="'public'", window_width='900', window_height='700')

    # Ten programs nobody else runs: more than the minute's four lookups.
    sleepers = [subprocess.Popen([unique_program(f'waiting-{i}'), '300']) for i in range(10)]
    app = None
    try:
        app = e2e.App('--show-processes')
        app.wait(role='label', name='Running Processes')
        # The minute's four go at once; then the audit waits, and says so with the estimate.
        first, left = e2e.wait_for(lambda: status(app), 60, 'the audit to say what it waits for')
        e2e.log('status:', first)
        # No answer comes for most of a minute, and still the page moves: the countdown goes down.
        e2e.wait_for(lambda: (lambda now: now and now[1] < left)(status(app)), 10,
                     'the countdown to move without an answer')

        # Each executable waiting says its place in line, the later ones further back.
        in_line = e2e.wait_for(lambda: places(app), 10, 'rows that say their place in line')
        e2e.log('places:', in_line[:12])
        assert len(set(in_line)) == len(in_line), f'two rows in one place: {in_line}'
        assert max(in_line) >= 2, in_line
        e2e.screenshot('processes-waiting.png')

        app.click('Cancel')
        app.wait(role='push button', name='Scan Again')
    except Exception:
        if app is not None:
            app.dump_log()
        raise
    finally:
        if app is not None:
            app.stop()
        for sleeper in sleepers:
            sleeper.kill()
            sleeper.wait()


e2e.run(test)
