# cfservice.py: what the service tests need: the service on the session bus, its calls, its signals
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run by tests/e2e/run-e2e.sh (E2E_TESTS_DIR=tests/service) inside a private session whose bus
# starts Check First when its name is called, as a desktop's bus does.

import os
import re
import signal
import subprocess


import gi
gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib  # noqa: E402

import cfe2e as e2e  # noqa: E402

NAME = e2e.APP_ID
PATH = '/io/github/checkfirst/CheckFirst'
IFACE = 'io.github.checkfirst.CheckFirst1'
JOB_IFACE = IFACE + '.Job'

BUS = Gio.bus_get_sync(Gio.BusType.SESSION, None)


def pump():
    """Lets the signals that arrived reach their subscribers."""
    context = GLib.MainContext.default()
    while context.iteration(False):
        pass


def wait_for(predicate, timeout=30, what='condition'):
    def pumped():
        pump()
        return predicate()
    return e2e.wait_for(pumped, timeout, what)


def activation_environment(**extra):
    """What the bus gives Check First when it starts it: this test's folders and the fake
    server, as a desktop session's bus has the session's environment."""
    names = ['DISPLAY', 'GDK_BACKEND', 'HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME',
             'XDG_RUNTIME_DIR', 'XDG_DATA_DIRS', 'GSETTINGS_SCHEMA_DIR', 'GSETTINGS_BACKEND',
             'VT_API_KEY', 'CHECK_FIRST_API_URL', 'GSK_RENDERER', 'GTK_A11Y', 'LC_ALL', 'no_proxy',
             'NO_PROXY',
             # The sanitizer build's settings, so that its service stops at the first error too.
             'ASAN_OPTIONS', 'UBSAN_OPTIONS']
    env = {name: os.environ[name] for name in names if name in os.environ}
    if e2e.NOTIFY_GUARD:
        env['LD_PRELOAD'] = e2e.NOTIFY_GUARD
    env.update(extra)
    BUS.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                  'UpdateActivationEnvironment', GLib.Variant('(a{ss})', (env,)), None,
                  Gio.DBusCallFlags.NONE, -1, None)


def gdbus(method, *args, path=PATH, interface=IFACE):
    """`gdbus call` of @method, as a script would call it: (exit status, stdout, stderr)."""
    result = subprocess.run(['gdbus', 'call', '--session', '--dest', NAME, '--object-path', path,
                             '--method', f'{interface}.{method}', *args],
                            capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout, result.stderr


def call(method, signature, *args, path=PATH, interface=IFACE, timeout=60):
    """A call through GDBus, its reply unpacked."""
    reply = BUS.call_sync(NAME, path, interface, method,
                          GLib.Variant(signature, args) if signature else None, None,
                          Gio.DBusCallFlags.NONE, timeout * 1000, None)
    return reply.unpack() if reply is not None else None


def owner_pid():
    """The process that owns the name, or None."""
    try:
        reply = BUS.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                              'GetConnectionUnixProcessID', GLib.Variant('(s)', (NAME,)), None,
                              Gio.DBusCallFlags.NONE, -1, None)
    except GLib.Error:
        return None
    return reply.unpack()[0]


def start():
    """Starts the service the way the file manager does: by calling it."""
    call('ListRecent', '(u)', 1)
    return wait_for(owner_pid, 30, 'the service on the bus')


def stop(sig=signal.SIGTERM):
    pid = owner_pid()
    if pid is None:
        return
    os.kill(pid, sig)
    e2e.wait_for(lambda: not e2e.bus_has_name(NAME), 20, 'the service to leave the bus')


class Verdicts:
    """Every VerdictChanged the service emits, from now on."""

    def __init__(self):
        self.seen = []
        self.subscription = BUS.signal_subscribe(NAME, IFACE, 'VerdictChanged', PATH, None,
                                                 Gio.DBusSignalFlags.NONE, self._on_signal)

    def _on_signal(self, connection, sender, path, interface, name, parameters):
        self.seen.append(parameters.unpack())

    def for_uri(self, uri):
        pump()
        return [verdict for seen_uri, verdict in self.seen if seen_uri == uri]

    def wait(self, uri, status=None, timeout=60):
        def found():
            matches = [v for v in self.for_uri(uri) if status is None or v.get('status') == status]
            return matches[-1] if matches else None
        return wait_for(found, timeout, f'a verdict ({status or "any"}) for {uri}')

    def close(self):
        BUS.signal_unsubscribe(self.subscription)


def uri_of(path):
    return Gio.File.new_for_path(path).get_uri()


def downloads():
    path = os.path.join(os.environ['HOME'], 'Downloads')
    os.makedirs(path, exist_ok=True)
    return path


def notification_ids():
    """(id, record) for each Notify the mock answered: ids count up from 1, and a
    replacement keeps the id it replaces."""
    next_id = 1
    answered = []
    for record in e2e.notifications():
        replaces = int(re.match(r'\S+ Notify "[^"]*" (\d+) ', record).group(1))
        if replaces:
            answered.append((replaces, record))
        else:
            answered.append((next_id, record))
            next_id += 1
    return answered


def click_notification_button(title, label):
    """Clicks a button of the newest notification titled @title, as a person would in the
    notification daemon: it says which action was invoked."""
    for notification_id, record in reversed(notification_ids()):
        if f'"{title}"' not in record:
            continue
        actions = re.search(r'\[(.*?)\] \{', record, re.S).group(1)
        pairs = re.findall(r'"((?:[^"\\]|\\.)*)"', actions)
        keys = dict(zip(pairs[1::2], pairs[0::2]))
        assert label in keys, f'no {label!r} button on {title!r}: {keys}'
        BUS.call_sync('org.freedesktop.Notifications', '/org/freedesktop/Notifications',
                      'org.freedesktop.DBus.Mock', 'EmitSignal',
                      GLib.Variant('(sssav)', ('org.freedesktop.Notifications', 'ActionInvoked', 'us',
                                               [GLib.Variant('u', notification_id),
                                                GLib.Variant('s', keys[label])])),
                      None, Gio.DBusCallFlags.NONE, -1, None)
        return
    raise AssertionError(f'no notification titled {title!r}')


def wait_notification(title, timeout=30):
    return e2e.wait_for(lambda: next((r for r in e2e.notifications() if f'"{title}"' in r), None),
                        timeout, f'a notification titled {title!r}')


def write_file(path, content, mode=0o644):
    with open(path, 'wb') as f:
        f.write(content.encode() if isinstance(content, str) else content)
    os.chmod(path, mode)
    return path


class ServiceWindow(e2e.App):
    """The window the service opens in its own process, over AT-SPI."""

    def __init__(self, pid):
        self.process = type('Process', (), {'pid': pid})()
        self.log_path = os.path.join(e2e.TEST_DIR, 'service-window.log')
        self.node = e2e.wait_for(self._find_application, 30, 'the service on the accessibility bus')
        try:
            self.node.set_cache_mask(e2e.Atspi.Cache.NONE)
        except Exception:
            pass

    def stop(self):
        """The service goes with the test (cfservice.run)."""


def run(test):
    """Runs @test, then stops the service whatever happened."""
    def wrapped():
        try:
            test()
        finally:
            stop()
    e2e.run(wrapped)


