# test_default_app.py: a document opens in its default app, never in Check First again
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os

import cfe2e as e2e


def test():
    e2e.write_settings()

    document = e2e.make_file('meeting-notes.txt', 'Bring the slides.\n')
    e2e.register(document, 'clean')

    app = e2e.App(document)
    try:
        e2e.wait_for(lambda: document in e2e.read_lines(e2e.RECORDER_LOG), 30,
                     'the recorder to open the document')
        app.wait(role='label', name='Opened')
        assert not os.path.exists(e2e.SELF_LAUNCH_LOG), \
            'Check First picked itself: ' + ' '.join(e2e.read_lines(e2e.SELF_LAUNCH_LOG))
        assert len(app.find_all(role='label', name='meeting-notes.txt')) == 1

        # Nothing but Check First handles this type: the person is asked for an app.
        blob = os.path.join(e2e.TEST_DIR, 'firmware.bin')
        with open(blob, 'wb') as f:
            f.write(bytes(range(256)) * 4)
        e2e.register(blob, 'clean')
        assert e2e.run_second_instance(blob).returncode == 0
        app.wait(role='label', name='No app is set to open this kind of file. Choose one.')
        e2e.screenshot_screen('app-chooser.png')
        assert not os.path.exists(e2e.SELF_LAUNCH_LOG), 'Check First picked itself'
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
