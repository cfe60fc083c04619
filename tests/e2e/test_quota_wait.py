# test_quota_wait.py: a check waiting for the request budget counts down to its lookup, says
# the budget and its place in the queue, the batch says how long it has left, and a waiting
# check can be cancelled
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import re

import cfe2e as e2e

WAITING = 'Next lookup in '
# "Next lookup in 0:42 (1 a minute) · gives up in 9:48", and "· 1 ahead" behind another.
WAIT_LINE = re.compile(r'^Next lookup in \d:\d\d \(1 a minute\)( · 1 ahead)? · gives up in \d+:\d\d$')


def waiting_lines(app):
    return [n.name for n in app.find_all(role='label', prefix=WAITING)]


def test():
    # One request a minute: the files after the first have to wait for the next minute.
    e2e.write_settings(premium_per_minute='uint32 1', premium_per_day='uint32 500')

    first = e2e.make_file('first-in-line.txt', 'First.\n')
    second = e2e.make_file('second-in-line.txt', 'Second.\n')
    third = e2e.make_file('third-in-line.txt', 'Third.\n')
    for path in (first, second, third):
        e2e.register(path, 'clean')

    # The first file takes the minute's only request; the others, handed over by a
    # second invocation, wait: the second first, the third behind it.
    app = e2e.App(first)
    try:
        app.wait(role='label', prefix='No engine flagged it')
        e2e.run_second_instance(second, third)
        lines = e2e.wait_for(lambda: (lambda found: found if len(found) == 2 else None)(waiting_lines(app)),
                             30, 'two checks waiting for the budget')
        e2e.log('waiting:', lines)
        for line in lines:
            assert WAIT_LINE.match(line), f'not a countdown with its budget: {line!r}'
        assert sum(' · 1 ahead' in line for line in lines) == 1, lines

        # The batch as a whole: how far it has come, and how long it has left.
        batch = app.wait(role='label', prefix='1 of 3 checked · about ')
        e2e.log('batch:', batch.name)
        assert re.match(r'^1 of 3 checked · about \d:\d\d left$', batch.name), batch.name

        # The countdown moves every second, down.
        before = min(lines)
        e2e.wait_for(lambda: waiting_lines(app) and min(waiting_lines(app)) < before, 20,
                     'the countdown to move down')
        e2e.screenshot('quota-wait.png')

        # A waiting check's own page says what it waits for too, not only "Being checked…".
        e2e.activate_action('show-check', e2e.sha256_of(second))
        title = app.wait(role='label', name='Being checked…')
        line = e2e.wait_for(lambda: next((n for n in e2e.walk(title.parent) if n.roleName == 'label'
                                          and WAIT_LINE.match(n.name or '')), None),
                            20, 'the countdown under the details page\'s title')
        e2e.log('details:', line.name)
        e2e.screenshot('quota-wait-details.png')
        e2e.press_keys('<Alt>Left')
        app.wait(role='label', prefix='1 of 3 checked')

        # The one in front is cancelled: the other moves up, nothing ahead of it.
        cancel = e2e.wait_for(lambda: next((b for b in app.find_all(role='push button', prefix='Cancel the check of')
                                            if 'second-in-line.txt' in b.name), None),
                              30, 'the cancel button of the waiting check')
        e2e.log('cancelling:', cancel.name)
        cancel.doActionNamed('click')
        app.wait(role='label', name='Cancelled')
        app.wait(role='push button', name='Retry')
        e2e.wait_for(lambda: waiting_lines(app) and not any('ahead' in line for line in waiting_lines(app)),
                     20, 'the third file to have no one ahead')
        assert len(waiting_lines(app)) == 1, waiting_lines(app)

        # The budget, one click away from the main window: what is used, what the next
        # lookup waits for, when the day's count starts again.
        app.click('Request Budget')
        app.wait(role='label', name='Your plan: 1 a minute, 500 a day')
        app.wait(role='label', name='This minute')
        app.wait(role='label', name='1 of 1')
        app.wait(role='label', name='1 of 500')
        app.wait(role='label', name='1 (no limit)')
        app.wait(role='label', prefix='Today’s count starts again at ')
        popover_wait = app.wait(role='label', prefix='Next lookup in ')
        e2e.log('popover:', [n.name for n in app.find_all(role='label', prefix='Next lookup in ')])
        e2e.screenshot('quota-popover.png')
        e2e.press_keys('Escape', move=False)
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
