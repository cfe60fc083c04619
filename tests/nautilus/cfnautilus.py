# cfnautilus.py: what the file-manager tests need: real Nautilus with the built extension, the service file
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run by tests/e2e/run-e2e.sh (E2E_TESTS_DIR=tests/nautilus) inside a private session whose bus
# starts Check First when its name is called.

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'service'))

import cfe2e as e2e  # noqa: E402
import cfservice as svc  # noqa: E402
from gi.repository import Gio, GLib  # noqa: E402

SERVICE_FILE = os.path.join(os.environ['E2E_WORK'], 'dbus-services', e2e.APP_ID + '.service')


def set_service_installed(installed):
    """Takes Check First's D-Bus service file away from the bus (as if it were not installed),
    or puts it back."""
    aside = os.path.join(os.environ['E2E_WORK'], e2e.APP_ID + '.service.aside')
    if installed:
        os.rename(aside, SERVICE_FILE)
    else:
        os.rename(SERVICE_FILE, aside)
    svc.BUS.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                      'ReloadConfig', None, None, Gio.DBusCallFlags.NONE, -1, None)


def write_desktop_settings(**nautilus):
    """The app's settings, and the file manager's: the list view with the VirusTotal column, and
    an indexer that indexes nothing (Nautilus starts it)."""
    e2e.write_settings()
    with open(e2e.settings_file(), 'a') as f:
        f.write("\n[org/gnome/nautilus/preferences]\ndefault-folder-viewer='list-view'\n")
        f.write("\n[org/gnome/nautilus/list-view]\n"
                "default-visible-columns=['name', 'size', 'check_first_virustotal']\n")
        f.write("\n[org/gnome/nautilus/window-state]\ninitial-size=(960, 400)\n")
        f.write("\n[org/freedesktop/tracker/miner/files]\nindex-recursive-directories=@as []\n"
                "index-single-directories=@as []\nenable-monitors=false\ncrawling-interval=-2\n")


class Nautilus:
    """Real Nautilus, which loads extensions from the one folder it was built with: it runs in a
    mount namespace of its own, where that folder is a folder holding the built extension (and
    nothing else). Nothing outside the namespace changes. A sanitizer build gives it the same
    extension built without sanitizers (src/nautilus/meson.build says why)."""

    def __init__(self, *args):
        self.extensions = os.path.join(e2e.TEST_DIR, 'nautilus-extensions')
        os.makedirs(self.extensions, exist_ok=True)
        module = os.environ['NAUTILUS_MODULE_FOR_NAUTILUS']
        os.symlink(module, os.path.join(self.extensions, os.path.basename(module)))
        env = dict(os.environ)
        env.pop('LD_PRELOAD', None)
        # As root, a mount namespace; otherwise a user namespace that maps us to ourselves (a
        # chroot allows only the first).
        if os.getuid() == 0:
            unshare = ['unshare', '--mount', '--propagation', 'private']
        else:
            unshare = ['unshare', '--map-current-user', '--keep-caps', '--mount', '--propagation',
                       'private']
        self.log_path = os.path.join(e2e.TEST_DIR, 'nautilus.log')
        self.log_file = open(self.log_path, 'w')
        self.process = subprocess.Popen(
            unshare + ['sh', '-c', 'mount --bind "$1" "$2" && shift 2 && exec nautilus "$@"', 'sh',
                       self.extensions, os.environ['NAUTILUS_SYSTEM_EXTENSION_DIR'], *args],
            stdout=self.log_file, stderr=subprocess.STDOUT, env=env)
        try:
            self.node = e2e.wait_for(self._find, 60, 'Nautilus on the accessibility bus')
        except AssertionError:
            self.stop()
            self.dump_log()
            raise
        try:
            self.node.set_cache_mask(e2e.Atspi.Cache.NONE)
        except Exception:
            pass

    def _find(self):
        for app in e2e.tree.root.children:
            try:
                if app.get_process_id() == self.process.pid:
                    return app
            except Exception:
                continue
        assert self.process.poll() is None, f'Nautilus exited with {self.process.returncode}'
        return None

    def find_all(self, role=None, name=None):
        found = []
        for node in e2e.walk(self.node):
            try:
                if (role is None or node.roleName == role) and (name is None or node.name == name):
                    found.append(node)
            except Exception:
                continue
        return found

    def row_of(self, file_name):
        """The list view's row of @file_name: its cells' texts, and how many emblems it shows."""
        for row in self.find_all(role='table row'):
            texts = [n.name for n in e2e.walk(row) if n.roleName == 'label']
            if file_name in texts:
                # The name cell: the icon, then the name with its box of emblems.
                label = next(n for n in e2e.walk(row) if n.roleName == 'label' and n.name == file_name)
                box = label.parent.get_child_at_index(label.get_index_in_parent() + 1)
                emblems = [n for n in e2e.walk(box) if n.roleName == 'image'] if box else []
                return texts, len(emblems)
        return None

    def column_of(self, file_name):
        row = self.row_of(file_name)
        return row[0][-1] if row else None

    def context_menu_items(self):
        """Opens the selection's context menu (the view's popup-menu action, as Shift+F10 does)
        and returns its items."""
        view = e2e.wait_for(lambda: next(iter(self.find_all(name='Content View')), None), 20,
                            'the folder view')
        view.doActionNamed('view.popup-menu')
        return e2e.wait_for(lambda: [n for n in self.find_all(role='menu item') if n.visible], 10,
                            'the context menu')

    def screenshot(self, name, title):
        """The Nautilus window titled @title (its folder's name), as the screen shows it."""
        os.makedirs(e2e.SCREENSHOT_DIR, exist_ok=True)
        path = os.path.join(e2e.SCREENSHOT_DIR, name)
        tree_text = subprocess.run(['xwininfo', '-root', '-tree'], capture_output=True,
                                   text=True).stdout
        # The biggest top-level window of that title: GTK also makes small helper windows.
        best = None
        for line in tree_text.splitlines():
            match = re.match(r'\s*(0x[0-9a-f]+) "' + re.escape(title) + r'".*?(\d+)x(\d+)\+', line)
            if match and (best is None or int(match[2]) * int(match[3]) > best[1]):
                best = (match[1], int(match[2]) * int(match[3]))
        assert best, f'no window titled {title!r}'
        subprocess.run(['import', '-window', best[0], path], check=True)
        e2e.log('screenshot', path)
        return path

    def dump_log(self):
        for line in e2e.read_lines(self.log_path):
            e2e.log('nautilus:', line)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log_file.closed:
            self.log_file.close()


__all__ = ['e2e', 'svc', 'GLib', 'Gio', 'Nautilus', 'set_service_installed', 'write_desktop_settings']
