# test_preferences_downloads.py: Preferences → New Downloads turns the service's watching on and off
# and shows the watched folders
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess

import cfe2e as e2e
import cfservice as svc


def setting(key):
    return subprocess.run(['gsettings', 'get', e2e.APP_ID, key], capture_output=True, text=True,
                          check=True).stdout.strip()


def preferences(app):
    return next((w for w in app.windows() if w.name == 'Preferences'), None)


def in_window(window, role=None, name=None, contains=None):
    return [n for n in e2e.walk(window)
            if (role is None or n.roleName == role) and (name is None or n.name == name)
            and (contains is None or contains in (n.name or ''))]


def test():
    e2e.write_settings()
    folder = svc.downloads()
    svc.activation_environment()
    autostart = os.path.join(os.environ['XDG_CONFIG_HOME'], 'autostart', e2e.APP_ID + '.desktop')

    # The window started first does the service's work: with a key, it watches and keeps
    # the autostart entry.
    app = e2e.App()
    try:
        e2e.wait_for(lambda: os.path.exists(autostart), 20, 'the autostart entry')
        with open(autostart) as f:
            entry = f.read()
        assert '--service' in entry and 'NoDisplay=true' in entry, entry

        e2e.activate_action('preferences')
        prefs = e2e.wait_for(lambda: preferences(app), 20, 'the Preferences window')
        e2e.wait_for(lambda: in_window(prefs, 'label', name='New Downloads'), 10, 'the group')
        e2e.wait_for(lambda: in_window(prefs, 'label', name='Your Downloads folder'), 10,
                     'the Downloads folder row')
        e2e.screenshot_screen('preferences-downloads.png')

        # Off: the setting, and the autostart entry goes.
        # Read once, by the row's title.
        switch = e2e.wait_for(lambda: next(iter(in_window(prefs, 'check box', name='Check new downloads')),
                                           None), 10, 'the switch')
        switch.doActionNamed('toggle')
        e2e.wait_for(lambda: setting('check-new-downloads') == 'false', 10, 'the setting off')
        e2e.wait_for(lambda: not os.path.exists(autostart), 10, 'the autostart entry to go')

        # Folders of the person's own: each listed, each with a way to stop watching it.
        other = os.path.join(e2e.TEST_DIR, 'Incoming')
        os.makedirs(other, exist_ok=True)
        e2e.gsettings_set('watched-folders', f"['{folder}', '{other}']")
        stop = e2e.wait_for(lambda: next(iter(in_window(prefs, 'push button', name='Stop watching Incoming')),
                                         None), 10, 'the Incoming row')
        stop.doActionNamed('click')
        e2e.wait_for(lambda: setting('watched-folders') == f"['{folder}']", 10, 'Incoming to go')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
