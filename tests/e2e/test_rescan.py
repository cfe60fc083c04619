# test_rescan.py: an old verdict says its age; Rescan has VirusTotal analyse the file again
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import cfe2e as e2e


def test():
    e2e.write_settings(window_height='760')

    document = e2e.make_file('old-report.txt', 'Figures of a year long gone.\n')
    sha256 = e2e.sha256_of(document)
    e2e.register(document, 'clean,analysed-days-ago:800')

    app = e2e.App(document)
    try:
        # Clean, opened, and said to be old.
        row = app.wait(role='label', name='No engine flagged it · 0/64 · last analysed 2 years ago')
        e2e.wait_for(lambda: document in e2e.read_lines(e2e.RECORDER_LOG), 30, 'the file to open')
        e2e.log('row:', row.name)

        e2e.activate_action('show-check', sha256)
        app.wait(role='label', name='No engine flagged it · 0/64 · last analysed 2 years ago')
        e2e.screenshot('rescan-before.png')

        # Engines learned to see it meanwhile: the new analysis says so.
        e2e.register(document, 'malicious:3')
        rescans = e2e.fake_stats().get('rescans', 0)
        app.click('Rescan')
        app.wait(90, role='label', prefix='Flagged by 3 of 64 engines')
        assert e2e.fake_stats()['rescans'] == rescans + 1, e2e.fake_stats()
        assert not app.find_all(role='label', contains='last analysed'), 'the new verdict said to be old'
        e2e.screenshot('rescan-after.png')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()


e2e.run(test)
