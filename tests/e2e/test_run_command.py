# test_run_command.py: the README's run command works here: it builds, talks HTTPS, shows the window
# Copyright 2026 The Check First authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# build-aux/run is what a new user types first.  This runs it as they would
# (it sets up and builds _build/ in the source tree on its first call), then
# checks a file over HTTPS against the fake server, which proves that the TLS
# backend (glib-networking) is installed, and that a certificate nobody
# vouched for is refused.

import json
import os
import ssl
import subprocess
import urllib.request

import cfe2e as e2e

RUN = os.path.join(os.environ['SOURCE_ROOT'], 'build-aux', 'run')
KEY = 'test-key'


class HttpsFake:
    """A second fake server of our own, on HTTPS, with a CA made for this run."""

    def __init__(self, *registrations):
        self.port_file = os.path.join(e2e.TEST_DIR, 'https.port')
        self.ca_file = os.path.join(e2e.TEST_DIR, 'https-ca.pem')
        args = [os.environ['FAKE_VT_BIN'], '--https', '--port', '0', '--port-file', self.port_file,
                '--ca-file', self.ca_file, '--key', KEY]
        for path, verdict in registrations:
            args += ['--register', f'{path}={verdict}']
        self.log = open(os.path.join(e2e.TEST_DIR, 'https-fake.log'), 'w')
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        e2e.wait_for(lambda: os.path.exists(self.port_file) and open(self.port_file).read().strip(),
                     30, 'the HTTPS fake server')
        port = open(self.port_file).read().split()[0]
        self.origin = f'https://127.0.0.1:{port}'
        self.api_url = f'{self.origin}/api/v3'

    def stats(self):
        context = ssl.create_default_context(cafile=self.ca_file)
        with urllib.request.urlopen(f'{self.origin}/_fake/stats', context=context,
                                    timeout=10) as reply:
            return json.loads(reply.read())

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
        self.log.close()


def run_env(fake, trust=True):
    env = dict(os.environ, VT_API_KEY=KEY, CHECK_FIRST_API_URL=fake.api_url)
    env.pop('CHECK_FIRST_CA_FILE', None)
    if trust:
        env['CHECK_FIRST_CA_FILE'] = fake.ca_file
    return env


def run(args, env, timeout=120):
    result = subprocess.run([RUN, *args], env=env, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=timeout)
    e2e.log(f'build-aux/run {" ".join(args)}: exit {result.returncode}')
    for line in result.stderr.splitlines()[-15:]:
        e2e.log('  stderr:', line)
    return result


def test():
    e2e.write_settings()
    marker = os.path.join(e2e.TEST_DIR, 'flagged-ran')
    flagged = e2e.make_script('quarterly-report.sh', marker, extra=e2e.EICAR)
    fake = HttpsFake((flagged, 'malicious:5'))
    try:
        # 1. The first call sets up and builds; on a new machine that takes minutes.
        version = run(['--version'], run_env(fake), timeout=1400)
        assert version.returncode == 0, version.stderr
        assert 'check-first' in version.stdout.lower() or '0.' in version.stdout, version.stdout

        # 2. Over HTTPS, with the fake's CA trusted: the verdict comes back.
        check = run(['--check', '--json', flagged], run_env(fake))
        assert check.returncode == 1, (check.returncode, check.stdout, check.stderr)
        row = json.loads(check.stdout.splitlines()[0])
        e2e.log('verdict over HTTPS:', row)
        assert row['decision'] == 'block' and row['malicious'] == 5, row
        assert row['source'] == 'api', row
        lookups = fake.stats()['lookups']
        assert lookups == 1, fake.stats()

        # 3. The same server, its certificate not trusted: refused, nothing asked.
        refused = run(['--check', '--no-cache', '--json', flagged], run_env(fake, trust=False))
        assert refused.returncode == 2, (refused.returncode, refused.stdout, refused.stderr)
        assert 'certificate' in (refused.stdout + refused.stderr).lower(), refused.stdout
        assert fake.stats()['lookups'] == lookups, fake.stats()

        # 4. The window, started by the run command with the file, over HTTPS.
        app = e2e.App(flagged, command=RUN, env=run_env(fake))
        try:
            title = app.wait(role='label', prefix='Flagged by', timeout=60)
            e2e.log('window verdict:', title.name)
            assert not os.path.exists(marker), 'the flagged script ran'
            e2e.screenshot('run-command.png')
        except Exception:
            app.dump_log()
            raise
        finally:
            app.stop()
    finally:
        fake.stop()


e2e.run(test)
