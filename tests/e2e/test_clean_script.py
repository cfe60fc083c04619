# test_clean_script.py: an empty window, then a clean script given as an argument runs
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os

import cfe2e as e2e


def test():
    e2e.write_settings()

    # Started with nothing to check: the empty state invites a drop.
    app = e2e.App()
    try:
        app.main_window()
        app.wait(role='label', name='Drop a File to Check It')
        app.wait(role='push button', name='Open…')
        e2e.screenshot('empty-window.png')
    finally:
        app.stop()

    # Closing saved the window's size.
    settings = open(e2e.settings_file()).read()
    assert 'window-width=720' in settings and 'window-maximized=false' in settings, settings

    marker = os.path.join(e2e.TEST_DIR, 'clean-ran')
    script = e2e.make_script('tidy-downloads.sh', marker)
    document = e2e.make_file('meeting-notes.txt', 'Bring the slides.\n')
    e2e.register(script, 'clean')
    e2e.register(document, 'clean')

    # The session's notification log holds the earlier tests' too.
    earlier = len(e2e.notifications())
    app = e2e.App(script, document)
    try:
        e2e.wait_for(lambda: os.path.exists(marker), 30, 'the clean script to run')
        e2e.wait_for(lambda: document in e2e.read_lines(e2e.RECORDER_LOG), 30,
                     'the document to open')
        verdicts = e2e.wait_for(lambda: len(app.find_all(role='label', prefix='No engine flagged it')) == 2
                                and app.find_all(role='label', prefix='No engine flagged it'),
                                30, 'two verdicts')
        for verdict in verdicts:
            e2e.log('verdict:', verdict.name)
            assert verdict.name.endswith('0/64'), verdict.name
        app.wait(role='label', name='Started')
        app.wait(role='label', name='Opened')
        assert len(app.windows()) == 1, app.windows()
        assert len(e2e.notifications()) == earlier, 'a clean file needs no notification'
        e2e.screenshot('clean-verdict.png')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
