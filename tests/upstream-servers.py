#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# upstream-servers.py — starts a real PostgreSQL 15 and a real S3 server
# (OpenStack Swift with s3api, one replica on a plain directory) on loopback
# for the upstream tests and benchmark, from Debian's packages.
#
#   upstream-servers.py DIR      start both under DIR, print KEY=VALUE lines
#                                and "READY", then run until stdin closes or
#                                SIGTERM, and stop them.
#   upstream-servers.py rgw DIR  start a throwaway Ceph cluster (one monitor,
#                                one memstore OSD) and radosgw under DIR
#                                instead, with a user; same output and life
#                                (Object Lock tests: Swift has none)
#   upstream-servers.py swift-server CONF SECTION   (internal: one Swift server)
#   upstream-servers.py relay LISTEN_PORT TARGET_PORT FLIP_AT
#                                (internal: a TCP relay that flips the byte at
#                                offset FLIP_AT of the first request body over
#                                1 MiB, once: the "tampered proxy")
#
# Exit 77 with "SKIP: reason" when a package is missing. When run as root
# (the test suite), the servers run as "nobody": initdb refuses root.
import os
import pwd
import select
import signal
import socket
import subprocess
import sys
import threading
import time

PG_BIN = '/usr/lib/postgresql/15/bin'
CEPH_BINARIES = (('ceph-mon', 'ceph-mon'), ('ceph-osd', 'ceph-osd'), ('radosgw', 'radosgw'),
                 ('radosgw-admin', 'ceph-common'), ('monmaptool', 'ceph-base'),
                 ('ceph', 'ceph-common'))
# Everything the cluster does must fit in this, or the tests skip.
RGW_START_TIMEOUT = 90
RGW_ACCESS = 'DOCKETTESTACCESS0001'
RGW_SECRET = 'docket-rgw-test-secret'
S3_ACCESS = 'docket:tester'
S3_SECRET = 'testing'
SWIFT_SERVERS = ('account', 'container', 'object')


def skip(reason):
    print('SKIP: ' + reason, flush=True)
    sys.exit(77)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def demote():
    if os.getuid() == 0:
        nobody = pwd.getpwnam('nobody')
        os.setgid(nobody.pw_gid)
        os.setgroups([])
        os.setuid(nobody.pw_uid)


def chown_tree(path):
    if os.getuid() != 0:
        return
    nobody = pwd.getpwnam('nobody')
    for root, dirs, files in os.walk(path):
        os.chown(root, nobody.pw_uid, nobody.pw_gid)
        for f in files:
            os.chown(os.path.join(root, f), nobody.pw_uid, nobody.pw_gid)


