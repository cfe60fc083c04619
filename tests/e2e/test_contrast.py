# test_contrast.py: the file facts' names and values are legible: WCAG AA contrast (4.5:1 for
# text this size), measured on the screen's pixels in the light and the dark style
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later

import collections
import os
import subprocess

import cfe2e as e2e

AA_NORMAL_TEXT = 4.5


def linear(channel):
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb):
    r, g, b = rgb
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pixels(png, x, y, width, height):
    text = subprocess.run(['convert', png, '-crop', f'{width}x{height}+{x}+{y}', '+repage',
                           '-depth', '8', 'txt:-'], capture_output=True, text=True, check=True).stdout
    found = []
    for line in text.splitlines()[1:]:
        values = line.split('(', 1)[1].split(')', 1)[0].split(',')[:3]
        found.append(tuple(int(float(v)) for v in values))
    return found


def text_contrast(png, node):
    """The contrast of a label's text with what is behind it: its most common pixel is the
    background, the one farthest from it in luminance the text's own colour."""
    x, y = node.position
    width, height = node.size
    found = pixels(png, x, y, width, height)
    background = collections.Counter(found).most_common(1)[0][0]
    text = max(found, key=lambda p: abs(luminance(p) - luminance(background)))
    return contrast(text, background), text, background


def fact_labels(app, title):
    """The name and the value label of a file fact row."""
    row = app.wait(role='list item', name=title)
    labels = [n for n in e2e.walk(row) if n.roleName == 'label']
    name = next(n for n in labels if n.name == title)
    value = next(n for n in labels if n.name != title)
    return name, value


def test():
    script = e2e.make_script('dim-or-not.sh', os.path.join(e2e.TEST_DIR, 'ran'),
                             extra=e2e.EICAR + ' contrast')
    e2e.register(script, 'eicar')

    for style in ('light', 'dark'):
        e2e.write_settings(window_height='760')
        with open(e2e.settings_file()) as f:
            keyfile = f.read()
        scheme = "'prefer-dark'" if style == 'dark' else "'default'"
        keyfile = keyfile.replace('toolkit-accessibility=true\n',
                                  f'toolkit-accessibility=true\ncolor-scheme={scheme}\n', 1)
        with open(e2e.settings_file(), 'w') as f:
            f.write(keyfile)

        app = e2e.App(script)
        try:
            app.wait(role='label', prefix='Flagged by')
            rows = [fact_labels(app, title) for title in ('Name', 'Type', 'Threat')]
            shot = e2e.screenshot(f'contrast-{style}.png')
            for name, value in rows:
                for node in (name, value):
                    ratio, text, background = text_contrast(shot, node)
                    e2e.log(f'{style}: {node.name!r}: {text} on {background}: {ratio:.2f}:1')
                    assert ratio >= AA_NORMAL_TEXT, \
                        f'{style}: {node.name!r} has a contrast of {ratio:.2f}:1, below 4.5:1'
            # The style really is the one asked for.
            _, _, background = text_contrast(shot, rows[0][0])
            assert (luminance(background) > 0.5) == (style == 'light'), (style, background)
        except Exception:
            app.dump_log()
            raise
        finally:
            app.stop()


e2e.run(test)
