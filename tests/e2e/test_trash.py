# test_trash.py: after a block, the safe way forward comes first: Move to Trash (with Undo)
# and Show in Files; the bypasses wait in a menu, worded for what the file is
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import urllib.parse

import cfe2e as e2e


def test():
    e2e.write_settings(window_height='760')

    marker = os.path.join(e2e.TEST_DIR, 'trashed-ran')
    script = e2e.make_script('invoice-2027.sh', marker, extra=e2e.EICAR + ' trash')
    e2e.register(script, 'eicar')
    sha256 = e2e.sha256_of(script)
    in_trash = os.path.join(os.environ['XDG_DATA_HOME'], 'Trash', 'files', 'invoice-2027.sh')
    file_manager = None

    app = e2e.App(script)
    try:
        app.wait(role='label', prefix='Flagged by')
        app.wait(role='push button', name='Move to Trash')
        app.wait(role='push button', name='Show in Files')
        # The file's folder is one of the facts.
        app.wait(role='label', name=e2e.TEST_DIR)
        # No bypass in plain sight: it is in the menu, for a script "Run Anyway…".
        assert not app.find_all(role='push button', name='Run Anyway…')
        assert not app.find_all(role='push button', name='Always Allow This File')
        shown = app.menu_items('More Actions')
        e2e.log('menu:', shown)
        assert 'Run Anyway…' in shown and 'Always Allow This File' in shown, shown
        assert 'Open Anyway…' not in shown, shown
        e2e.press_keys('Escape', move=False)
        e2e.screenshot('blocked-safe-actions.png')

        # Show in Files, with no file manager on the bus: the folder opens.
        app.click('Show in Files')
        e2e.wait_for(lambda: e2e.TEST_DIR in e2e.read_lines(e2e.RECORDER_LOG), 20,
                     'the folder to be opened')
        # With one, it is asked to show the file itself.
        file_manager = e2e.BusMock('org.freedesktop.FileManager1', '/org/freedesktop/FileManager1',
                                   'org.freedesktop.FileManager1', [('ShowItems', 'ass')])
        app.click('Show in Files')
        uri = 'file://' + urllib.parse.quote(script)
        call = e2e.wait_for(lambda: next((c for c in file_manager.calls() if 'ShowItems' in c), None),
                            20, 'ShowItems')
        e2e.log('file manager:', call)
        assert uri in call, call

        # Into the Trash: gone from its folder, said on the page, and one Undo away.
        app.click('Move to Trash')
        e2e.wait_for(lambda: not os.path.exists(script), 20, 'the file to leave its folder')
        assert os.path.exists(in_trash), 'the file is not in the Trash'
        app.wait(role='label', name='“invoice-2027.sh” moved to the Trash')
        e2e.screenshot('trashed.png')
        # Its button is read once: "Undo", not "Undo Undo" (quick: the toast does not wait).
        app.wait(role='push button', name='Undo').doActionNamed('click')
        e2e.wait_for(lambda: os.path.exists(script), 20, 'the file to come back')
        assert not os.path.exists(in_trash), 'still in the Trash after Undo'
        assert e2e.sha256_of(script) == sha256
        app.wait(role='label', name='Put back where it was')
        app.wait(role='push button', name='Move to Trash')

        # Back in the list, the row says it again.
        app.click('Move to Trash')
        e2e.wait_for(lambda: not os.path.exists(script), 20, 'the file to leave its folder again')
        app.wait(role='label', prefix='Moved to the Trash.')
        assert not app.find_all(role='push button', name='Move to Trash')
        app.click('Back')
        app.wait(role='label', name='Moved to the Trash')
        assert not os.path.exists(marker), 'the flagged script ran'
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()
        if file_manager is not None:
            file_manager.stop()

    # A document is opened, not run: its bypass says so.
    document = e2e.make_file('report.txt', 'flagged text ' + e2e.EICAR + '\n')
    e2e.register(document, 'malicious:3')
    app = e2e.App(document)
    try:
        app.wait(role='label', prefix='Flagged by 3 of')
        shown = app.menu_items('More Actions')
        e2e.log('menu:', shown)
        assert 'Open Anyway…' in shown and 'Run Anyway…' not in shown, shown
        e2e.press_keys('Escape', move=False)
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
