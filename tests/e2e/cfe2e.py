# cfe2e.py: what every end-to-end test needs: the app, its window over AT-SPI, the fake server
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run by run-e2e.sh inside a private session; see docs/desktop-testing.md.

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from dogtail import config as dogtail_config

# dogtail reads org.gnome.desktop.interface toolkit-accessibility, which the
# harness sets in this test's keyfile; its logs go beside the test's files.
dogtail_config.checkForA11y = False
dogtail_config.logDebugToFile = False
dogtail_config.logDebugToStdOut = False
dogtail_config.logDir = os.environ['E2E_TEST_DIR']

from dogtail import tree  # noqa: E402
from gi.repository import Atspi  # noqa: E402

APP_ID = 'io.github.checkfirst.CheckFirst'
APP_BIN = os.environ['CHECK_FIRST_BIN']
# Preloaded into every run of the app: it stops the app at a notify::
# connection that names no property (tests/notify-guard/).
NOTIFY_GUARD = os.environ.get('NOTIFY_GUARD', '')
FAKE_VT_URL = os.environ['FAKE_VT_URL']
TEST_DIR = os.environ['E2E_TEST_DIR']
NOTIFICATIONS_LOG = os.environ['NOTIFICATIONS_LOG']
RECORDER_LOG = os.environ['RECORDER_LOG']
SELF_LAUNCH_LOG = os.environ['SELF_LAUNCH_LOG']
SCREENSHOT_DIR = os.environ['SCREENSHOT_DIR']

EICAR = r'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'


def log(*args):
    print('#', *args, flush=True)


def wait_for(predicate, timeout=30, what='condition'):
    """Polls @predicate until it returns something true, or fails after @timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except Exception as error:  # a node that went away while we looked
            value = None
            last_error = error
        else:
            last_error = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f'timed out after {timeout} s waiting for {what}'
                                 + (f' (last error: {last_error})' if last_error else ''))
        time.sleep(0.2)


# Files and the fake server

def make_file(name, content, executable=False):
    path = os.path.join(TEST_DIR, name)
    with open(path, 'w') as f:
        f.write(content)
    if executable:
        os.chmod(path, 0o755)
    return path


def make_script(name, marker, extra=''):
    """A shell script that, when run, writes @marker."""
    return make_file(name, f'#!/bin/sh\n# {extra}\necho ran > "{marker}"\n', executable=True)


def sha256_of(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def fake_vt(endpoint, method='POST', **query):
    url = f'{FAKE_VT_URL}/_fake/{endpoint}'
    if query:
        url += '?' + urllib.parse.urlencode(query)
    request = urllib.request.Request(url, method=method, data=b'' if method == 'POST' else None)
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read().decode() or '{}')


def register(path, verdict):
    """Tells the fake server what VirusTotal knows about the file at @path."""
    fake_vt('register', path=path, verdict=verdict)


def fake_stats():
    return fake_vt('stats', method='GET')


# Settings, through the keyfile backend the harness selects

def settings_file():
    return os.path.join(os.environ['XDG_CONFIG_HOME'], 'glib-2.0', 'settings', 'keyfile')


def write_settings(**keys):
    """Writes the app's settings before it starts; values are GVariant text."""
    values = {'api-plan': "'premium'", 'upload-policy': "'never'"}
    values.update({k.replace('_', '-'): v for k, v in keys.items()})
    os.makedirs(os.path.dirname(settings_file()), exist_ok=True)
    with open(settings_file(), 'w') as f:
        f.write('[org/gnome/desktop/interface]\ntoolkit-accessibility=true\n\n')
        f.write('[io/github/checkfirst/CheckFirst]\n')
        for key, value in values.items():
            f.write(f'{key}={value}\n')


def gsettings_set(key, value):
    """Changes a setting while the app runs, as the Preferences window would."""
    subprocess.run(['gsettings', 'set', APP_ID, key, value], check=True)


# The app and its window

def notifications():
    """Each Notify call the mock logged, as one string (a body's new lines kept: a
    record ends where the next one's time stamp starts a line)."""
    try:
        with open(NOTIFICATIONS_LOG) as f:
            records = re.split(r'\n(?=\d+\.\d+ )', f.read())
    except FileNotFoundError:
        return []
    return [record for record in records if ' Notify ' in record]


def read_lines(path):
    try:
        with open(path) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def walk(node, last_first=False):
    """@node and everything under it, depth first; @last_first visits each node's last
    child first (a toast is the last child of the window's overlay)."""
    yield node
    try:
        count = node.get_child_count()
    except Exception:
        return
    for i in (reversed(range(count)) if last_first else range(count)):
        try:
            child = node.get_child_at_index(i)
        except Exception:
            continue
        if child is not None:
            yield from walk(child, last_first)


