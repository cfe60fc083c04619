# drag-source.py: a window that drags files, as a file manager would, for test_drop.py
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: drag-source.py FILE...   The whole window is the drag source.

import sys

import gi

gi.require_version('Gtk', '4.0')
gi.require_version('Gdk', '4.0')
from gi.repository import Gdk, Gio, GLib, GObject, Gtk  # noqa: E402


def on_prepare(source, x, y, files):
    file_list = Gdk.FileList.new_from_list([Gio.File.new_for_path(p) for p in files])
    value = GObject.Value(Gdk.FileList, file_list)
    return Gdk.ContentProvider.new_for_value(value)


def on_activate(app):
    window = Gtk.ApplicationWindow(application=app, title='Drag Source')
    window.set_default_size(1280, 800)
    label = Gtk.Label(label='Files to drag')
    source = Gtk.DragSource(actions=Gdk.DragAction.COPY)
    source.connect('prepare', on_prepare, sys.argv[1:])
    label.add_controller(source)
    window.set_child(label)
    window.present()


app = Gtk.Application(application_id='io.github.checkfirst.DragSource',
                      flags=Gio.ApplicationFlags.NON_UNIQUE)
app.connect('activate', on_activate)
app.run([sys.argv[0]])
