# test_batch.py: a batch with one flagged file stays on the list; a toast leads to the block
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os

import cfe2e as e2e


def test():
    e2e.write_settings()

    marker = os.path.join(e2e.TEST_DIR, 'batch-ran')
    flagged = e2e.make_script('tool-3.sh', marker, extra=e2e.EICAR + ' batch')
    e2e.register(flagged, 'eicar')
    documents = []
    for i in (1, 2, 4, 5):
        document = e2e.make_file(f'notes-{i}.txt', f'Notes, part {i}.\n')
        e2e.register(document, 'clean')
        documents.append(document)

    app = e2e.App(documents[0], documents[1], flagged, documents[2], documents[3])
    try:
        app.wait(role='label', name='“tool-3.sh” was blocked')
        e2e.wait_for(lambda: all(d in e2e.read_lines(e2e.RECORDER_LOG) for d in documents), 30,
                     'the four documents to open')
        # Still the list: the other files are in view, no details page took over (a
        # hidden widget is not on the accessibility bus; "showing" is not reliable there).
        for i in (1, 2, 4, 5):
            assert app.find_all(role='label', name=f'notes-{i}.txt'), f'notes-{i}.txt'
        assert not app.find_all(role='push button', name='Back'), 'the view left the list'
        e2e.screenshot('batch-blocked.png')

        app.click_toast('View')
        app.wait(role='label', prefix='Flagged by')
        app.wait(role='push button', name='Move to Trash')
        assert app.find_all(role='push button', name='Back')

        # A search of the engines that finds nothing says so.
        e2e.press_keys('<Control>f')
        from dogtail import rawinput
        rawinput.typeText('no-such-engine')
        app.wait(role='label', name='No engines match')
        e2e.screenshot('no-engines-match.png')

        # Alt+Left goes back, as in every GNOME app.
        e2e.press_keys('<Alt>Left')
        e2e.wait_for(lambda: not app.find_all(role='push button', name='Back'), 10, 'the list')
        assert not os.path.exists(marker), 'the flagged script ran'
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
