# test_menu.py: the primary menu's actions: About, Keyboard Shortcuts, Running Processes
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import cfe2e as e2e


def test():
    e2e.write_settings()

    app = e2e.App()
    try:
        window = app.main_window()
        app.click('Main Menu')
        for item in ('Preferences', 'Running Processes', 'Keyboard Shortcuts', 'About Check First'):
            app.wait(role='menu item', contains=item)
        e2e.press_keys('Escape')

        e2e.activate_action('about')
        about = e2e.wait_for(lambda: next((w for w in app.windows() if w is not window
                                           and w.name != 'Check First'), None)
                             or next((w for w in app.windows() if 'About' in (w.name or '')), None),
                             20, 'the About window')
        e2e.log('about window:', about.name)
        app.wait(role='label', name='0.1.0')
        app.wait(role='label', name='The Check First authors')
        e2e.screenshot_screen('about.png')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()

    # The desktop file's "Check Running Processes" action.
    app = e2e.App('--show-processes')
    try:
        app.wait(role='label', name='Running Processes')
        app.click('Back')
        app.wait(role='label', name='Drop a File to Check It')

        e2e.activate_action('shortcuts')
        e2e.wait_for(lambda: next((w for w in app.windows() if 'Shortcuts' in (w.name or '')), None),
                     20, 'the Keyboard Shortcuts window')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
