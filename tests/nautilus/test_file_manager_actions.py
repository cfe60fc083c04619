# test_file_manager_actions.py: Nemo's action and Dolphin's service menu, their command lines run as those file managers run them
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Each file names the installed script; here the built one stands in for it, with the selection
# where %F is, one argument a file, as Nemo (Quote=double) and Dolphin pass them.

import os
import shlex
import subprocess

from cfnautilus import GLib, e2e, set_service_installed, svc

SCRIPT = os.environ['CHECK_FILES_SCRIPT']
INSTALLED = os.environ['INSTALLED_CHECK_FILES_SCRIPT']


def exec_line(path, group):
    keyfile = GLib.KeyFile()
    keyfile.load_from_file(path, GLib.KeyFileFlags.NONE)
    return keyfile.get_string(group, 'Exec')


def command_for(exec_value, files):
    """The argument vector the file manager runs for @files."""
    argv = shlex.split(exec_value)
    assert argv[0] == INSTALLED, argv
    assert argv.count('%F') == 1, argv
    at = argv.index('%F')
    return [SCRIPT] + argv[1:at] + list(files) + argv[at + 1:]


def run(command):
    return subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env=e2e.app_environment())


class Jobs:
    """The service's jobs, from their Progress signals: path → the files it counts."""

    def __init__(self):
        self.totals = {}
        self.subscription = svc.BUS.signal_subscribe(svc.NAME, svc.JOB_IFACE, 'Progress', None, None,
                                                     svc.Gio.DBusSignalFlags.NONE, self._on_progress)

    def _on_progress(self, connection, sender, path, interface, name, parameters):
        self.totals[path] = parameters.unpack()[1]

    def cancel_all(self):
        for path in self.totals:
            svc.call('Cancel', None, path=path, interface=svc.JOB_IFACE)

    def close(self):
        svc.BUS.signal_unsubscribe(self.subscription)


def test():
    e2e.fake_vt('reset')
    e2e.write_settings()
    svc.activation_environment()
    verdicts = svc.Verdicts()

    folder = os.path.join(e2e.TEST_DIR, 'Some Folder')
    odd = os.path.join(e2e.TEST_DIR, 'names')
    os.makedirs(folder)
    os.makedirs(odd)
    eicar = svc.write_file(os.path.join(odd, 'it\'s "EICAR" $(no) & ünïcode\n.com'), e2e.EICAR)
    clean = svc.write_file(os.path.join(odd, 'report 2026.pdf'), 'a clean report\n')
    inside = svc.write_file(os.path.join(folder, 'inside.txt'), 'in the folder\n')
    e2e.register(eicar, 'eicar')
    e2e.register(clean, 'clean')
    e2e.register(inside, 'clean')

    # Nemo: two files and a folder; the command returns at once, the service does the rest.
    nemo = exec_line(os.environ['NEMO_ACTION'], 'Nemo Action')
    result = run(command_for(nemo, [eicar, clean, folder]))
    assert result.returncode == 0, result
    assert verdicts.wait(svc.uri_of(eicar), 'detected')['path'] == eicar
    assert verdicts.wait(svc.uri_of(clean), 'clean')['path'] == clean
    verdicts.wait(svc.uri_of(inside), 'clean')
    svc.wait_notification('Blocked: it\'s "EICAR" $(no) & ünïcode\n.com')

    # Dolphin: the same script, from its service menu's action.
    kde = GLib.KeyFile()
    kde.load_from_file(os.environ['KDE_SERVICE_MENU'], GLib.KeyFileFlags.NONE)
    action = kde.get_string_list('Desktop Entry', 'Actions')[0]
    dolphin = exec_line(os.environ['KDE_SERVICE_MENU'], f'Desktop Action {action}')
    again = svc.write_file(os.path.join(odd, 'again.txt'), 'checked from Dolphin\n')
    result = run(command_for(dolphin, [again]))
    assert result.returncode == 0, result
    verdicts.wait(svc.uri_of(again), 'unknown')

    # A selection too large for one argument: several calls, every file in one of them.
    jobs = Jobs()
    many_dir = os.path.join(e2e.TEST_DIR, 'many')
    os.makedirs(many_dir)
    many = [svc.write_file(os.path.join(many_dir, f'{"a long name " * 6}{i:04}.txt'), f'{i}\n')
            for i in range(2500)]
    e2e.fake_vt('fault', spec='always:slow:2000')
    result = run(command_for(nemo, many))
    assert result.returncode == 0, result
    svc.wait_for(lambda: sum(jobs.totals.values()) == len(many), 60, 'jobs for all 2500 files')
    assert len(jobs.totals) >= 2, jobs.totals
    jobs.cancel_all()
    e2e.fake_vt('clear-faults')
    jobs.close()

    # Check First cannot be reached: the person is told, on the desktop and on standard error.
    svc.stop()
    set_service_installed(False)
    try:
        result = run(command_for(nemo, [clean]))
    finally:
        set_service_installed(True)
    assert result.returncode == 1, result
    assert 'Check First could not be reached' in result.stderr, result.stderr
    record = svc.wait_notification('The files were not checked')
    assert 'Check First could not be reached: The name io.github.checkfirst.CheckFirst was not provided' \
        in record, record

    # No file at all: a usage error.
    result = run([SCRIPT])
    assert result.returncode == 64 and 'usage' in result.stderr, result
    verdicts.close()


svc.run(test)
