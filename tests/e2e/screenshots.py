# screenshots.py: the verdict screens (blocked, suspicious below the threshold, clean,
# unknown, waiting for the request budget) in the light and the dark style, 600 px wide,
# with large text and in German, taken from the real window against the fake server
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run by build-aux/screenshots inside run-e2e.sh's private session (E2E_COMMAND), not as a
# test: it asserts nothing, it only drives the window to each screen and takes its picture,
# for a person to look at. Environment: what run-e2e.sh sets, plus SCREENS_LOCALEDIR (where
# the installed check-first.mo is, to wait for the German words), SCREENS_ONLY (take only
# the variants whose name contains it) and SCREENS_SCREEN (only the screens whose name
# contains it).

import gettext
import os
import shutil
import subprocess
import sys
import time

WORK = os.path.join(os.environ['E2E_WORK'], 'screens')
os.makedirs(WORK, exist_ok=True)
os.environ.setdefault('E2E_TEST_DIR', WORK)
# dogtail looks for toolkit-accessibility in the settings when it is imported.
os.environ['XDG_CONFIG_HOME'] = os.path.join(WORK, 'config')
os.makedirs(os.path.join(WORK, 'config', 'glib-2.0', 'settings'), exist_ok=True)
with open(os.path.join(WORK, 'config', 'glib-2.0', 'settings', 'keyfile'), 'w') as keyfile:
    keyfile.write('[org/gnome/desktop/interface]\ntoolkit-accessibility=true\n')

import cfe2e as e2e  # noqa: E402

# Each variant: its name, its window size, and what it changes from the light default.
VARIANTS = [
    ('light', 860, 760, {}),
    ('dark', 860, 760, {'dark': True}),
    ('narrow', 600, 760, {}),
    ('large-text', 860, 760, {'large_text': True}),
    ('german', 860, 760, {'language': 'de'}),
    # The three that take room, at once: where the actions go on in a second line.
    ('all-narrow-large-german', 600, 760, {'language': 'de', 'large_text': True}),
]

# The five screens, in the order the files are handed over: the first four take the four
# lookups a minute allows, the fifth waits for the next minute.
FILES = [
    ('blocked', 'setup-helper.sh', 'eicar', True),
    ('suspicious', 'quarterly-figures.txt', 'suspicious:2', False),
    ('clean', 'holiday-notes.txt', 'clean', False),
    ('unknown', 'build-report.txt', None, False),
    ('waiting', 'meeting-minutes.txt', 'clean', False),
]


def translator(language):
    if not language:
        return lambda text: text
    catalogue = gettext.translation('check-first', os.environ.get('SCREENS_LOCALEDIR'),
                                    languages=[language], fallback=True)
    return catalogue.gettext


def prepare(name, width, height, options):
    """A fresh profile for the variant: settings, database and cache of its own."""
    base = os.path.join(WORK, name)
    shutil.rmtree(base, ignore_errors=True)
    for sub in ('config', 'data', 'cache', 'files'):
        os.makedirs(os.path.join(base, sub))
    os.environ['XDG_CONFIG_HOME'] = os.path.join(base, 'config')
    os.environ['XDG_DATA_HOME'] = os.path.join(base, 'data')
    os.environ['XDG_CACHE_HOME'] = os.path.join(base, 'cache')
    # Four lookups a minute, as the free plan allows.
    e2e.write_settings(window_width=str(width), window_height=str(height),
                       premium_per_minute='uint32 4', premium_per_day='uint32 500')
    if options.get('dark'):
        with open(e2e.settings_file()) as f:
            keyfile = f.read()
        keyfile = keyfile.replace('toolkit-accessibility=true\n',
                                  "toolkit-accessibility=true\ncolor-scheme='prefer-dark'\n", 1)
        with open(e2e.settings_file(), 'w') as f:
            f.write(keyfile)
    if options.get('language'):
        os.environ['LANGUAGE'] = options['language']
    else:
        os.environ.pop('LANGUAGE', None)

    paths = {}
    for screen, file_name, verdict, executable in FILES:
        path = os.path.join(base, 'files', file_name)
        with open(path, 'w') as f:
            # Different content in each variant: every variant asks the server afresh.
            if executable:
                f.write(f'#!/bin/sh\n# {e2e.EICAR} {name}\necho installed\n')
            else:
                f.write(f'{screen} text for the {name} screenshots\n')
        if executable:
            os.chmod(path, 0o755)
        if verdict:
            e2e.register(path, verdict)
        paths[screen] = path
    return paths


def scroll_down(clicks):
    from dogtail import rawinput
    for _ in range(clicks):
        rawinput.click(300, 400, button=5)
    rawinput.absoluteMotion(1279, 799)
    time.sleep(0.5)


def large_text():
    """GNOME's Large Text, as its settings daemon tells X applications: a text scaling
    factor of 1.25 is 120 dots an inch (XSETTINGS counts them in 1024ths)."""
    config = os.path.join(WORK, 'xsettingsd.conf')
    with open(config, 'w') as f:
        f.write(f'Xft/DPI {120 * 1024}\n')
    daemon = subprocess.Popen(['xsettingsd', '-c', config], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    time.sleep(1)
    return daemon


def shoot(name, width, height, options, only):
    _ = translator(options.get('language'))
    paths = prepare(name, width, height, options)
    waiting_prefix = _('Next lookup in %s (%s)').split('%s')[0]
    settings_daemon = large_text() if options.get('large_text') else None
    app = e2e.App(*paths.values())
    try:
        e2e.wait_for(lambda: app.find_all(role='label', prefix=waiting_prefix), 60,
                     'the fifth file to wait for the budget')
        # Let the last verdicts and their rows settle (the toast for the blocked file stays:
        # a batch does not leave the list for a block).
        time.sleep(2)
        e2e.screenshot(f'{name}-list.png')
        for screen in ('waiting', 'blocked', 'suspicious', 'clean', 'unknown'):
            if only and only not in screen:
                continue
            e2e.activate_action('show-check', e2e.sha256_of(paths[screen]))
            time.sleep(1.5)
            e2e.screenshot(f'{name}-{screen}.png')
            if screen == 'blocked':
                # Further down: the report and the engine table.
                scroll_down(12)
                e2e.screenshot(f'{name}-blocked-report.png')
                scroll_down(20)
                e2e.screenshot(f'{name}-blocked-engines.png')
    except Exception:
        app.dump_log()
        raise
    finally:
        app.stop()
        if settings_daemon is not None:
            settings_daemon.terminate()
            settings_daemon.wait(10)


def main():
    only = os.environ.get('SCREENS_ONLY', '')
    screens_only = os.environ.get('SCREENS_SCREEN', '')
    failed = 0
    for name, width, height, options in VARIANTS:
        if only and only not in name:
            continue
        try:
            shoot(name, width, height, options, screens_only)
        except Exception:
            import traceback
            traceback.print_exc(file=sys.stdout)
            failed += 1
    print(f'screenshots in {e2e.SCREENSHOT_DIR}')
    return 1 if failed else 0


sys.exit(main())
