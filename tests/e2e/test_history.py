# test_history.py: earlier checks say when and where, a file checked again and again is one
# row that says how often, they can be searched, and Clear History can be undone
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import subprocess

from dogtail import rawinput

import cfe2e as e2e


def cli_check(path):
    """`check-first --check FILE`: a check made by a script, kept in the history."""
    result = subprocess.run([e2e.APP_BIN, '--check', path], capture_output=True, text=True,
                            timeout=60, env=e2e.app_environment())
    assert result.returncode in (0, 1), result


def history_rows(app):
    lists = app.find_all(role='list', name='Earlier checks')
    return [row for row in (lists[0].children if lists else []) if row.roleName == 'list item']


def texts(node):
    return [n.name for n in e2e.walk(node) if n.roleName == 'label' and n.name]


def search(app, text):
    """Ctrl+F on the list goes to the search of earlier checks."""
    entry = app.wait(role='entry', name='Search earlier checks')
    e2e.press_keys('<Control>f')
    e2e.wait_for(lambda: entry.focused, 10, 'the search to take the focus')
    # Keys go to the window under the pointer (there is no window manager).
    rawinput.absoluteMotion(300, 300)
    rawinput.keyCombo('<Control>a')
    if text:
        rawinput.typeText(text)
    else:
        rawinput.pressKey('BackSpace')
    rawinput.absoluteMotion(1279, 799)


def test():
    e2e.write_settings(window_height='760')

    report = e2e.make_file('quarterly-report.txt', 'Numbers.\n')
    e2e.register(report, 'clean')
    tool = e2e.make_script('repair-tool.sh', os.path.join(e2e.TEST_DIR, 'ran'), extra=e2e.EICAR + ' history')
    e2e.register(tool, 'eicar')
    # The report is checked three times, the tool once.
    for path in (report, report, tool, report):
        cli_check(path)

    app = e2e.App()
    try:
        app.wait(role='label', name='Earlier')
        rows = e2e.wait_for(lambda: (lambda r: r if len(r) == 2 else None)(history_rows(app)), 20,
                            'two rows of history')
        by_name = {row.name: texts(row) for row in rows}
        e2e.log('history:', by_name)
        # One row for the three checks of the report, that says so, and where, and when.
        report_texts = by_name['quarterly-report.txt']
        assert f'In {e2e.TEST_DIR} · checked 3 times' in report_texts, report_texts
        assert any(re.fullmatch(r'Today, \d\d:\d\d', t) for t in report_texts), report_texts
        assert f'In {e2e.TEST_DIR}' in by_name['repair-tool.sh'], by_name['repair-tool.sh']
        e2e.screenshot('history-rows.png')

        # Searched by name, folder or verdict: here the verdict.
        search(app, 'flagged by')
        e2e.wait_for(lambda: [r.name for r in history_rows(app)] == ['repair-tool.sh'], 10,
                     'only the flagged tool')
        search(app, 'no such file')
        app.wait(role='label', name='No earlier checks match')
        assert not history_rows(app)
        e2e.screenshot('history-no-match.png')
        search(app, '')
        e2e.wait_for(lambda: len(history_rows(app)) == 2, 10, 'both rows back')

        # Clear History asks nothing: it can be undone.
        app.click('Clear History')
        app.wait(role='label', name='History cleared')
        e2e.wait_for(lambda: not history_rows(app), 10, 'the history to go')
        app.wait(role='push button', name='Undo').doActionNamed('click')
        e2e.wait_for(lambda: len(history_rows(app)) == 2, 20, 'the history to come back')

        # Cleared again, and the window closed before the toast went: gone for good.
        app.click('Clear History')
        app.wait(role='label', name='History cleared')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()

    app = e2e.App()
    try:
        app.wait(role='label', name='Drop a File to Check It')
        assert not app.find_all(role='label', name='quarterly-report.txt')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
