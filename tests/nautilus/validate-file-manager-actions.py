#!/usr/bin/python3
# validate-file-manager-actions.py: the Nemo action and the Dolphin service menu, as those file managers read them
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: validate-file-manager-actions.py NEMO_ACTION KDE_SERVICE_MENU SCRIPT
#
# Both are key files.  The service menu is a desktop entry of KDE's own type
# ("Service"), so desktop-file-validate checks it, and the only complaints
# allowed are the ones about that type, which the specification does not
# know.  The Nemo action is no desktop entry: its keys are checked here,
# as Nemo reads them.  Both must run SCRIPT (where it is installed) with the
# files' paths, and be translated.

import shlex
import subprocess
import sys

import gi
gi.require_version('GLib', '2.0')
from gi.repository import GLib  # noqa: E402

# What desktop-file-validate says of any KDE service menu: Type=Service, and
# its MIME type for every file and folder.
KDE_ONLY = [
    'value "all/all;" for key "MimeType" in group "Desktop Entry" contains value "all/all" which is '
    'an invalid MIME type: "all" is an unregistered media type',
    'key "MimeType" is present in group "Desktop Entry", but the type is "Service" while this key '
    'is only valid for type "Application"',
    'key "Actions" is present in group "Desktop Entry", but the type is "Service" while this key '
    'is only valid for type "Application"',
]

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def load(path):
    keyfile = GLib.KeyFile()
    keyfile.load_from_file(path, GLib.KeyFileFlags.KEEP_TRANSLATIONS)
    return keyfile


def check_exec(what, command, script):
    argv = shlex.split(command)
    check(argv == [script, '%F'], f'{what}: Exec runs {argv}, not [{script!r}, "%F"]')


def validate_nemo(path, script):
    action = load(path)
    group = 'Nemo Action'
    check(action.get_groups()[0] == [group], f'{path}: the only group must be [{group}]')
    for key, wanted in (('Selection', 'notnone'), ('Quote', 'double')):
        check(action.get_string(group, key) == wanted, f'{path}: {key} is not {wanted}')
    check(action.get_string_list(group, 'Extensions') == ['any'], f'{path}: Extensions is not any;')
    check('gdbus' in action.get_string_list(group, 'Dependencies'), f'{path}: gdbus is not a dependency')
    check(action.get_string(group, 'Icon-Name') == 'io.github.checkfirst.CheckFirst', f'{path}: icon')
    check_exec(path, action.get_string(group, 'Exec'), script)
    check(action.get_string(group, 'Name') == 'Check with Check First', f'{path}: Name')
    check(action.get_locale_string(group, 'Name', 'de') == 'Mit Check First prüfen', f'{path}: Name[de]')
    check(action.get_locale_string(group, 'Comment', 'de') != action.get_string(group, 'Comment'),
          f'{path}: Comment[de]')


def validate_kde(path, script):
    result = subprocess.run(['desktop-file-validate', path], capture_output=True, text=True)
    for line in (result.stdout + result.stderr).splitlines():
        message = line.split(': ', 1)[1] if ': ' in line else line
        message = message.removeprefix('error: ').removeprefix('(will be fatal in the future): ')
        check(message in KDE_ONLY, f'desktop-file-validate: {line}')
    menu = load(path)
    entry = 'Desktop Entry'
    check(menu.get_string(entry, 'Type') == 'Service', f'{path}: Type is not Service')
    check(menu.get_string(entry, 'X-KDE-ServiceTypes') == 'KonqPopupMenu/Plugin', f'{path}: service type')
    check(menu.get_string(entry, 'X-KDE-Protocols') == 'file', f'{path}: not for local files only')
    actions = menu.get_string_list(entry, 'Actions')
    check(len(actions) == 1, f'{path}: one action, not {actions}')
    group = f'Desktop Action {actions[0]}'
    check_exec(path, menu.get_string(group, 'Exec'), script)
    check(menu.get_string(group, 'Name') == 'Check with Check First', f'{path}: Name')
    check(menu.get_locale_string(group, 'Name', 'de') == 'Mit Check First prüfen', f'{path}: Name[de]')


def main(argv):
    if len(argv) != 4:
        print(f'usage: {argv[0]} NEMO_ACTION KDE_SERVICE_MENU SCRIPT', file=sys.stderr)
        return 64
    nemo, kde, script = argv[1:]
    validate_nemo(nemo, script)
    validate_kde(kde, script)
    for problem in problems:
        print(f'not ok: {problem}', file=sys.stderr)
    if not problems:
        print(f'ok: {nemo} and {kde} run {script} %F')
    return 1 if problems else 0


sys.exit(main(sys.argv))
