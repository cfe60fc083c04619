# test_onboarding.py: a person without an API key is welcomed, a wrong key is refused, the right one starts the waiting check
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs inside run-e2e.sh's session: an unlocked gnome-keyring and the fake
# VirusTotal server, which accepts only "test-key".

import os
import subprocess
import time

from dogtail import rawinput

import cfe2e as e2e

WELCOME = 'Welcome to Check First'


def secret_lookup():
    result = subprocess.run(['secret-tool', 'lookup', 'service', 'virustotal'],
                            capture_output=True, text=True, check=False)
    return result.stdout


def secret_clear():
    subprocess.run(['secret-tool', 'clear', 'service', 'virustotal'], check=False)


def onboarding_shown(app):
    # The page marks itself hidden whenever its stack does not show it, so it
    # is in the accessibility tree only while people can see it.
    return bool(app.find_all(role='panel', name=WELCOME))


def type_key(app, key):
    entry = app.wait(role='text', name='API key')
    # The main window sits at the origin of a screen without a window
    # manager, so the entry's position is where a click lands.
    entry.click()
    time.sleep(0.3)
    rawinput.keyCombo('<Control>a')
    rawinput.typeText(key)
    save = e2e.wait_for(lambda: next((b for b in app.find_all(role='push button', contains='Save Key')
                                      if b.sensitive), None),
                        10, 'an enabled Save Key button')
    save.doActionNamed('click')


def test():
    # Flagged by the fake server, so the verdict shows without opening anything.
    path = e2e.make_script('waiting-for-a-key.sh', os.path.join(e2e.TEST_DIR, 'ran'),
                           extra=f'onboarding {time.time()}')
    e2e.register(path, 'malicious:5')

    secret_clear()
    assert secret_lookup() == '', 'the keyring should start empty'

    # A new person: no VT_API_KEY, nothing in the keyring.
    saved_key = os.environ.pop('VT_API_KEY', None)
    try:
        app = e2e.App()
    finally:
        if saved_key is not None:
            os.environ['VT_API_KEY'] = saved_key
    try:
        # 1. The welcome page, with the way to a key and what the free plan allows.
        e2e.wait_for(lambda: onboarding_shown(app), 30, 'the onboarding page')
        app.wait(role='label', contains='The free plan allows 4 lookups a minute')
        app.wait(role='link', contains='Get a Free API Key')
        e2e.screenshot('onboarding-welcome.png')

        # Named once, and by what they do (not "Save Key Save Key", not "GtkImage").
        app.wait(role='push button', name='Save Key')
        app.wait(role='push button', name='Show Text')
        assert not app.find_all(contains='Save Key Save Key')
        assert not app.find_all(name='GtkImage') and not app.find_all(name='GtkListBox')

        # The key field has the focus from the start: typing goes there, not to Open….
        save = app.wait(role='push button', name='Save Key')
        assert not save.sensitive, 'Save Key is enabled with no key'
        from dogtail import rawinput
        rawinput.absoluteMotion(300, 300)
        rawinput.typeText('typed-first')
        e2e.wait_for(lambda: app.wait(role='push button', name='Save Key').sensitive, 10,
                     'the typed key to enable Save Key')
        rawinput.absoluteMotion(1279, 799)

        # 2. A file given on the command line waits in the list.
        environment = e2e.app_environment()
        environment.pop('VT_API_KEY', None)
        result = subprocess.run([e2e.APP_BIN, path], env=environment, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result
        app.wait(role='label', name=os.path.basename(path))
        app.wait(role='label', name='Waiting for an API key')
        e2e.screenshot('onboarding-file-waiting.png')
        if not onboarding_shown(app):
            app.wait(role='push button', contains='Add Key').doActionNamed('click')
            e2e.wait_for(lambda: onboarding_shown(app), 10, 'the onboarding page again')

        # 3. A wrong key is refused in words and is not stored.
        type_key(app, 'wrong-key')
        error = app.wait(role='label', contains='did not accept')
        e2e.log('error shown:', error.name)
        assert secret_lookup() == '', 'a wrong key was stored'
        assert onboarding_shown(app), 'the onboarding page went away after a wrong key'
        e2e.screenshot('onboarding-wrong-key.png')

        # 4. The right key is stored, the page goes, the waiting file is checked.
        type_key(app, 'test-key')
        e2e.wait_for(lambda: secret_lookup() == 'test-key', 30, 'the key in the keyring')
        e2e.wait_for(lambda: not onboarding_shown(app), 30, 'the onboarding page to go away')
        e2e.wait_for(lambda: app.find_all(contains='Flagged by 5') or app.find_all(name='Blocked'),
                     60, 'the verdict of the waiting file')
        assert not app.find_all(role='label', name='Waiting for an API key'), \
            'the file still waits for a key'
        assert not os.path.exists(os.path.join(e2e.TEST_DIR, 'ran')), 'the flagged file ran'
        e2e.screenshot('onboarding-after-key.png')
    except Exception:
        e2e.screenshot('onboarding-failure.png')
        app.dump_log()
        raise
    finally:
        app.stop()
        secret_clear()


e2e.run(test)
