# test_processes.py: the Running Processes page: a flagged program comes first, with its PID;
# a system program no longer what its package installed is flagged too, and an unmodified one
# costs no request
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import csv
import hashlib
import os
import shutil
import subprocess
import time

from dogtail import rawinput

import cfe2e as e2e

LIST_NAME = 'Executables of the running processes'


def make_unique_sleep(name='evil-sleep'):
    """A copy of sleep with a few random bytes at the end: a hash no one else has."""
    path = os.path.join(e2e.TEST_DIR, name)
    shutil.copyfile('/bin/sleep', path)
    with open(path, 'ab') as f:
        f.write(os.urandom(16))
    os.chmod(path, 0o755)
    return path


def rows(app):
    """The list's rows as AT-SPI shows them, in order (rows filtered out are hidden)."""
    lists = app.find_all(role='list', name=LIST_NAME)
    assert lists, 'no list of executables'
    return [row for row in lists[0].children if row.roleName == 'list item']


def texts(node):
    return [n.name for n in e2e.walk(node) if n.roleName == 'label' and n.name]


def pointer_away():
    """No hover highlight or tooltip in the next screenshot."""
    rawinput.absoluteMotion(1279, 799)


def click_node(node):
    # GTK 4.8 gives positions in the window; with no window manager the window
    # sits at the screen's origin, so they are screen positions too.
    x, y = node.position
    width, height = node.size
    rawinput.click(x + width // 2, y + height // 2)


def status_of(row):
    """The status is the text after the path in the row's accessible name."""
    return row.name.split(': ', 1)[-1]


def md5_of(path):
    with open(path, 'rb') as f:
        return hashlib.md5(f.read()).hexdigest()


def make_dpkg_database(packages):
    """A dpkg database of its own: @packages maps (name, version) to {path: md5}."""
    admindir = os.path.join(e2e.TEST_DIR, 'dpkg')
    os.makedirs(os.path.join(admindir, 'info'))
    with open(os.path.join(admindir, 'status'), 'w') as status:
        for (name, version), files in packages.items():
            status.write(f'Package: {name}\nStatus: install ok installed\n'
                         f'Architecture: amd64\nVersion: {version}\n\n')
            with open(os.path.join(admindir, 'info', name + '.list'), 'w') as listed:
                listed.write('/.\n' + ''.join(path + '\n' for path in files))
            with open(os.path.join(admindir, 'info', name + '.md5sums'), 'w') as sums:
                sums.write(''.join(f'{md5}  {path[1:]}\n' for path, md5 in files.items()))
    return admindir


def test():
    # Premium with no per-minute limit: the audit of a few dozen executables
    # takes seconds, not the public plan's minutes.
    e2e.write_settings(premium_per_minute='0', window_width='900', window_height='700')

    binary = make_unique_sleep()
    sha256 = e2e.sha256_of(binary)
    e2e.fake_vt('register', sha256=sha256, verdict='malicious:5')
    # The virtual screen's server is as its package installed it: no request, and it
    # sorts below the unknowns.  The system's sleep is not what its package recorded:
    # flagged, whatever VirusTotal says of it.
    xvfb = os.path.realpath(shutil.which('Xvfb'))
    system_sleep = os.path.realpath(shutil.which('sleep'))
    admindir = make_dpkg_database({
        ('xvfb', '2:21.1.7-3'): {xvfb: md5_of(xvfb)},
        ('coreutils', '9.1-1'): {system_sleep: '0123456789abcdef0123456789abcdef'},
    })
    e2e.register(system_sleep, 'clean')

    # A name that would garble the list if shown raw: a newline, and a
    # right-to-left override that makes "odd<RLO>gpj.sh" read "oddhs.jpg".
    odd = make_unique_sleep('odd\u202egpj.sh\nx')

    sleepers = []
    app = None
    try:
        sleeper = subprocess.Popen([binary, '300'])
        sleepers.append(sleeper)
        sleepers.append(subprocess.Popen([odd, '300']))
        sleepers.append(subprocess.Popen([system_sleep, '300']))
        e2e.log('sleeper', sleeper.pid, binary, sha256)

        lookups_before = e2e.fake_stats()['lookups']
        app = e2e.App('--show-processes', env=dict(os.environ, CHECK_FIRST_DPKG_ADMINDIR=admindir))
        app.wait(role='label', name='Running Processes')

        flagged = app.wait(timeout=120, role='label', prefix='Flagged by 5 of')
        e2e.log('verdict:', flagged.name)

        # Let the audit end, so that the order seen is the final one.
        app.wait(timeout=120, role='push button', name='Scan Again')
        app.wait(role='label', contains='unique executable')

        listed = rows(app)
        e2e.log('rows:', len(listed))
        assert len(listed) > 2, f'the list shows {len(listed)} rows'
        first = listed[0]
        first_texts = texts(first)
        e2e.log('first row:', first.name, first_texts)
        assert binary in first.name, f'the first row is not the flagged copy: {first.name}'
        assert status_of(first).startswith('Flagged by 5 of'), first.name
        assert any(t.startswith('Flagged by 5 of') for t in first_texts), first_texts
        assert any(f'({sleeper.pid})' in t and 'evil-sleep' in t for t in first_texts), \
            f'the row does not show PID {sleeper.pid}: {first_texts}'
        if binary.startswith(('/tmp/', '/var/tmp/', os.path.expanduser('~/'))):
            assert 'In a user-writable folder' in first_texts, first_texts

        # Control and direction characters show as escapes, not as themselves.
        odd_shown = os.path.join(e2e.TEST_DIR, 'odd\\u202egpj.sh\\x0ax')
        odd_rows = [row for row in listed if row.name.startswith(odd_shown + ': ')]
        assert odd_rows, f'no row for {odd_shown!r}: {[row.name for row in listed]}'
        assert odd_shown in texts(odd_rows[0]), texts(odd_rows[0])

        # Flagged (the changed system program with them), then unknown, then clean.
        order = [status_of(row) for row in listed]
        e2e.log('statuses:', order)
        changed = [i for i, row in enumerate(listed) if row.name.startswith(system_sleep + ':')]
        assert changed == [1], order
        assert status_of(listed[1]).startswith('Modified packaged file: not what Debian package '
                                               'coreutils 9.1-1 installed · No engine flagged it'), order
        packaged = [i for i, row in enumerate(listed) if row.name.startswith(xvfb + ':')]
        assert packaged and status_of(listed[packaged[0]]) == \
            'From Debian package xvfb 2:21.1.7-3, unmodified', order
        unknown = [i for i, status in enumerate(order) if status == 'Unknown to VirusTotal']
        assert unknown and max(unknown) < packaged[0], order
        # Said on the desktop at once.
        e2e.wait_for(lambda: any('Modified packaged file: sleep' in line for line in e2e.notifications()),
                     20, 'a notification of the changed program')
        # The unmodified one cost no request.
        lookups = e2e.fake_stats()['lookups'] - lookups_before
        assert lookups <= len(listed) - len(packaged), (lookups, len(listed), len(packaged))

        pointer_away()
        e2e.screenshot('processes.png')

        # A click on the row offers its report.
        click_node(first)
        app.wait(role='label', name=sha256)
        app.wait(role='push button', name='Open on VirusTotal')
        # Looked at by eye: the hash breaks without a hyphen (Pango draws the hyphen; it is
        # not in the text AT-SPI reads).
        pointer_away()
        e2e.screenshot('process-popover.png')
        app.click('Copy SHA-256')
        app.wait(role='label', name='SHA-256 copied')
        pointer_away()

        # Flagged only: the copy and the changed program, and nothing else.
        app.click('Flagged Only')
        e2e.wait_for(lambda: len(rows(app)) == 2, 10, 'only the flagged rows to show')
        assert binary in rows(app)[0].name
        assert system_sleep in rows(app)[1].name
        app.click('Flagged Only')
        e2e.wait_for(lambda: len(rows(app)) == len(listed), 10, 'all rows to come back')

        # Export as CSV, through the file chooser.
        target = os.path.join(e2e.TEST_DIR, 'audit.csv')
        app.click('Export')
        app.click('Export as CSV…', role='menu item')
        # GTK 4.8 shows the chooser dialog as a "filler", not a "dialog".
        e2e.wait_for(lambda: next((w for w in app.node.children if w.name == 'Export as CSV'), None),
                     20, 'the file chooser')
        # Save mode starts in the name entry, with the suggested name selected.
        e2e.wait_for(lambda: any(n.focused and n.roleName in ('text', 'entry')
                                 for n in app.find_all()), 10, 'the name entry to take the focus')
        rawinput.keyCombo('<Control>a')
        rawinput.typeText(target)
        rawinput.pressKey('Return')
        # Hands off AT-SPI while the dialog goes: GTK 4.8 crashes when asked for a
        # window by an index counted while the dialog still showed.  The file is
        # written after the dialog closed.
        e2e.wait_for(lambda: os.path.exists(target), 20, 'the exported file')
        time.sleep(1)
        app.wait(role='label', name='Exported to “audit.csv”')

        with open(target, newline='') as f:
            table = list(csv.DictReader(f))
        e2e.log('exported rows:', len(table))
        assert len(table) == len(listed), (len(table), len(listed))
        row = table[0]
        assert row['path'] == binary, row
        assert row['sha256'] == sha256, row
        assert row['status'] == 'detected', row
        assert row['malicious'] == '5', row
        assert row['user_writable'] == 'true' and row['deleted'] == 'false', row
        assert str(sleeper.pid) in row['pids'].split(' '), row
        assert row['names'] == 'evil-sleep', row
        changed_row = next(r for r in table if r['path'] == system_sleep)
        assert changed_row['packaged'] == 'modified' and changed_row['package'] == 'coreutils', \
            changed_row
        packaged_row = next(r for r in table if r['path'] == xvfb)
        assert packaged_row['source'] == 'package' and packaged_row['packaged'] == 'unmodified', \
            packaged_row
    except Exception:
        if app is not None:
            app.dump_log()
            e2e.log('app exit status:', app.process.poll())
            e2e.screenshot_screen('processes-failure.png')
        raise
    finally:
        if app is not None:
            app.stop()
        for process in sleepers:
            process.kill()
            process.wait()


e2e.run(test)