class App:
    def __init__(self, *args, command=None, env=None):
        """Starts the app with @args; @command replaces the built binary (the README's
        run command, say), and @env the environment."""
        self.log_path = os.path.join(TEST_DIR, 'app.log')
        self.log_file = open(self.log_path, 'a')
        # The README's command builds with its own tools: only the app gets the guard.
        self.process = subprocess.Popen([command or APP_BIN, *args], stdout=self.log_file,
                                        stderr=subprocess.STDOUT,
                                        env=env if command else app_environment(env))
        try:
            self.node = wait_for(self._find_application, 30, 'the app on the accessibility bus')
        except AssertionError:
            log('exit status:', self.process.poll())
            self.log_file.flush()
            self.dump_log()
            raise
        # GTK 4 has no AT-SPI cache: ask the app itself each time, never a stale copy.
        try:
            self.node.set_cache_mask(Atspi.Cache.NONE)
        except Exception:
            pass

    def _find_application(self):
        for app in tree.root.children:
            try:
                if app.get_process_id() == self.process.pid:
                    return app
            except Exception:
                continue
        return None

    def windows(self):
        return [w for w in self.node.children if w.roleName in ('frame', 'window', 'dialog')]

    def main_window(self):
        return wait_for(lambda: next((w for w in self.windows()
                                      if w.name == 'Check First'), None),
                        20, 'the main window')

    def find_all(self, role=None, name=None, prefix=None, contains=None):
        return list(self.find_each(role, name, prefix, contains))

    def find_each(self, role=None, name=None, prefix=None, contains=None, last_first=False):
        """The nodes that match, one by one as the walk finds them."""
        for node in walk(self.node, last_first):
            try:
                if role is not None and node.roleName != role:
                    continue
                node_name = node.name or ''
                if name is not None and node_name != name:
                    continue
                if prefix is not None and not node_name.startswith(prefix):
                    continue
                if contains is not None and contains not in node_name:
                    continue
            except Exception:
                continue
            yield node

    def wait(self, timeout=30, **query):
        """The first node that matches @query, as soon as the walk reaches it: a toast
        lives five seconds, and a whole walk of a big page can take longer than that in the
        sanitizer build."""
        what = ', '.join(f'{k}={v!r}' for k, v in query.items())
        return wait_for(lambda: next(self.find_each(**query), None), timeout, what)

    def labels(self):
        return [n.name for n in self.find_all(role='label')]

    def click(self, name, role='push button', timeout=20):
        """Clicks the first control named @name that has a click action (a GtkMenuButton
        shows as a button without one, around the button that has it)."""
        def clickable():
            for node in self.find_all(role=role, name=name):
                try:
                    if 'click' in node.actions:
                        return node
                except Exception:
                    continue
            return None
        button = wait_for(clickable, timeout, f'a {role} named {name!r} to click')
        button.doActionNamed('click')
        return button

    def wait_toast(self, text, timeout=30):
        """A toast's text: looked for from the last children first, where the window's
        overlay keeps its toast, so that the walk reaches it within the toast's five
        seconds however big the page under it is."""
        return wait_for(lambda: next(self.find_each(role='label', name=text, last_first=True), None),
                        timeout, f'the toast {text!r}')

    def click_toast(self, label, timeout=20):
        """Clicks a toast's button: libadwaita 1.2 names it after its label twice
        ("Undo Undo")."""
        def clickable():
            return next((b for b in self.find_all(role='push button')
                         if b.name in (label, f'{label} {label}') and 'click' in b.actions), None)
        button = wait_for(clickable, timeout, f"the toast's {label!r} button")
        button.doActionNamed('click')
        return button

    def menu_items(self, menu_button):
        """Opens the menu of @menu_button and returns the names of the items it shows."""
        self.click(menu_button)
        wait_for(lambda: self.find_all(role='menu item'), 10, f'the menu of {menu_button!r}')
        # Items hidden with their action are not there; a popover's items never
        # say "showing" under X11, only "visible".
        return [item.name for item in self.find_all(role='menu item') if item.visible]

    def choose(self, menu_button, item):
        """Picks @item from the menu of @menu_button (a popover's place on the screen is
        unknown to AT-SPI under X11: the item's own action clicks it)."""
        shown = self.menu_items(menu_button)
        assert item in shown, f'{item!r} is not in the menu: {shown}'
        node = next(n for n in self.find_all(role='menu item', name=item) if n.visible)
        node.doActionNamed('click')

    def stop(self):
        """Quits as a person would (app.quit closes the windows), or ends the process."""
        if self.process.poll() is None:
            try:
                activate_action('quit')
                self.process.wait(10)
            except (subprocess.SubprocessError, OSError):
                pass
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()
        # The next test starts a new primary instance: wait for this one's name to go.
        wait_for(lambda: not bus_has_name(APP_ID), 10, 'the app to leave the session bus')

    def dump_log(self):
        for line in read_lines(self.log_path):
            log('app:', line)


