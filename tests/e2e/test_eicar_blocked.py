# test_eicar_blocked.py: a script that engines flag is not run; the details page says why
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os

import cfe2e as e2e


def test():
    e2e.write_settings(window_height='760')

    marker = os.path.join(e2e.TEST_DIR, 'eicar-ran')
    script = e2e.make_script('invoice-2026.sh', marker, extra=e2e.EICAR)
    e2e.register(script, 'eicar')
    sha256 = e2e.sha256_of(script)
    # A harmless file in the same drop opens as usual.
    document = e2e.make_file('minutes.txt', 'Nothing to see here.\n')
    e2e.register(document, 'clean')

    app = e2e.App(script, document)
    try:
        # Blocked: in a drop of two files the list stays, and a toast leads to the block.
        app.click_toast('View')
        title = app.wait(role='label', prefix='Flagged by')
        e2e.log('verdict:', title.name)
        app.wait(role='label', prefix='Malicious 62 · Suspicious 0 · of ')
        # One denominator: the engines that gave a verdict, and the rest said apart (the
        # report has 67 results, 3 of them "type-unsupported" or "timeout").
        app.wait(role='label', name='64 engines gave a verdict; 3 could not scan this type or timed out')
        counted = [n.name for n in app.find_all(role='label', contains='67') if 'engine' in n.name.lower()]
        assert not counted, f'a count of 67 engines is shown: {counted}'
        app.wait(role='push button', name='Move to Trash')
        app.wait(role='push button', name='Open on VirusTotal')

        # The engines, detections first.
        cell = app.wait(role='label', prefix='EICAR')
        e2e.log('first detection cell:', cell.name)
        cells = app.find_all(role='table cell')
        e2e.log('table cells showing:', len(cells))
        assert cells, 'the column view shows no cells'

        # The desktop was told, with a way to the report.
        line = e2e.wait_for(lambda: next((l for l in e2e.notifications()
                                          if 'Blocked: invoice-2026.sh' in l), None),
                            20, 'the notification')
        e2e.log('notification:', line.strip())
        assert 'Flagged by' in line, line
        assert 'Malicious 62 · Suspicious 0 · of 64 engines' in line, line
        assert f'app.open-report::{sha256}' in line or 'Open on VirusTotal' in line, line
        assert e2e.APP_ID in line or 'Check First' in line or 'check-first' in line, line

        assert not os.path.exists(marker), 'the flagged script ran'
        e2e.screenshot('blocked-details.png')

        # Down to the engines: Ctrl+F focuses their search, Tab the table, and the
        # page scrolls to them.
        search = app.wait(role='entry', name='Search engines and results')
        e2e.press_keys('<Control>f')
        e2e.wait_for(lambda: search.focused, 10, 'the search entry to take the focus')
        e2e.press_keys('Tab')
        e2e.wait_for(lambda: not search.focused, 10, 'the focus to move to the table')
        e2e.screenshot('engines.png')

        # Detections only: the clean engines go away.
        app.click('Detections Only')
        e2e.wait_for(lambda: not app.find_all(role='label', name='Undetected'), 10,
                     'undetected engines to be filtered out')

        # Back in the list, the rows say what happened.
        app.click('Back')
        row_verdict = app.wait(role='label', prefix='Flagged by')
        app.wait(role='label', name='Not opened')
        app.wait(role='label', name='Opened')
        assert document in e2e.read_lines(e2e.RECORDER_LOG)
        e2e.log('row:', row_verdict.name)
        e2e.screenshot('blocked-list.png')
        assert not os.path.exists(marker), 'the flagged script ran'
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()

    # Next time, the check is history: shown, never run by itself.
    app = e2e.App()
    try:
        app.wait(role='label', name='Earlier')
        app.wait(role='label', name='invoice-2026.sh')
        app.wait(role='label', name='minutes.txt')
        app.wait(role='label', prefix='Flagged by 62 of')
        e2e.screenshot('history.png')
        assert not os.path.exists(marker), 'a history row ran the flagged script'

        # History can be cleared (with Undo, see test_history); the window is empty again.
        app.click('Clear History')
        app.wait(role='label', name='History cleared')
        app.wait(role='label', name='Drop a File to Check It')
        e2e.screenshot('clear-history.png')
        assert not app.find_all(role='label', name='invoice-2026.sh')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
