# test_mapped_writer.py: a file another program has mapped for writing is never run on an old verdict
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A program that keeps a script mapped for writing can change its bytes
# without a new modification time.  Checked while mapped, the script is
# "still being written" and nothing runs; rewritten through the mapping to
# flagged bytes, and checked again once let go, it is blocked.

import hashlib
import mmap
import os

import cfe2e as e2e


def script_text(marker, length):
    text = f'#!/bin/sh\necho ran > "{marker}"\n'
    return text + '#' * (length - len(text) - 1) + '\n'


def test():
    e2e.write_settings()
    first = os.path.join(e2e.TEST_DIR, 'first-version-ran')
    second = os.path.join(e2e.TEST_DIR, 'second-version-ran')
    length = 200
    harmless = script_text(first, length).encode()
    flagged = script_text(second, length).encode()

    script = e2e.make_file('mapped-tool.sh', harmless.decode(), executable=True)
    e2e.register(script, 'clean')
    e2e.fake_vt('register', sha256=hashlib.sha256(flagged).hexdigest(),
                verdict='malicious:5')

    fd = os.open(script, os.O_RDWR)
    mapping = mmap.mmap(fd, length, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
    os.close(fd)
    mapping[0:1] = b'#'

    app = e2e.App(script)
    try:
        app.wait(role='label', contains='still being written')
        e2e.screenshot('still-being-written.png')

        # Rewritten through the mapping: no new time, new bytes.
        mapping[:] = flagged
        mapping.close()
        assert not os.path.exists(first) and not os.path.exists(second), 'a version ran'

        app.click('Retry')
        title = app.wait(role='label', prefix='Flagged by')
        e2e.log('verdict after the rewrite:', title.name)
        assert not os.path.exists(first), 'the first version ran'
        assert not os.path.exists(second), 'the flagged version ran'
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
