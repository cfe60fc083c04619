# test_unknown_modes.py: an unknown file runs in normal mode and is blocked in stop-unknowns mode
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os

import cfe2e as e2e


def test():
    e2e.write_settings(mode="'normal'", upload_policy="'never'")

    first_marker = os.path.join(e2e.TEST_DIR, 'first-ran')
    first = e2e.make_script('never-seen.sh', first_marker)
    second_marker = os.path.join(e2e.TEST_DIR, 'second-ran')
    second = e2e.make_script('never-seen-either.sh', second_marker)

    app = e2e.App(first)
    try:
        e2e.wait_for(lambda: os.path.exists(first_marker), 30, 'the unknown script to run')
        app.wait(role='label', name='Unknown to VirusTotal')

        # Preferences write the setting; the running app applies it to the next check.
        e2e.gsettings_set('mode', 'stop-unknowns')
        e2e.wait_for(lambda: 'stop-unknowns' in open(e2e.settings_file()).read(), 10,
                     'the setting to be written')
        result = e2e.run_second_instance(second)
        assert result.returncode == 0, result

        line = e2e.wait_for(lambda: next((l for l in e2e.notifications()
                                          if 'Blocked: never-seen-either.sh' in l), None),
                            30, 'the notification')
        assert 'stop unknowns' in line, line
        # Nothing to open on VirusTotal for a file it has never seen.
        assert 'Open on VirusTotal' not in line and 'app.open-report' not in line, line
        app.wait(role='label', contains='stop unknowns mode')
        app.wait(role='push button', name='Move to Trash')
        assert 'Always Allow This File' in app.menu_items('More Actions')
        assert not os.path.exists(second_marker), 'the unknown script ran in stop-unknowns mode'
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
