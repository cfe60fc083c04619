# test_changed_before_launch.py: a file that changes after it was hashed is checked again, not run
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import time

import cfe2e as e2e


def dont_upload(app):
    button = e2e.wait_for(lambda: next((b for b in app.find_all(role='push button', contains='Upload')
                                        if 'Don' in b.name), None),
                          10, 'the Don\'t Upload button')
    button.doActionNamed('click')


def test():
    # "ask" holds the check between the lookup and the launch: the window
    # waits for an answer, and the file changes meanwhile.
    e2e.write_settings(upload_policy="'ask'", mode="'normal'")

    first = os.path.join(e2e.TEST_DIR, 'first-version-ran')
    second = os.path.join(e2e.TEST_DIR, 'second-version-ran')
    script = e2e.make_script('changing-tool.sh', first)

    app = e2e.App(script)
    try:
        app.wait(role='label', contains='VirusTotal has never seen “changing-tool.sh”')

        # Replace the content (a new mtime and ctime) while the question is open.
        time.sleep(0.05)
        with open(script, 'w') as f:
            f.write(f'#!/bin/sh\necho ran > "{second}"\n')
        dont_upload(app)

        # The verdict was for the old bytes: the new ones are checked again,
        # which asks again, instead of running anything.
        app.wait(20, role='label', contains='VirusTotal has never seen “changing-tool.sh”')
        assert not os.path.exists(first), 'the first version ran'
        assert not os.path.exists(second), 'the changed file ran without a check'

        dont_upload(app)
        e2e.wait_for(lambda: os.path.exists(second), 30, 'the checked new version to run')
        assert not os.path.exists(first), 'the first version ran'
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
