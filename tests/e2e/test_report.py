# test_report.py: the details page tells what VirusTotal knows beyond the engines (threat,
# dates and the verdict's age, submissions, reputation, names, sandboxes), copies the hashes,
# exports the whole report, and its engine table reads well to a screen reader and keeps
# every result whole in a narrow window with large text
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import datetime
import json
import os
import re
import subprocess
import time

from dogtail import rawinput

import cfe2e as e2e

CLIPBOARD_READER = r'''
import gi
gi.require_version('Gtk', '4.0')
from gi.repository import Gdk, GLib, Gtk
Gtk.init()
loop = GLib.MainLoop()
text = []
def done(clipboard, result):
    text.append(clipboard.read_text_finish(result) or '')
    loop.quit()
Gdk.Display.get_default().get_clipboard().read_text_async(None, done)
GLib.timeout_add_seconds(10, loop.quit)
loop.run()
print(text[0] if text else '', end='')
'''


def clipboard():
    """What the X clipboard holds, as another application would paste it."""
    return subprocess.run(['/usr/bin/python3', '-c', CLIPBOARD_READER], capture_output=True,
                          text=True, timeout=30).stdout


def fact_rows(app):
    """Every fact row of the page, {title: [the texts under it]}, from one walk of the tree
    (a walk takes seconds, toasts and patience do not)."""
    rows = {}
    for node in e2e.walk(app.node):
        try:
            if node.roleName == 'list item' and node.name:
                rows.setdefault(node.name, [n.name for n in e2e.walk(node)
                                            if n.roleName in ('label', 'list item') and n.name != node.name])
        except Exception:
            continue
    return rows


def ancestors(node):
    while node is not None:
        yield node
        try:
            node = node.parent
        except Exception:
            return


def check_actions(app, window):
    """The blocked file's actions are whole inside @window and above the File group;
    returns the tops of their lines."""
    right = window.position[0] + window.size[0]
    heading = next(n for n in app.find_all(role='label', name='File') if n.visible)
    actions = [b for b in app.find_all(role='push button')
               if b.name in ('Move to Trash', 'Show in Files', 'More Actions') and b.visible]
    assert {b.name for b in actions} == {'Move to Trash', 'Show in Files', 'More Actions'}, \
        [b.name for b in actions]
    e2e.log('actions:', [(b.name, b.position, b.size) for b in actions], 'heading:', heading.position)
    for button in actions:
        assert button.position[0] + button.size[0] <= right, f'{button.name} is cut off at the right'
        assert button.position[1] + button.size[1] <= heading.position[1], \
            f'{button.name} runs into the File group'
    return sorted({b.position[1] for b in actions if b.name != 'More Actions'}
                  | {min(b.position[1] for b in actions if b.name == 'More Actions')})


def value_of(rows, title):
    """The value a fact row shows under its title."""
    assert rows.get(title), f'no row {title!r}, or it shows no value: {sorted(rows)}'
    return rows[title][0]


def large_text():
    """Text half as large again as the default, as GNOME's Large Text makes it."""
    folder = os.path.join(os.environ['XDG_CONFIG_HOME'], 'gtk-4.0')
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'settings.ini'), 'w') as f:
        f.write('[Settings]\ngtk-font-name=Sans 16.5\n')


