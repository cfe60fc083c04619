# test_quota_wait.py: a check waiting for request budget counts down, and can be cancelled
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import cfe2e as e2e


def test():
    # One request a minute: the second file has to wait for the next minute.
    e2e.write_settings(premium_per_minute='uint32 1')

    first = e2e.make_file('first-in-line.txt', 'First.\n')
    second = e2e.make_file('second-in-line.txt', 'Second.\n')
    e2e.register(first, 'clean')
    e2e.register(second, 'clean')

    # The first file takes the minute's only request; the second, handed
    # over by a second invocation, is then the one that waits.
    app = e2e.App(first)
    try:
        app.wait(30, role='label', prefix='No engine flagged it')
        e2e.run_second_instance(second)
        waiting = app.wait(30, role='label', prefix='Waiting for the per-minute request budget ·')
        before = waiting.name
        e2e.log('waiting:', before)
        # The countdown moves every second.
        e2e.wait_for(lambda: app.find_all(role='label', prefix='Waiting for the per-minute request budget ·')
                     and app.find_all(role='label', prefix='Waiting for the per-minute request budget ·')[0].name != before,
                     20, 'the countdown to move')
        e2e.screenshot('quota-wait.png')

        cancel = e2e.wait_for(lambda: next((b for b in app.find_all(role='push button', prefix='Cancel the check of')
                                            if 'second-in-line.txt' in b.name), None),
                              30, 'the cancel button of the waiting check')
        e2e.log('cancelling:', cancel.name)
        cancel.doActionNamed('click')
        app.wait(role='label', name='Cancelled')
        app.wait(role='push button', name='Retry')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