def bus_has_name(name):
    reply = subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.freedesktop.DBus',
                            '--object-path', '/org/freedesktop/DBus',
                            '--method', 'org.freedesktop.DBus.NameHasOwner', name],
                           capture_output=True, text=True)
    return 'true' in reply.stdout


def app_environment(env=None):
    """@env (or this process's), for a run of the app: with the notify guard."""
    env = dict(os.environ if env is None else env)
    if NOTIFY_GUARD:
        env['LD_PRELOAD'] = NOTIFY_GUARD
    return env


def run_second_instance(*args):
    """`check-first FILE` while a window runs: hands the file over and exits."""
    return subprocess.run([APP_BIN, *args], capture_output=True, text=True, timeout=60,
                          env=app_environment())


def press_keys(combo, move=True):
    """Types a key combination, e.g. '<Control>f', into the window under the pointer
    (@move: put the pointer on the window first; not while a menu is open)."""
    from dogtail import rawinput
    if move:
        rawinput.absoluteMotion(200, 200)
    rawinput.keyCombo(combo)
    # Out of the way again, so that no tooltip covers the next screenshot.
    if move:
        rawinput.absoluteMotion(1279, 799)


def screenshot(name):
    """The main window as the screen shows it (there is no window manager to move it)."""
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)
    path = os.path.join(SCREENSHOT_DIR, name)
    # The biggest top-level window with our title: GTK also makes 1x1 helper windows.
    tree_text = subprocess.run(['xwininfo', '-root', '-tree'], capture_output=True,
                               text=True).stdout
    best = None
    for line in tree_text.splitlines():
        match = re.search(r'"Check First".*?(\d+)x(\d+)\+-?\d+\+-?\d+\s+\+(-?\d+)\+(-?\d+)', line)
        if match:
            width, height, x, y = map(int, match.groups())
            if best is None or width * height > best[0] * best[1]:
                best = (width, height, x, y)
    crop = ['-crop', '{}x{}+{}+{}'.format(*best), '+repage'] if best else []
    subprocess.run(['import', '-window', 'root', *crop, path], check=True)
    log('screenshot', path)
    return path


def screenshot_screen(name):
    """The whole virtual screen: dialogs sit over the main window."""
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)
    path = os.path.join(SCREENSHOT_DIR, name)
    subprocess.run(['import', '-window', 'root', path], check=True)
    log('screenshot', path)
    return path


class BusMock:
    """A D-Bus service that records what it is asked (python-dbusmock), for the
    desktop parts a test session has no real one of."""

    def __init__(self, name, path, interface, methods):
        self.name = name
        self.log = os.path.join(TEST_DIR, name + '.log')
        self.process = subprocess.Popen(['/usr/bin/python3', '-m', 'dbusmock', name, path, interface,
                                         '-l', self.log],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: bus_has_name(name), 20, f'{name} on the session bus')
        for method, in_signature in methods:
            subprocess.run(['gdbus', 'call', '--session', '--dest', name, '--object-path', path,
                            '--method', 'org.freedesktop.DBus.Mock.AddMethod',
                            '', method, in_signature, '', ''],
                           check=True, capture_output=True, timeout=30)

    def calls(self):
        return read_lines(self.log)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
        wait_for(lambda: not bus_has_name(self.name), 10, f'{self.name} to leave the bus')


def activate_action(name, parameter=None):
    """Activates one of the app's actions over D-Bus, as a notification or the shell would."""
    target = f"[<'{parameter}'>]" if parameter is not None else '[]'
    subprocess.run(['gdbus', 'call', '--session', '--dest', APP_ID,
                    '--object-path', '/' + APP_ID.replace('.', '/'),
                    '--method', 'org.gtk.Actions.Activate', name, target, '{}'],
                   check=True, capture_output=True, timeout=30)


def run(test):
    """Runs @test (a function taking nothing) and exits with its outcome."""
    try:
        test()
    except Exception:
        import traceback
        traceback.print_exc(file=sys.stdout)
        sys.exit(1)
    sys.exit(0)
