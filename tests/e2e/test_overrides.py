# test_overrides.py: the person overrides a block: "Always Allow This File" (asked first when
# engines flagged it, with Undo) and "Run Anyway…", both from the menu beside the safe actions
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os

import cfe2e as e2e


def click_response(app, label):
    """Clicks a question's answer, read once by its label ("Run Anyway", never
    "_Run Anyway Run Anyway" as libadwaita 1.2 leaves it)."""
    button = e2e.wait_for(lambda: next(iter(app.find_all(role='push button', name=label)), None),
                          10, f'the {label!r} response')
    assert not app.find_all(contains=f'{label} {label}'), f'{label!r} is read twice'
    button.doActionNamed('click')


def test():
    e2e.write_settings(mode="'stop-unknowns'", upload_policy="'never'")

    # Unknown in stop-unknowns mode: blocked, until the person trusts it.
    trusted_marker = os.path.join(e2e.TEST_DIR, 'trusted-ran')
    trusted = e2e.make_script('home-made.sh', trusted_marker)

    app = e2e.App(trusted)
    try:
        # No engine flagged it: allowed at once, with Undo in the toast.
        app.choose('More Actions', 'Always Allow This File')
        app.wait(role='label', name='Allowed by you')
        app.wait(role='label', name='Added to your allowed files')
        app.click_toast('Undo')
        app.wait(role='label', name='Your choice was undone')
        app.wait(role='label', name='Unknown to VirusTotal')
        app.wait(role='push button', name='Move to Trash')

        app.choose('More Actions', 'Always Allow This File')
        app.wait(role='label', name='Allowed by you')
        assert not os.path.exists(trusted_marker), 'ran before the person asked'
        app.click('Open')
        e2e.wait_for(lambda: os.path.exists(trusted_marker), 30, 'the trusted script to run')
        shown = app.menu_items('More Actions')
        assert 'Always Block This File' in shown and 'Forget My Choice' in shown, shown
        e2e.press_keys('Escape', move=False)

        # Forgotten: back to what the engines (here: none) and the mode say.
        app.choose('More Actions', 'Forget My Choice')
        app.wait(role='label', name='Your choice for this file is forgotten')
        app.wait(role='label', name='Unknown to VirusTotal')

        # Flagged: "Always Allow" asks first; Cancel changes nothing.
        flagged_marker = os.path.join(e2e.TEST_DIR, 'flagged-ran')
        flagged = e2e.make_script('keygen.sh', flagged_marker, extra='flagged')
        e2e.register(flagged, 'malicious:5')
        result = e2e.run_second_instance(flagged)
        assert result.returncode == 0, result
        # Handed over while another file's details are open: a toast says it came in.
        app.wait(role='label', name='Checking “keygen.sh”')
        app.wait(role='label', prefix='Flagged by 5 of')
        app.choose('More Actions', 'Always Allow This File')
        app.wait(role='label', contains='5 engines flagged this file. Allowed, it opens')
        e2e.screenshot_screen('always-allow-flagged.png')
        click_response(app, 'Cancel')
        e2e.wait_for(lambda: not app.find_all(role='label', contains='Allowed, it opens'), 10,
                     'the question to close')
        assert not app.find_all(role='label', name='Allowed by you')

        # "Run Anyway…" asks first, then runs it and says so.
        app.choose('More Actions', 'Run Anyway…')
        app.wait(role='label', contains='This file was flagged by 5 engines')
        e2e.screenshot_screen('run-anyway.png')
        click_response(app, 'Run Anyway')
        e2e.wait_for(lambda: os.path.exists(flagged_marker), 30, 'the flagged script to run')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()

    # The override is history too.
    app = e2e.App()
    try:
        app.wait(role='label', name='Run anyway by you')
        # A notification's click shows the check, found by its SHA-256.
        e2e.activate_action('show-check', e2e.sha256_of(flagged))
        app.wait(role='label', name='Malicious 5 · Suspicious 0 · of 64 engines')
        app.wait(role='push button', name='Check Again')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