def wait_port(port, proc, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError('%s exited with %d' % (what, proc.returncode))
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError('%s did not listen on port %d' % (what, port))


class Servers:
    def __init__(self, base):
        self.base = base
        self.procs = {}
        self.pg_data = os.path.join(base, 'pg')
        self.swift_dir = os.path.join(base, 'swift')

    # PostgreSQL: a throwaway cluster, no fsync (its data is a test's).
    def start_pg(self):
        if not os.access(os.path.join(PG_BIN, 'initdb'), os.X_OK):
            skip('PostgreSQL 15 is not installed (postgresql-15, tools/deps.sh)')
        self.pg_port = free_port()
        os.makedirs(self.pg_data)
        chown_tree(self.base)
        subprocess.run([os.path.join(PG_BIN, 'initdb'), '-D', self.pg_data, '-U', 'docket',
                        '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
                       preexec_fn=demote, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(self.pg_data, 'postgresql.auto.conf'), 'a') as f:
            f.write("listen_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    % (self.pg_port, self.pg_data))
        subprocess.run([os.path.join(PG_BIN, 'pg_ctl'), '-D', self.pg_data, '-w', '-s',
                        '-l', os.path.join(self.base, 'pg.log'), 'start'],
                       preexec_fn=demote, check=True)
        subprocess.run([os.path.join(PG_BIN, 'createdb'), '-h', '127.0.0.1', '-p',
                        str(self.pg_port), '-U', 'docket', 'docket'], check=True)

    def stop_pg(self):
        if os.path.exists(os.path.join(self.pg_data, 'postmaster.pid')):
            subprocess.run([os.path.join(PG_BIN, 'pg_ctl'), '-D', self.pg_data, '-s', '-m',
                            'immediate', 'stop'], preexec_fn=demote)

    # Swift: account, container and object servers plus the proxy with
    # s3api and tempauth; one device, one replica, rings of 2^6 partitions.
    def start_swift(self):
        try:
            import swift  # noqa: F401
        except ImportError:
            skip('OpenStack Swift is not installed (python3-swift, tools/deps.sh)')
        if not os.path.exists('/usr/bin/swift-proxy-server'):
            skip('the Swift proxy is not installed (swift-proxy, tools/deps.sh)')
        d = self.swift_dir
        os.makedirs(os.path.join(d, 'node', 'd1'))
        user = 'nobody' if os.getuid() == 0 else pwd.getpwuid(os.getuid()).pw_name
        ports = {name: free_port() for name in SWIFT_SERVERS}
        self.s3_port = free_port()
        # The proxy's account and container cache, as a deployed Swift has
        # it: without one every request asks the account and container
        # servers again, which costs a multipart upload (a dozen requests
        # per recording) far more than one PUT. UPSTREAM_SWIFT_CACHE=0 runs
        # it without (the upload benchmark's comparison).
        cache = '127.0.0.1:1'
        if os.environ.get('UPSTREAM_SWIFT_CACHE') == '0':
            pass
        elif os.path.exists('/usr/bin/memcached'):
            cache_port = free_port()
            cache = '127.0.0.1:%d' % cache_port
            log = open(os.path.join(self.base, 'memcached.log'), 'w')
            self.procs['memcached'] = subprocess.Popen(
                ['/usr/bin/memcached', '-l', '127.0.0.1', '-p', str(cache_port), '-m', '64']
                + (['-u', 'nobody'] if os.getuid() == 0 else []),
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
            wait_port(cache_port, self.procs['memcached'], 'memcached')
        else:
            print('note: memcached is not installed (tools/deps.sh): Swift runs without its cache',
                  file=sys.stderr, flush=True)
        with open(os.path.join(d, 'swift.conf'), 'w') as f:
            f.write('[swift-hash]\nswift_hash_path_suffix = docket-test\n'
                    '[storage-policy:0]\nname = gold\ndefault = yes\n'
                    '[swift-constraints]\n')
        # In-process: one import instead of nine swift-ring-builder runs.
        from swift.common.ring import RingBuilder
        for name in SWIFT_SERVERS:
            builder = RingBuilder(6, 1, 1)
            builder.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1',
                             'port': ports[name], 'device': 'd1', 'weight': 1})
            builder.rebalance()
            builder.get_ring().save(os.path.join(d, name + '.ring.gz'))
            with open(os.path.join(d, name + '.conf'), 'w') as f:
                f.write('[DEFAULT]\nbind_ip = 127.0.0.1\nbind_port = %d\nworkers = 0\n'
                        'user = %s\nswift_dir = %s\ndevices = %s\nmount_check = false\n'
                        'log_facility = LOG_LOCAL2\nlog_level = WARNING\n'
                        '[pipeline:main]\npipeline = %s-server\n'
                        '[app:%s-server]\nuse = egg:swift#%s\n'
                        % (ports[name], user, d, os.path.join(d, 'node'), name, name, name))
        with open(os.path.join(d, 'proxy.conf'), 'w') as f:
            f.write('[DEFAULT]\nbind_ip = 127.0.0.1\nbind_port = %d\nworkers = 0\n'
                    'user = %s\nswift_dir = %s\nlog_level = WARNING\n'
                    '[pipeline:main]\npipeline = catch_errors gatekeeper proxy-logging cache '
                    'listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server\n'
                    '[filter:gatekeeper]\nuse = egg:swift#gatekeeper\n'
                    '[filter:listing_formats]\nuse = egg:swift#listing_formats\n'
                    '[filter:copy]\nuse = egg:swift#copy\n'
                    '[filter:slo]\nuse = egg:swift#slo\n'
                    '[filter:dlo]\nuse = egg:swift#dlo\n'
                    '[app:proxy-server]\nuse = egg:swift#proxy\naccount_autocreate = true\n'
                    '[filter:catch_errors]\nuse = egg:swift#catch_errors\n'
                    '[filter:proxy-logging]\nuse = egg:swift#proxy_logging\n'
                    '[filter:cache]\nuse = egg:swift#memcache\nmemcache_servers = %s\n'
                    '[filter:s3api]\nuse = egg:swift#s3api\nlocation = us-east-1\n'
                    'min_segment_size = 5242880\n'
                    '[filter:tempauth]\nuse = egg:swift#tempauth\n'
                    'user_docket_tester = %s .admin\n'
                    % (self.s3_port, user, d, cache, S3_SECRET))
        # Tests run each server as one process (workers = 0: quick to start
        # and stop); the upload benchmark may ask for Swift's own sample
        # setting for the proxy and object servers ("auto": one per core).
        workers = os.environ.get('UPSTREAM_SWIFT_WORKERS')
        if workers:
            for name in ('proxy', 'object'):
                path = os.path.join(d, name + '.conf')
                with open(path) as f:
                    text = f.read()
                with open(path, 'w') as f:
                    f.write(text.replace('workers = 0\n', 'workers = %s\n' % workers))
        chown_tree(self.base)
        for name in SWIFT_SERVERS + ('proxy',):
            log = open(os.path.join(self.base, name + '.log'), 'w')
            self.procs[name] = subprocess.Popen(
                [sys.executable, os.path.abspath(__file__), 'swift-server',
                 os.path.join(d, name + '.conf'), name],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        self.swift_ports = ports

    def wait_swift(self):
        for name in SWIFT_SERVERS:
            wait_port(self.swift_ports[name], self.procs[name], 'swift-' + name + '-server')
        wait_port(self.s3_port, self.procs['proxy'], 'swift-proxy-server')

    def stop_swift(self):
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def die_with_parent():
    import ctypes
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Rgw:
    """A vstart-style Ceph: one monitor without cephx, one OSD on memstore
    (RAM, nothing to format), radosgw's beast frontend on loopback. All of
    it under DIR, as the calling user; every wait is bounded."""

    def __init__(self, base):
        self.base = base
        self.dir = os.path.join(base, 'ceph')
        self.conf = os.path.join(self.dir, 'ceph.conf')
        self.procs = {}
        self.deadline = time.monotonic() + RGW_START_TIMEOUT

    def left(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise RuntimeError('Ceph did not start within %d s' % RGW_START_TIMEOUT)
        return left

    def run(self, *argv):
        try:
            out = subprocess.run(argv, check=True, capture_output=True, text=True,
                                 stdin=subprocess.DEVNULL, timeout=self.left())
        except subprocess.TimeoutExpired:
            raise RuntimeError('%s did not finish in time' % ' '.join(argv))
        except subprocess.CalledProcessError as e:
            raise RuntimeError('%s failed: %s' % (' '.join(argv), (e.stderr or e.stdout)[-1500:]))
        return out.stdout

    def spawn(self, name, *argv):
        log = open(os.path.join(self.dir, 'log', name + '.out'), 'w')
        # Killed with this script, however it ends (a test runner's SIGKILL).
        self.procs[name] = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=log, start_new_session=True,
                                            preexec_fn=die_with_parent)

    def start(self):
        import shutil
        import uuid
        for binary, package in CEPH_BINARIES:
            if shutil.which(binary) is None:
                skip('%s is not installed (%s, tools/deps.sh)' % (binary, package))
        d = self.dir
        for sub in ('log', 'run', 'mon.a', 'osd.0'):
            os.makedirs(os.path.join(d, sub))
        fsid = str(uuid.uuid4())
        mon_port = free_port()
        self.s3_port = free_port()
        with open(self.conf, 'w') as f:
            f.write('[global]\n'
                    'fsid = %s\n'
                    'mon host = v2:127.0.0.1:%d\n'
                    'public addr = 127.0.0.1\n'
                    'ms bind msgr1 = false\n'
                    'auth cluster required = none\n'
                    'auth service required = none\n'
                    'auth client required = none\n'
                    'mon allow pool size one = true\n'
                    'mon warn on pool no redundancy = false\n'
                    'mon max pg per osd = 1000\n'
                    'mon data avail crit = 1\n'
                    'mon data avail warn = 2\n'
                    'osd pool default size = 1\n'
                    'osd pool default min size = 1\n'
                    'osd pool default pg num = 8\n'
                    'osd pool default pgp num = 8\n'
                    'osd pool default pg autoscale mode = off\n'
                    'osd crush chooseleaf type = 0\n'
                    'osd objectstore = memstore\n'
                    'memstore device bytes = 1073741824\n'
                    'osd op num shards = 1\n'
                    'osd op num threads per shard = 2\n'
                    'mon data = %s/mon.$id\n'
                    'osd data = %s/osd.$id\n'
                    'run dir = %s/run\n'
                    'admin socket = %s/run/$name.asok\n'
                    'pid file = %s/run/$name.pid\n'
                    'log file = %s/log/$name.log\n'
                    'crash dir = %s/run\n'
                    'keyring = %s/keyring\n'
                    '[client]\n'
                    # radosgw's own defaults ask for cephx and a secure
                    # monitor connection, which need keys.
                    'auth client required = none\n'
                    'ms mon client mode = crc\n'
                    'rgw frontends = beast endpoint=127.0.0.1:%d\n'
                    'rgw thread pool size = 16\n'
                    'rgw init timeout = %d\n'
                    'rgw enable usage log = false\n'
                    % (fsid, mon_port, d, d, d, d, d, d, d, d, self.s3_port,
                       RGW_START_TIMEOUT))
        monmap = os.path.join(d, 'monmap')
        self.run('monmaptool', '--create', '--clobber', '--fsid', fsid,
                 '--addv', 'a', '[v2:127.0.0.1:%d]' % mon_port, monmap)
        self.run('ceph-authtool', '--create-keyring', '--gen-key', '-n', 'mon.',
                 '--cap', 'mon', 'allow *', os.path.join(d, 'keyring'))
        self.run('ceph-mon', '-c', self.conf, '-i', 'a', '--mkfs', '--monmap', monmap)
        self.spawn('mon.a', 'ceph-mon', '-c', self.conf, '-i', 'a', '-f')
        wait_port(mon_port, self.procs['mon.a'], 'ceph-mon', timeout=self.left())
        osd_uuid = str(uuid.uuid4())
        osd_id = self.run('ceph', '-c', self.conf, '--connect-timeout', '%d' % self.left(),
                          'osd', 'new', osd_uuid).strip()
        self.run('ceph-osd', '-c', self.conf, '-i', osd_id, '--mkfs', '--osd-uuid', osd_uuid)
        self.spawn('osd.0', 'ceph-osd', '-c', self.conf, '-i', osd_id, '-f')
        # radosgw creates its pools itself once the OSD is up.
        self.spawn('client.rgw', 'radosgw', '-c', self.conf, '-n', 'client.rgw', '-f')
        wait_port(self.s3_port, self.procs['client.rgw'], 'radosgw', timeout=self.left())
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise RuntimeError('%s exited with %d' % (name, proc.returncode))
        self.run('radosgw-admin', '-c', self.conf, 'user', 'create', '--uid', 'docket',
                 '--display-name', 'Docket tests', '--access-key', RGW_ACCESS,
                 '--secret-key', RGW_SECRET)

    def stop(self):
        # The OSD and monitor keep nothing worth a clean stop: memstore is RAM.
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
        for proc in self.procs.values():
            proc.wait()

    def logs(self):
        out = ''
        logdir = os.path.join(self.dir, 'log')
        if os.path.isdir(logdir):
            for name in sorted(os.listdir(logdir)):
                with open(os.path.join(logdir, name), errors='replace') as f:
                    out += '--- %s\n%s\n' % (name, f.read()[-1500:])
        return out


def serve_until_stdin_closes(stop):
    while not stop:
        r, _, _ = select.select([sys.stdin], [], [], 0.5)
        if r and not sys.stdin.buffer.read1(4096):
            break


def main_rgw(base):
    rgw = Rgw(base)
    # The catalogue too: whether another kiosk holds footage is asked there.
    os.chmod(base, 0o755)
    catalogue = Servers(os.path.join(base, 'catalogue'))
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    try:
        t0 = time.monotonic()
        rgw.start()
        try:
            catalogue.start_pg()
        except subprocess.CalledProcessError as e:
            raise RuntimeError('PostgreSQL: %s' % e)
        print('UPSTREAM_PG=host=127.0.0.1 port=%d dbname=docket user=docket' % catalogue.pg_port)
        print('UPSTREAM_S3_ENDPOINT=http://127.0.0.1:%d' % rgw.s3_port)
        print('UPSTREAM_S3_PORT=%d' % rgw.s3_port)
        print('UPSTREAM_S3_ACCESS_KEY=%s' % RGW_ACCESS)
        print('UPSTREAM_S3_SECRET_KEY=%s' % RGW_SECRET)
        print('UPSTREAM_START_SECONDS=%.1f' % (time.monotonic() - t0))
        print('READY', flush=True)
        serve_until_stdin_closes(stop)
    except RuntimeError as e:
        sys.stderr.write(rgw.logs())
        # One line: the test skips with it.
        print('SKIP: Ceph RGW did not start: %s' % str(e).replace('\n', ' ')[:400], flush=True)
        sys.exit(77)
    finally:
        catalogue.stop_pg()
        rgw.stop()


def run_swift_server(conf, name):
    from swift.common import utils
    from swift.common.wsgi import run_wsgi
    utils.set_swift_dir(os.path.dirname(conf))
    sys.exit(run_wsgi(conf, name + '-server', verbose=True))


def relay(listen_port, target_port, flip_at):
    """Forwards each connection to the real server; in the first request
    body longer than @flip_at bytes, flips that byte, once."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('127.0.0.1', listen_port))
    srv.listen(16)
    print('READY', flush=True)
    state = {'flipped': False, 'lock': threading.Lock()}

    def serve(client):
        upstream = socket.create_connection(('127.0.0.1', target_port))
        relay_connection(client, upstream, flip_at, state)
        client.close()
        upstream.close()

    # A thread per connection: the uploader keeps several open at once.
    while True:
        client, _ = srv.accept()
        threading.Thread(target=serve, args=(client,), daemon=True).start()


def relay_connection(client, upstream, flip_at, state):
    head = b''          # request header being read
    body_left = 0       # request body bytes still to come
    body_seen = 0       # request body bytes already passed on
    while True:
        r, _, _ = select.select([client, upstream], [], [])
        if upstream in r:
            data = upstream.recv(65536)
            if not data:
                return
            client.sendall(data)
        if client in r:
            data = client.recv(65536)
            if not data:
                return
            out = b''
            while data:
                if body_left == 0:
                    head += data
                    end = head.find(b'\r\n\r\n')
                    if end < 0:
                        data = b''
                        break
                    header, data = head[:end + 4], head[end + 4:]
                    head = b''
                    out += header
                    body_left = 0
                    body_seen = 0
                    for line in header.split(b'\r\n'):
                        if line.lower().startswith(b'content-length:'):
                            body_left = int(line.split(b':', 1)[1])
                    continue
                chunk, data = data[:body_left], data[body_left:]
                with state['lock']:
                    if not state['flipped'] and body_seen <= flip_at < body_seen + len(chunk):
                        i = flip_at - body_seen
                        chunk = chunk[:i] + bytes([chunk[i] ^ 0xff]) + chunk[i + 1:]
                        state['flipped'] = True
                body_seen += len(chunk)
                body_left -= len(chunk)
                out += chunk
            if out:
                upstream.sendall(out)


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == 'swift-server':
        run_swift_server(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) >= 3 and sys.argv[1] == 'rgw':
        main_rgw(sys.argv[2])
        return
    if len(sys.argv) >= 2 and sys.argv[1] == 'relay':
        relay(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    base = sys.argv[1]
    servers = Servers(base)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    try:
        t0 = time.monotonic()
        # Swift's four servers boot while PostgreSQL starts.
        servers.start_swift()
        servers.start_pg()
        servers.wait_swift()
        print('UPSTREAM_S3_ENDPOINT=http://127.0.0.1:%d' % servers.s3_port)
        print('UPSTREAM_S3_PORT=%d' % servers.s3_port)
        print('UPSTREAM_S3_ACCESS_KEY=%s' % S3_ACCESS)
        print('UPSTREAM_S3_SECRET_KEY=%s' % S3_SECRET)
        print('UPSTREAM_PG=host=127.0.0.1 port=%d dbname=docket user=docket' % servers.pg_port)
        print('UPSTREAM_SWIFT_PROXY_CONF=%s' % os.path.join(servers.swift_dir, 'proxy.conf'))
        print('UPSTREAM_START_SECONDS=%.1f' % (time.monotonic() - t0))
        print('READY', flush=True)
        while not stop:
            r, _, _ = select.select([sys.stdin], [], [], 0.5)
            if r and not sys.stdin.buffer.read1(4096):
                break
    except (RuntimeError, subprocess.CalledProcessError) as e:
        print('ERROR: %s' % e, flush=True)
        for name in ('pg.log', 'proxy.log', 'object.log'):
            p = os.path.join(base, name)
            if os.path.exists(p):
                sys.stderr.write(open(p).read()[-2000:])
        sys.exit(1)
    finally:
        servers.stop_swift()
        servers.stop_pg()


if __name__ == '__main__':
    main()
