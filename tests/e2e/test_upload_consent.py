# test_upload_consent.py: an unknown file is uploaded only after the person says yes
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os

import re

import cfe2e as e2e


def test():
    e2e.write_settings(upload_policy="'ask'", mode="'normal'")

    marker = os.path.join(e2e.TEST_DIR, 'uploaded-ran')
    script = e2e.make_script('brand-new-tool.sh', marker)
    uploads_before = e2e.fake_stats().get('uploads', 0)

    app = e2e.App(script)
    try:
        # The question names the file and its size, and says what sharing means.
        question = app.wait(role='label', contains='VirusTotal has never seen “brand-new-tool.sh”')
        e2e.log('question:', question.name)
        # The size is one word: never "(38" at the end of a line and "bytes)" on the next.
        assert re.search(r'\(\d+\u00a0bytes\)', question.name), question.name
        assert 'cannot be deleted' in question.name, question.name
        app.wait(role='check box', name='Remember my answer')
        app.wait(role='label', name='Waiting for your answer')
        assert e2e.fake_stats().get('uploads', 0) == uploads_before, 'uploaded before the answer'
        e2e.screenshot_screen('upload-consent.png')

        # Read once, as shown: "Upload" (libadwaita 1.2 alone says "_Upload Upload").
        upload = e2e.wait_for(lambda: next(iter(app.find_all(role='push button', name='Upload')), None),
                              10, 'the Upload button')
        upload.doActionNamed('click')
        # The person turns to something else while it is analysed (the pointer leaves
        # the window, and with it the focus).
        from dogtail import rawinput
        rawinput.absoluteMotion(1279, 799)
        earlier = len(e2e.notifications())
        verdict = app.wait(60, role='label', prefix='No engine flagged it')
        e2e.log('verdict after the upload:', verdict.name)
        assert e2e.fake_stats().get('uploads', 0) == uploads_before + 1, e2e.fake_stats()
        e2e.wait_for(lambda: os.path.exists(marker), 30, 'the script to run once analysed')
        # So the desktop says how it ended, with a way back to it.
        line = e2e.wait_for(lambda: next((l for l in e2e.notifications()[earlier:]
                                          if 'Checked: brand-new-tool.sh' in l), None),
                            20, 'the notification of the finished analysis')
        e2e.log('notification:', line.strip())
        assert 'No engine flagged it' in line, line
        assert '"default"' in line and 'Open on VirusTotal' in line, line
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
