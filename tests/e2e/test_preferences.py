# test_preferences.py: Preferences from the menu; stop unknowns mode then blocks a file VirusTotal has never seen
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs inside run-e2e.sh's session, with VT_API_KEY=test-key.

import os
import subprocess
import time

from dogtail import rawinput

import cfe2e as e2e

# Each choice row: the choice's short name, and under it what it does.
STOP_UNKNOWNS = 'Files VirusTotal has never seen are blocked too'


def secret_lookup():
    result = subprocess.run(['secret-tool', 'lookup', 'service', 'virustotal'],
                            capture_output=True, text=True, check=False)
    return result.stdout


def screenshot_screen(name):
    """The whole screen: the Preferences window sits over the main window."""
    os.makedirs(e2e.SCREENSHOT_DIR, exist_ok=True)
    path = os.path.join(e2e.SCREENSHOT_DIR, name)
    subprocess.run(['import', '-window', 'root', path], check=True)
    e2e.log('screenshot', path)


def preferences_window(app):
    return next((w for w in app.windows() if w.name == 'Preferences'), None)


def find_in(window, role, contains):
    return [n for n in e2e.walk(window)
            if n.roleName == role and contains in (n.name or '')]


def choose(window, row_title, key, chosen):
    """Opens a combo row's list and moves from the current item with @key.

    The list is a popover whose place on the screen AT-SPI cannot tell under
    X11, so it is driven with the keyboard, as many people do."""
    row = e2e.wait_for(lambda: next(iter(find_in(window, 'combo box', row_title)), None),
                       10, f'the {row_title!r} row')
    row.click()
    time.sleep(0.5)
    rawinput.pressKey(key)
    rawinput.pressKey('Return')
    e2e.wait_for(chosen, 10, f'the new choice in {row_title!r}')


def test():
    # The public plan, so the quota line shows its limits; the defaults otherwise.
    e2e.write_settings(api_plan="'public'", upload_policy="'ask'", mode="'normal'")
    marker = os.path.join(e2e.TEST_DIR, 'ran')
    path = e2e.make_script('never-seen.sh', marker, extra=f'preferences {time.time()}')

    app = e2e.App()
    try:
        main_window = app.main_window()

        # 1. Preferences, from the main menu.
        menu = e2e.wait_for(lambda: next(iter(find_in(main_window, 'push button', 'Main Menu')), None),
                            10, 'the main menu button')
        menu.click()
        # A popover's place on the screen is unknown to AT-SPI under X11: use its action.
        app.wait(role='menu item', contains='Preferences').doActionNamed('click')
        prefs = e2e.wait_for(lambda: preferences_window(app), 20, 'the Preferences window')

        # The groups a person looks for, the privacy note and the live quota line.
        for title in ('Protection', 'Uploads', 'VirusTotal Account'):
            e2e.wait_for(lambda: find_in(prefs, 'label', title), 10, f'the {title} group')
        assert find_in(prefs, 'label', 'cannot be deleted'), 'no privacy note on uploads'
        assert find_in(prefs, 'label', 'The VT_API_KEY environment variable is set'), \
            'the window does not say that VT_API_KEY overrides the keyring'
        usage = e2e.wait_for(lambda: next(iter(find_in(prefs, 'label', 'Used this minute')), None),
                             10, 'the quota line')
        e2e.log('quota line:', usage.name)
        assert ' of 4' in usage.name and ' of 500' in usage.name, usage.name
        # The premium limits are not offered, greyed out or otherwise, on the public plan.
        assert not find_in(prefs, 'label', 'Requests a minute'), 'premium limits on the public plan'

        # What VirusTotal allows the key: not read yet, until asked (one request), and
        # then the budget follows it, though the plan is the public one.
        assert find_in(prefs, 'label', 'Not read yet'), 'the allowance row'
        e2e.fake_vt('config', account='premium')
        app.click('Read Again')
        allowance = e2e.wait_for(lambda: next(iter(find_in(prefs, 'label', 'requests an hour')), None),
                                 30, 'the allowance VirusTotal reported')
        e2e.log('allowance:', allowance.name)
        assert allowance.name.startswith('30\u00a0000 requests an hour, 200\u00a0000 a day'), allowance.name
        e2e.wait_for(lambda: next(iter(find_in(prefs, 'label', 'of 500 · today')), None), 10,
                     'the budget to follow the allowance')
        e2e.fake_vt('config', account='as-served')

        # A wrong key typed here is checked with VirusTotal and not saved.
        keyring_before = secret_lookup()
        entry = e2e.wait_for(lambda: next(iter(find_in(prefs, 'text', 'New API key')), None),
                             10, 'the New API key row')
        entry.click()
        time.sleep(0.3)
        rawinput.typeText('not-the-key')
        rawinput.pressKey('Return')
        e2e.wait_for(lambda: find_in(prefs, 'label', 'The key was not saved'), 30,
                     'the wrong key to be refused')
        assert secret_lookup() == keyring_before, 'a wrong key reached the keyring'

        # Every choice row shows its value one way: a short name, what it does under the title.
        for title, value, description in (
                ('Mode', 'Normal', 'Files no engine flags open, and so do files VirusTotal has never seen'),
                ('Upload files VirusTotal does not know', 'Ask each time',
                 'You are asked before a file leaves this computer'),
                ('Plan', 'Public', '4 lookups a minute, 500 a day, 15 500 a month')):
            row = next(iter(find_in(prefs, 'combo box', title)), None)
            assert row is not None, title
            shown = [n.name for n in e2e.walk(row) if n.roleName == 'label']
            assert value in shown and description in shown, (title, shown)

        # 2. Stop unknowns, and never upload (so nothing asks first).
        choose(prefs, 'Mode', 'Down', lambda: find_in(prefs, 'label', STOP_UNKNOWNS) and
               find_in(prefs, 'label', 'Stop unknowns'))
        choose(prefs, 'Upload files VirusTotal does not know', 'Up',
               lambda: find_in(prefs, 'label', 'Never') and not find_in(prefs, 'label', 'Ask each time'))
        e2e.wait_for(lambda: "'stop-unknowns'" in open(e2e.settings_file()).read(), 10,
                     'the mode to be saved')
        screenshot_screen('preferences.png')

        rawinput.keyCombo('<Control>w')
        e2e.wait_for(lambda: preferences_window(app) is None, 10, 'the Preferences window to close')

        # 3. A file VirusTotal has never seen is blocked, and nothing is uploaded.
        before = e2e.fake_stats()
        result = e2e.run_second_instance(path)
        assert result.returncode == 0, result
        app.wait(60, role='label', contains='stop unknowns mode')
        after = e2e.fake_stats()
        assert after['lookups'] > before['lookups'], (before, after)
        assert after['uploads'] == before['uploads'], 'the file was uploaded'
        assert not os.path.exists(marker), 'the unknown script ran in stop-unknowns mode'
        e2e.screenshot('preferences-unknown-blocked.png')
    except Exception:
        screenshot_screen('preferences-failure.png')
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
