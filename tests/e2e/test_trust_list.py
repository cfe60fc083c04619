# test_trust_list.py: Preferences → Trust List shows every allowed or blocked file with its
# date, and removes one (back on Undo)
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import subprocess

import cfe2e as e2e

ALLOWED = '1' * 64
BLOCKED = '2' * 64


def cli(*args):
    return subprocess.run([e2e.APP_BIN, *args], capture_output=True, text=True, timeout=60,
                          env=e2e.app_environment())


def preferences_window(app):
    return next((w for w in app.windows() if w.name == 'Preferences'), None)


def in_window(window, role, name=None, prefix=None):
    return [n for n in e2e.walk(window) if n.roleName == role
            and (name is None or n.name == name)
            and (prefix is None or (n.name or '').startswith(prefix))]


def test():
    e2e.write_settings()
    assert cli('--allow-hash', ALLOWED, '--note', 'setup-tool.sh').returncode == 0
    assert cli('--block-hash', BLOCKED, '--note', 'keygen.exe').returncode == 0

    app = e2e.App()
    try:
        app.main_window()
        e2e.activate_action('preferences')
        prefs = e2e.wait_for(lambda: preferences_window(app), 20, 'the Preferences window')
        page = e2e.wait_for(lambda: next((n for n in e2e.walk(prefs) if n.name == 'Trust List'
                                          and 'click' in n.actions), None),
                            10, 'the Trust List page switch')
        page.doActionNamed('click')

        e2e.wait_for(lambda: in_window(prefs, 'label', name='setup-tool.sh'), 10, 'the allowed file')
        e2e.wait_for(lambda: in_window(prefs, 'label', name='keygen.exe'), 10, 'the blocked file')
        since = e2e.wait_for(lambda: in_window(prefs, 'label', prefix='Always allowed since '), 10,
                             "the allowed file's date")[0]
        e2e.log('row:', since.name)
        assert 'SHA-256 111111111111…' in since.name, since.name
        assert not since.name.startswith('Always allowed since  '), 'a padded date'
        e2e.screenshot_screen('trust-list.png')

        remove = e2e.wait_for(lambda: next((n for n in in_window(prefs, 'push button')
                                            if n.name == 'Remove “keygen.exe” from the list'), None),
                              10, 'the remove button')
        remove.doActionNamed('click')
        e2e.wait_for(lambda: in_window(prefs, 'label', name='“keygen.exe” removed from the list'), 10,
                     'the toast')
        e2e.wait_for(lambda: not in_window(prefs, 'label', name='keygen.exe'), 10, 'the row to go')
        listed = cli('--list-trust').stdout
        assert BLOCKED not in listed and ALLOWED in listed, listed

        # Read once, by its label (libadwaita 1.2 alone says "Undo Undo").
        undo = e2e.wait_for(lambda: next(iter(in_window(prefs, 'push button', name='Undo')), None),
                            10, 'Undo')
        undo.doActionNamed('click')
        e2e.wait_for(lambda: in_window(prefs, 'label', name='keygen.exe'), 10, 'the row to come back')
        listed = cli('--list-trust').stdout
        assert BLOCKED in listed and 'keygen.exe' in listed, listed
    except Exception:
        e2e.screenshot_screen('trust-list-failure.png')
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