def test():
    # 1000 px wide: where "Open on VirusTotal" used to wrap to a row of its own.
    e2e.write_settings(window_width='1000', window_height='760')

    script = e2e.make_script('payload-2026.sh', os.path.join(e2e.TEST_DIR, 'ran'),
                             extra=e2e.EICAR + ' report')
    e2e.register(script, 'eicar')
    sha256 = e2e.sha256_of(script)

    app = e2e.App(script)
    try:
        app.wait(role='label', prefix='Flagged by')

        # What VirusTotal knows, beyond the engines.
        rows = e2e.wait_for(lambda: (lambda r: r if 'Sandbox verdicts' in r else None)(fact_rows(app)),
                            30, 'the report rows')
        assert value_of(rows, 'Threat') == 'virus.eicar/test'
        assert value_of(rows, 'Threat category') == 'virus'
        assert value_of(rows, 'Family names') == 'eicar, test'
        first_seen = value_of(rows, 'First seen')
        assert first_seen[0].isdigit(), f'a date starts with its day: {first_seen!r}'
        # The verdict's age, said with its date.
        assert value_of(rows, 'Last analysed').endswith(' · just now'), value_of(rows, 'Last analysed')
        assert value_of(rows, 'Times submitted') == '1 time'
        assert value_of(rows, 'Community reputation') == '-124 · votes: 1 malicious, 0 harmless'
        assert 'payload-2026.sh' in rows['Known names'], rows['Known names']
        assert '2 of 2 sandboxes flagged it' in rows['Sandbox verdicts'], rows['Sandbox verdicts']
        assert 'Malicious · MALWARE, TROJAN · EICAR · 80 % sure' in rows['Zenbox'], rows['Zenbox']
        # "Open on VirusTotal" sits in the VirusTotal group's heading row, not on its own.
        report_button = app.wait(role='push button', name='Open on VirusTotal')
        heading = next(n for n in app.find_all(role='label', name='VirusTotal') if n.visible)
        button_middle = report_button.position[1] + report_button.size[1] // 2
        assert heading.position[1] <= button_middle <= heading.position[1] + heading.size[1] + 12, \
            (report_button.position, report_button.size, heading.position, heading.size)
        # The actions in their order: the way forward first, Show in Files, then the menu.
        actions = sorted((b for b in app.find_all(role='push button')
                          if b.name in ('Move to Trash', 'Show in Files', 'More Actions') and b.visible),
                         key=lambda b: b.position[0])
        names = list(dict.fromkeys(b.name for b in actions))
        assert names == ['Move to Trash', 'Show in Files', 'More Actions'], names

        # With room for them, Version and Updated are there (they give way only when narrow).
        assert app.find_all(role='label', name='Version') and app.find_all(role='label', name='Updated')
        # The engine table, as a screen reader reads it: rows and cells by their content.
        app.wait(role='table row', name='Acronis: Malicious, Virus.EICAR.Test')
        app.wait(role='table cell', name='Virus.EICAR.Test')
        app.wait(role='table cell', name='No result')
        class_names = {'GtkListItemWidget', 'GtkColumnViewCell', 'GtkLabel', 'GtkListBox',
                       'GtkImage', 'GtkColumnListView'}
        read_as = {node.name for node in app.find_all() if node.name in class_names}
        assert not read_as, f'something reads as {read_as}'

        # Copy buttons for the hashes: another application pastes the hash.
        app.click('Copy SHA-256')
        toast_text = app.wait_toast('Copied to the clipboard')
        # The toast's close button says what it does (libadwaita 1.2 leaves it "GtkImage").
        # Looked for around the toast's text: the toast does not wait for a whole-tree search.
        toast = toast_text
        while toast is not None and not any(n.roleName == 'push button' for n in e2e.walk(toast)):
            toast = toast.parent
        buttons = [n.name for n in e2e.walk(toast) if n.roleName == 'push button']
        e2e.log('toast buttons:', buttons)
        assert 'Close' in buttons and 'GtkImage' not in buttons, buttons
        e2e.wait_for(lambda: clipboard() == sha256, 20, 'the SHA-256 on the clipboard')
        app.click('Copy MD5')
        md5 = value_of(rows, 'MD5')
        e2e.wait_for(lambda: clipboard() == md5, 20, 'the MD5 on the clipboard')

        # Export Report: one JSON document, the verdict and the whole report.
        target = os.path.join(e2e.TEST_DIR, 'exported-report.json')
        app.choose('More Actions', 'Export Report…')
        e2e.wait_for(lambda: next((w for w in app.node.children if w.name == 'Export Report'), None),
                     20, 'the file chooser')
        e2e.wait_for(lambda: any(n.focused and n.roleName in ('text', 'entry') for n in app.find_all()),
                     10, 'the name entry to take the focus')
        rawinput.keyCombo('<Control>a')
        rawinput.typeText(target)
        rawinput.pressKey('Return')
        # Hands off AT-SPI while the dialog goes (see test_processes.py).
        e2e.wait_for(lambda: os.path.exists(target) and os.path.getsize(target) > 0, 20,
                     'the exported report')
        time.sleep(1)
        app.wait_toast('Report exported to “exported-report.json”')
        with open(target) as f:
            document = json.load(f)
        assert document['check']['sha256'] == sha256, document['check']
        assert document['check']['status'] == 'detected', document['check']
        assert document['check']['malicious'] == 62, document['check']
        attributes = document['report']['attributes']
        assert document['report']['id'] == sha256
        assert attributes['times_submitted'] == 1, attributes
        assert attributes['total_votes'] == {'harmless': 0, 'malicious': 1}, attributes
        assert attributes['sandbox_verdicts']['Zenbox']['category'] == 'malicious', attributes
        assert attributes['popular_threat_classification']['suggested_threat_label'] == 'virus.eicar/test'
        assert len(attributes['last_analysis_results']) == 67, len(attributes['last_analysis_results'])
        e2e.screenshot('report-facts.png')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()

    # 600 px wide, normal text: Version and Updated give way before the results do, the
    # table scrolls with the page (no scrolled window of its own), and a date has no
    # padding before a day of one digit.
    e2e.write_settings(window_width='600', window_height='760')
    older = e2e.make_script('older-payload.sh', os.path.join(e2e.TEST_DIR, 'ran-older'),
                            extra='an older report')
    days_ago = next(n for n in range(40)
                    if (datetime.datetime.now() - datetime.timedelta(days=30 + n)).day < 10)
    e2e.register(older, f'malicious:5,analysed-days-ago:{days_ago}')
    app = e2e.App(older)
    try:
        app.wait(role='label', prefix='Flagged by')
        e2e.wait_for(lambda: not app.find_all(role='label', name='Version'), 10,
                     'the Version column to give way at 600 px')
        assert not app.find_all(role='label', name='Updated')
        cell = app.wait(role='table cell', name='No result')
        scrollers = [node.roleName for node in ancestors(cell) if node.roleName == 'scroll pane']
        assert len(scrollers) == 1, f'the table scrolls inside the page: {scrollers}'
        rows = e2e.wait_for(lambda: (lambda r: r if 'First seen' in r else None)(fact_rows(app)),
                            30, 'the report rows')
        first_seen = value_of(rows, 'First seen')
        e2e.log('first seen:', first_seen)
        assert re.match(r'^[1-9] [A-Z][a-z]+ \d{4}, \d\d:\d\d$', first_seen), \
            f'not a day of one digit without padding: {first_seen!r}'
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()

    # 600 px wide with large text: Version and Updated give way, every result stays whole,
    # and the actions go on in a second line instead of widening the window.
    e2e.write_settings(window_width='600', window_height='760')
    large_text()
    app = e2e.App(script)
    try:
        app.wait(role='label', prefix='Flagged by')
        e2e.wait_for(lambda: not app.find_all(role='label', name='Version'), 10,
                     'the Version column to give way')
        assert not app.find_all(role='label', name='Updated')
        assert app.find_all(role='label', name='Result')
        cell = app.wait(role='table cell', name='EICAR-Test-File (not a virus)')
        label = next(n for n in e2e.walk(cell) if n.roleName == 'label')
        width = label.size[0]
        e2e.log('a long result:', label.name, label.size)
        # Whole: the label shows the text, wrapped if need be, with the text as its tooltip.
        assert label.name == 'EICAR-Test-File (not a virus)'
        assert label.description == 'EICAR-Test-File (not a virus)', label.description
        window = app.main_window()
        assert window.size[0] <= 600, f'the window grew to {window.size[0]} px'
        assert width > 0
        check_actions(app, window)
        e2e.screenshot('report-narrow-large-text.png')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


    # 480 px asked for, with large text: no room for the actions in one line, so they go
    # on in a second one, inside the window and above the File group.
    e2e.write_settings(window_width='480', window_height='760')
    app = e2e.App(script)
    try:
        app.wait(role='label', prefix='Flagged by')
        window = app.main_window()
        e2e.screenshot('report-actions-wrapped.png')
        # The header bar's buttons and title need about 500 px at this text size.
        assert window.size[0] <= 500, f'the window grew to {window.size[0]} px'
        lines = check_actions(app, window)
        assert len(lines) == 2, f'the actions are not in two lines: {lines}'
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
