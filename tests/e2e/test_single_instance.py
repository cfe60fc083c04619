# test_single_instance.py: a second `check-first FILE` hands its file to the running window
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import cfe2e as e2e


def test():
    e2e.write_settings()

    first = e2e.make_file('first-letter.txt', 'Dear reader,\n')
    second = e2e.make_file('second-letter.txt', 'Dear writer,\n')
    e2e.register(first, 'clean')
    e2e.register(second, 'clean')

    app = e2e.App(first)
    try:
        app.wait(role='label', name='first-letter.txt')
        e2e.wait_for(lambda: first in e2e.read_lines(e2e.RECORDER_LOG), 30, 'the first letter to open')

        result = e2e.run_second_instance(second)
        assert result.returncode == 0, result
        e2e.wait_for(lambda: second in e2e.read_lines(e2e.RECORDER_LOG), 30, 'the second letter to open')

        app.wait(role='label', name='second-letter.txt')
        app.wait(role='label', name='first-letter.txt')
        verdicts = app.find_all(role='label', prefix='No engine flagged it')
        assert len(verdicts) == 2, [v.name for v in verdicts]
        windows = app.windows()
        assert len(windows) == 1, [w.name for w in windows]
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
