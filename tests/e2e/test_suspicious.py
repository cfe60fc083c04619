# test_suspicious.py: a file two engines call suspicious is never shown as one nobody flagged
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import cfe2e as e2e


def action_order(app):
    """The details page's action buttons, left to right."""
    names = ('Open', 'Move to Trash', 'Upload for Analysis…', 'Check Again', 'Show in Files', 'More Actions')
    buttons = [b for b in app.find_all(role='push button') if b.name in names and b.visible]
    seen = {}
    for button in sorted(buttons, key=lambda b: b.position[0]):
        seen.setdefault(button.name, button.position[0])
    return list(seen)


def test():
    e2e.write_settings()

    document = e2e.make_file('quarterly.txt', 'Figures for the quarter.\n')
    e2e.register(document, 'suspicious:2')

    app = e2e.App(document)
    try:
        # Below the threshold, so it opens, and the row says why it is not "clean".
        row = app.wait(role='label', name='2 engines call it suspicious (below your threshold)')
        e2e.wait_for(lambda: document in e2e.read_lines(e2e.RECORDER_LOG), 30, 'the file to open')
        assert not app.find_all(role='label', prefix='No engine flagged it'), 'shown as clean'
        e2e.log('row:', row.name)

        # Its details (as the row, or the notification, leads there) give both counts.
        e2e.activate_action('show-check', e2e.sha256_of(document))
        app.wait(role='label', prefix='Malicious 0 · Suspicious 2 · of ')
        app.wait(role='label', contains='some engines flagged this file, fewer than your threshold')
        # The actions keep their order whatever the verdict: the way forward first
        # (here Open, after a block Move to Trash), then Show in Files, then the menu.
        order = action_order(app)
        assert order == ['Open', 'Show in Files', 'More Actions'], order
        e2e.screenshot('suspicious-details.png')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
