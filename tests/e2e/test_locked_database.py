# test_locked_database.py: another program holding the database never freezes the window
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sqlite3
import time

import cfe2e as e2e

# How long the other program keeps the write lock: longer than SQLite's
# busy timeout, so a window that waited on it would be seen frozen.
HOLD_SECONDS = 10


def test():
    e2e.write_settings()
    document = e2e.make_file('while-locked.txt', 'Written while a script held the database.\n')
    e2e.register(document, 'clean')

    app = e2e.App()
    try:
        app.wait(role='label', name='Drop a File to Check It')
        path = os.path.join(os.environ['XDG_DATA_HOME'], 'check-first', 'check-first.db')
        e2e.wait_for(lambda: os.path.exists(path), 20, 'the database')

        holder = sqlite3.connect(path, timeout=5, isolation_level=None)
        holder.execute('BEGIN IMMEDIATE')
        held_from = time.monotonic()
        try:
            e2e.run_second_instance(document)
            # The check says what it waits for, instead of the window hanging.
            waiting = app.wait(30, role='label', prefix='Waiting for the database')
            e2e.log('while locked:', waiting.name)
            e2e.screenshot('locked-database.png')

            # The window answers: its menu opens and reads out.
            app.click('Main Menu')
            app.wait(role='menu item', contains='Preferences')
            e2e.press_keys('Escape')

            # Hold it for the whole stretch whatever the interactions took.
            remaining = HOLD_SECONDS - (time.monotonic() - held_from)
            if remaining > 0:
                time.sleep(remaining)
            assert app.find_all(role='label', prefix='Waiting for the database'), \
                'the check went on while the database was locked'
        finally:
            holder.execute('COMMIT')
            holder.close()

        # Once the lock goes, the check goes on by itself.
        app.wait(60, role='label', prefix='No engine flagged it')
        app.wait(role='label', name='Opened')
        assert document in e2e.read_lines(e2e.RECORDER_LOG)
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()

    # Nothing the window wrote while it could not was lost.
    with sqlite3.connect(path) as db:
        rows = db.execute('SELECT status, decision FROM history WHERE path LIKE ?',
                          ('%while-locked.txt',)).fetchall()
        cached = db.execute('SELECT count(*) FROM verdicts').fetchone()[0]
    assert rows == [('clean', 'allow')], rows
    assert cached == 1, cached


e2e.run(test)
