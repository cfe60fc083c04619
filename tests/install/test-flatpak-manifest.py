#!/usr/bin/python3
# test-flatpak-manifest.py: checks that the Flatpak manifest agrees with the rest of the project
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-flatpak-manifest.py MANIFEST DESKTOP_IN METAINFO_IN

import json
import os
import sys
import xml.etree.ElementTree as ElementTree

REQUIRED_FINISH_ARGS = [
    "--share=network",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--talk-name=org.freedesktop.Notifications",
    "--talk-name=org.freedesktop.secrets",
]


def desktop_id(path):
    name = os.path.basename(path)
    for suffix in (".in", ".desktop"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def metainfo_id(path):
    return ElementTree.parse(path).getroot().findtext("id", default="").strip()


def main(argv):
    if len(argv) != 4:
        print(f"usage: {argv[0]} MANIFEST DESKTOP_IN METAINFO_IN", file=sys.stderr)
        return 64

    manifest_path, desktop_path, metainfo_path = argv[1:]
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)

    problems = []

    # flatpak-builder takes either spelling of the id.
    app_id = manifest.get("id", manifest.get("app-id"))
    for what, other in (("desktop file", desktop_id(desktop_path)),
                        ("metainfo", metainfo_id(metainfo_path))):
        if app_id != other:
            problems.append(f"the manifest's id {app_id!r} is not the {what}'s {other!r}")

    if manifest.get("command") != "check-first":
        problems.append(f"command is {manifest.get('command')!r}, not 'check-first'")

    finish_args = manifest.get("finish-args", [])
    for arg in REQUIRED_FINISH_ARGS:
        if arg not in finish_args:
            problems.append(f"finish-args lack {arg}")

    modules = manifest.get("modules", [])
    if not modules:
        problems.append("there are no modules")
    else:
        app = modules[-1]
        if not isinstance(app, dict):
            problems.append("the last module is not written inline")
        else:
            if app.get("buildsystem") != "meson":
                problems.append(f"the last module is built with {app.get('buildsystem')!r}, not meson")
            # The project itself sits one folder above the manifest.
            manifest_dir = os.path.dirname(os.path.abspath(manifest_path))
            project_dir = os.path.dirname(manifest_dir)
            dirs = [s for s in app.get("sources", [])
                    if s.get("type") == "dir"
                    and os.path.normpath(os.path.join(manifest_dir, s.get("path", ""))) == project_dir]
            if not dirs:
                problems.append("the last module does not build the project's own folder")

    for problem in problems:
        print(f"not ok: {problem}", file=sys.stderr)
    if not problems:
        print(f"{manifest_path}: id {app_id}, command check-first, built from the project folder")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
