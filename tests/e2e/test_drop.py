# test_drop.py: files dragged from another window onto Check First are checked, then opened
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A real XDND drag: a GTK window holding two files sits under Check First's window,
# and the pointer (XTest) carries them over.

import os
import subprocess
import time

from dogtail import rawinput

import cfe2e as e2e


def drag(start, end, over=None):
    """Presses at @start, moves in small steps to @end, calls @over there, and releases."""
    rawinput.absoluteMotion(*start)
    rawinput.press(*start)
    steps = 25
    for i in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * i // steps
        y = start[1] + (end[1] - start[1]) * i // steps
        rawinput.absoluteMotion(x, y)
        time.sleep(0.03)
    if over is not None:
        over()
    rawinput.release(*end)


def test():
    e2e.write_settings()

    first = e2e.make_file('dropped-notes.txt', 'Dropped, not opened with.\n')
    second = e2e.make_file('dropped-list.txt', 'Milk\nBread\n')
    e2e.register(first, 'clean')
    e2e.register(second, 'clean')

    # The source first, the size of the screen; Check First then opens on top of it.
    source = subprocess.Popen(['/usr/bin/python3', os.path.join(os.path.dirname(__file__), 'drag-source.py'),
                               first, second])
    try:
        e2e.wait_for(lambda: 'Drag Source' in subprocess.run(['xwininfo', '-root', '-tree'],
                                                               capture_output=True, text=True).stdout,
                     20, 'the drag source window')
        app = e2e.App()
        try:
            app.wait(role='label', name='Drop a File to Check It')
            highlighted = []

            def while_over():
                highlighted.append(e2e.wait_for(lambda: app.find_all(role='label', name='Drop to check'),
                                                10, 'the drop highlight'))
                e2e.screenshot('drop-highlight.png')

            # Press where only the source shows, drop in the middle of Check First.
            drag((1000, 700), (360, 300), over=while_over)
            assert highlighted, 'no highlight while dragging'

            for path in (first, second):
                e2e.wait_for(lambda: path in e2e.read_lines(e2e.RECORDER_LOG), 30,
                             f'{os.path.basename(path)} to open')
            app.wait(role='label', name='dropped-notes.txt')
            app.wait(role='label', name='dropped-list.txt')
            e2e.wait_for(lambda: not app.find_all(role='label', name='Drop to check'), 10,
                         'the highlight to go away')
        except Exception:
            app.dump_log()
            raise
        finally:
            app.stop()
    finally:
        source.terminate()
        source.wait(10)


e2e.run(test)
