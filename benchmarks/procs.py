"""Processes the benchmark starts: sinks, a private Postfix instance, Hermod. Every PID is written to
WORK/pids/ so run.sh's EXIT trap can stop it even if Python dies; nothing is ever stopped by name."""
import glob
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time

PY = sys.executable
# The one submission account of both MTAs (Hermod's user file, Dovecot's passwd-file for Postfix).
SUBMISSION_USER = "bench@x.test"
SUBMISSION_PASSWORD = "bench-Pass-1"
# Both MTAs keep an idle session this long (Postfix smtpd_timeout, Hermod limits.commandTimeoutSeconds):
# opening 10,000 Postfix sessions takes longer than the usual 300 s, and the first ones must still be there.
IDLE_TIMEOUT = 1200


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def wait_port(port, timeout, alive=lambda: True):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port):
            return True
        if not alive():
            return False
        time.sleep(0.1)
    return False


def ask(port, cmd, timeout=10):
    """One command to a sink.py status port."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(cmd.encode() + b"\n")
        chunks = []
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
    return b"".join(chunks).decode()


class Tracked:
    """A child process registered in WORK/pids for the shell trap."""

    def __init__(self, work, name, argv, log, env=None, stdin=subprocess.DEVNULL):
        """stdin: subprocess.PIPE for a child that takes commands (self.proc.stdin)."""
        self.name = name
        self.pidfile = os.path.join(work, "pids", name + ".pid")
        os.makedirs(os.path.dirname(self.pidfile), exist_ok=True)
        self.log = open(log, "wb")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, env=env, stdin=stdin)
        with open(self.pidfile, "w") as f:
            f.write(str(self.proc.pid))

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def kill(self):
        """SIGKILL (a crash, not a shutdown); the pid file stays for the next process under this name."""
        if self.alive():
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()
        if os.path.exists(self.pidfile):
            os.remove(self.pidfile)


class SmtpSink:
    """Postfix's smtp-sink with -c: it writes "sess=N quit=N mesg=N\\r" on every event; we read the tail."""
    kind = "smtp-sink"

    def __init__(self, work, name, port=None):
        """port: where to listen (default a free one), e.g. a port that refused connections until now."""
        self.port = port or free_port()
        self.out = os.path.join(work, name + ".out")
        user = ["-u", "nobody"] if os.geteuid() == 0 else []
        self.p = Tracked(work, name, ["smtp-sink", *user, "-c", "127.0.0.1:%d" % self.port, "4096"], self.out)
        if not wait_port(self.port, 10, self.p.alive):
            raise RuntimeError("smtp-sink did not start, see " + self.out)

    def count(self):
        with open(self.out, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 256))
            hits = re.findall(rb"mesg=(\d+)", f.read())
        return int(hits[-1]) if hits else 0

    def cpu(self):
        """CPU seconds of the sink (one process): the ceiling's own cost."""
        return cpu_seconds(self.p.pid)

    def stop(self):
        self.p.stop()


class PySink:
    """benchmarks/sink.py: counts, and reads the latency stamp of each message."""
    kind = "sink.py"

    def __init__(self, work, name, here):
        self.port, self.status = free_port(), free_port()
        self.p = Tracked(work, name, [PY, os.path.join(here, "sink.py"), "--port", str(self.port),
                                      "--status-port", str(self.status)], os.path.join(work, name + ".log"))
        if not (wait_port(self.port, 10, self.p.alive) and wait_port(self.status, 10, self.p.alive)):
            raise RuntimeError("sink.py did not start, see " + work + "/" + name + ".log")

    def count(self):
        return int(ask(self.status, "COUNT").split()[0])

    def latencies(self):
        return json.loads(ask(self.status, "LATENCY"))

    def reset_latencies(self):
        ask(self.status, "LATRESET")

    def cpu(self):
        return cpu_seconds(self.p.pid)

    def stop(self):
        self.p.stop()


def guarded(body, result, log):
    """body(started) -> a result dict. Whatever body appends to `started` is stopped afterwards (stop_all); an
    exception in body becomes `result` with reason "harness: ..." (a scenario's run never raises)."""
    import traceback
    started = []
    try:
        return body(started)
    except Exception as e:
        traceback.print_exc()
        return dict(result, reason="harness: %r" % e)
    finally:
        stop_all(started, log)


def stop_all(started, log):
    """Stops what a run started, newest first; each one even if stopping another failed."""
    for x in reversed(started):
        try:
            x.stop()
        except Exception as e:
            log("stopping %s: %s" % (type(x).__name__, e))


# ---------------------------------------------------------------- syscalls of process trees

# Every way a process can ask for data to reach the disk (fsync(2), fdatasync(2), sync_file_range(2),
# msync(2) with MS_SYNC, syncfs(2), sync(2)).
SYNC_CALLS = ("fsync", "fdatasync", "sync_file_range", "msync", "syncfs", "sync")


class _TreeSyncCounter:
    """What the two counters of an MTA's sync calls share: the tree's pids, a log, and a Tracked tool process
    stopped with SIGINT (both strace and perf record finish their output on it) and then as any Tracked process."""
    tool = None

    def __init__(self, work, name, pids, calls=SYNC_CALLS):
        self.work, self.name, self.pids, self.calls = work, name, list(pids), calls
        self.log = os.path.join(work, name + ".log")
        self.p = None

    def _prepare(self, *outputs):
        """Refuses to start without pids or without the tool; removes an earlier run's outputs."""
        if not self.pids:
            raise RuntimeError("no process to count")
        if shutil.which(self.tool) is None:
            raise RuntimeError("%s is not installed" % self.tool)
        for path in outputs + (self.log,):
            if os.path.exists(path):
                os.remove(path)

    def _log_tail(self):
        with open(self.log, errors="replace") as f:
            return f.read()[-300:].strip().replace("\n", " | ")

    def _finish(self, wait):
        """SIGINT and up to `wait` s for the tool to finish; False when it was not running (stopped before)."""
        if self.p is None:
            return False
        if self.p.alive():
            self.p.proc.send_signal(signal.SIGINT)
            try:
                self.p.proc.wait(wait)
            except subprocess.TimeoutExpired:
                pass
        self.p.stop()
        self.p = None
        return True


class SyscallCounter(_TreeSyncCounter):
    """`strace -f -y -e trace=SYNC_CALLS -p PID ...` attached to every pid of an MTA's process tree (all threads
    of each; -f follows what they fork later, e.g. Postfix's master starting smtpd and cleanup), writing one line
    per call (with the path of its file descriptor, -y) to WORK/NAME.trace until stop(). start() returns once
    strace has attached to every pid; stop() detaches (SIGINT: strace detaches from every tracee and exits) and
    counts the calls, by call and by file. strace is a Tracked process: run.sh's EXIT trap stops it by PID if
    Python dies, and the tracees go on running without it."""
    tool = "strace"

    def __init__(self, work, name, pids, calls=SYNC_CALLS):
        super().__init__(work, name, pids, calls)
        self.trace = os.path.join(work, name + ".trace")

    def start(self, timeout=15):
        self._prepare(self.trace)
        argv = ["strace", "-f", "-y", "-e", "signal=none", "-e", "trace=" + ",".join(self.calls), "-o", self.trace]
        for pid in self.pids:
            argv += ["-p", str(pid)]
        self.p = Tracked(self.work, self.name, argv, self.log)
        deadline = time.monotonic() + timeout
        while self._attached() < len(self.pids):
            if not self.p.alive() or time.monotonic() > deadline:
                tail = self._log_tail()
                self.stop()
                raise RuntimeError("strace did not attach to %d pids: %s" % (len(self.pids), tail))
            time.sleep(0.05)

    def _attached(self):
        """Pids strace reports attached so far ("Process N attached", "... attached with M threads"), plus those
        that exited meanwhile (a Postfix smtpd at its idle timeout): nothing is left to wait for there."""
        try:
            with open(self.log, errors="replace") as f:
                text = f.read()
        except OSError:
            text = ""
        seen = {int(p) for p in re.findall(r"^strace: Process (\d+) attached", text, re.M)}
        return sum(1 for pid in self.pids if pid in seen or not os.path.exists("/proc/%d" % pid))

    def stop(self):
        """Detach from everything; ({call: count}, {file: count}) from the trace, or None when strace wrote none.
        Safe to call again (None then); a strace that does not detach within 10 s is stopped as any Tracked
        process (TERM, then KILL)."""
        if not self._finish(10) or not os.path.exists(self.trace):
            return None
        with open(self.trace, errors="replace") as f:
            return count_sync_calls(f, self.work)


def count_sync_calls(lines, work=""):
    """strace -f -y output -> ({call: count}, {file: count}). A call counts once where it starts ("PID call(fd<path>,
    ..." or "... <unfinished ...>"; its "<... call resumed>" line is not counted again). Files are named relative
    to `work`, with queue ids and sequence numbers (runs of 5 or more hex digits and any decimal digits) as "N",
    so a message's files fold into one row per kind."""
    calls, files = {}, {}
    for line in lines:
        m = re.match(r"^(?:\[pid\s+\d+\]\s*|\d+\s+)?(\w+)\((?:(\d+)<([^>]*)>)?", line)
        if not m:
            continue
        calls[m.group(1)] = calls.get(m.group(1), 0) + 1
        path = m.group(3)
        if path is None:
            key = "(%s: no file)" % m.group(1)
        else:
            path = os.path.relpath(path, work) if work and path.startswith(work + "/") else path
            key = re.sub(r"[0-9A-Fa-f]*\d[0-9A-Fa-f]*", "N", re.sub(r"\b[0-9A-F]{5,}\b", "N", path))
        files[key] = files.get(key, 0) + 1
    return calls, files


class SyncTracepoints(_TreeSyncCounter):
    """The same count without ptrace: `perf record -a` of the kernel's tracepoints syscalls:sys_enter_<call> for
    SYNC_CALLS, machine-wide, with sched:sched_process_fork to follow the tree; afterwards only the calls of the
    given pids and everything they forked while recording are counted. The traced processes never stop, so their
    timing (and any batching that depends on it) is the real one; perf knows no file paths, only calls. start()
    returns once perf has acknowledged that recording is on; then the harness fsyncs a file of its own, and
    stop() gives None unless perf saw that call too. Same interface as SyscallCounter; a Tracked process, stopped
    by PID like it."""

    tool = "perf"

    def __init__(self, work, name, pids, calls=SYNC_CALLS):
        super().__init__(work, name, pids, calls)
        self.data = os.path.join(work, name + ".data")

    def start(self, timeout=30):
        ctl, ack = self.data + ".ctl", self.data + ".ack"
        self._prepare(self.data, ctl, ack)
        os.mkfifo(ctl)
        os.mkfifo(ack)
        events = ",".join(["syscalls:sys_enter_" + c for c in self.calls] + ["sched:sched_process_fork"])
        # Started with its events disabled (-D -1), then enabled over its control FIFO: its "ack" says recording
        # has begun (perf takes a second or more to get there on a busy machine; a fixed wait missed calls).
        self.p = Tracked(self.work, self.name, ["perf", "record", "-q", "-a", "-D", "-1", "--control",
                                                "fifo:%s,%s" % (ctl, ack), "-e", events, "-o", self.data], self.log)
        ctl_fd, ack_fd = os.open(ctl, os.O_RDWR), os.open(ack, os.O_RDWR)  # O_RDWR: a FIFO opens without a peer
        try:
            os.write(ctl_fd, b"enable\n")
            ready, _, _ = select.select([ack_fd], [], [], timeout)
            acked = bool(ready) and os.read(ack_fd, 64).startswith(b"ack")
        finally:
            os.close(ctl_fd)
            os.close(ack_fd)
        if not acked:
            tail = self._log_tail()
            self.stop()
            raise RuntimeError("perf record did not start recording in %d s: %s" % (timeout, tail))
        with open(os.path.join(self.work, self.name + ".sentinel"), "wb") as f:
            f.write(b"x")
            f.flush()
            os.fsync(f.fileno())

    def stop(self):
        """({call: count}, {}) of the tree, or None (perf wrote nothing usable). Safe to call again (None then)."""
        if not self._finish(30):  # on SIGINT perf record writes its data and exits
            return None
        try:
            out = subprocess.run(["perf", "script", "-i", self.data, "-F", "pid,tid,event,trace"],
                                 capture_output=True, text=True, timeout=120).stdout
        except (OSError, subprocess.TimeoutExpired):
            return None
        calls, sentinel_seen = count_tracepoint_syncs(out.splitlines(), self.pids, os.getpid())
        return (calls, {}) if sentinel_seen else None


def count_tracepoint_syncs(lines, roots, sentinel_pid):
    """`perf script -F pid,tid,event,trace` lines -> ({call: count} of the tree under `roots`, whether a sync call
    of sentinel_pid was seen). The tree grows in the order of the events: a fork by a member (its pid, the
    thread group) makes the child a member."""
    tree, calls, sentinel = set(roots), {}, False
    for line in lines:
        m = re.match(r"^\s*(\d+)/\d+\s+(\w+):(\w+):\s*(.*)$", line)
        if not m:
            continue
        pid, system, event = int(m.group(1)), m.group(2), m.group(3)
        if system == "sched" and event == "sched_process_fork":
            child = re.search(r"child_pid=(\d+)", m.group(4))
            if child and pid in tree:
                tree.add(int(child.group(1)))
        elif system == "syscalls" and event.startswith("sys_enter_"):
            sentinel = sentinel or pid == sentinel_pid
            if pid in tree:
                call = event[len("sys_enter_"):]
                calls[call] = calls.get(call, 0) + 1
    return calls, sentinel


# ---------------------------------------------------------------- memory of process trees

def _status_kb(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_of(ppid):
    """(pid, comm) of the direct children of ppid."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        comm = st[st.index("(") + 1:st.rindex(")")]
        if int(st[st.rindex(")") + 2:].split()[1]) == ppid:
            out.append((int(d), comm))
    return out


def _stat_cpu(pid, with_children):
    """utime+stime (and cutime+cstime: reaped children) of pid, in seconds; 0 when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if with_children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_seconds(root):
    """CPU time of a process tree root and its live children; the difference of two readings is the tree's CPU
    in between (a child that exits meanwhile is counted in the root's cutime once reaped)."""
    if not root:
        return 0.0
    return _stat_cpu(root, True) + sum(_stat_cpu(p, False) for p, _ in children_of(root))


JIT_THREADS = ("C1 CompilerThre", "C2 CompilerThre")


def jit_cpu(pid):
    """CPU seconds of a JVM's JIT compiler threads (by thread name; 0 for a process that is no JVM)."""
    return sum(user + system for name, user, system in thread_cpu(pid).values() if name.startswith(JIT_THREADS))


def thread_cpu(pid):
    """Per live thread of pid: {tid: (name, user seconds, system seconds)}; the name is the thread's comm (the
    kernel keeps 15 characters of it). Empty for no pid or a process that is gone."""
    threads, ticks = {}, os.sysconf("SC_CLK_TCK")
    for task in glob.glob("/proc/%d/task/*" % pid) if pid else ():
        try:
            with open(task + "/stat") as f:
                st = f.read()
        except OSError:
            continue  # the thread ended
        fields = st.rsplit(")", 1)[1].split()
        threads[int(os.path.basename(task))] = (st[st.index("(") + 1:st.rindex(")")],
                                                int(fields[11]) / ticks, int(fields[12]) / ticks)
    return threads


def memory(pids, with_pss=True):
    """Sum of VmRSS and (optionally) Pss in MiB over pids."""
    rss = sum(_status_kb(p, "VmRSS") for p in pids) / 1024
    pss = sum(_pss_kb(p) for p in pids) / 1024 if with_pss else None
    return rss, pss


# ---------------------------------------------------------------- the MTAs under test

class Postfix:
    name = "Postfix"

    def __init__(self, work, routes, default_hop, process_limit, dovecot=None, dirname="postfix", extra=None,
                 hosts=None):
        """routes: {domain: port}; default_hop: port of the relayhost (None: no relayhost); dovecot: a DovecotAuth
        for a submission service (STARTTLS required, AUTH required to relay), or None for none; extra: more
        main.cf settings (they win); hosts: {name: ip} for an /etc/hosts inside the queue directory, which the
        smtp client (then chrooted there) uses to find next hops with DNS disabled (shaping scenarios, README)."""
        self.dovecot = dovecot
        sasl_socket = dovecot.socket if dovecot else None
        self.dir = os.path.join(work, dirname)
        # queue_directory in extra: outside the config directory, as /var/spool/postfix is beside /etc/postfix
        # (`postfix start` runs `find CONFIG_DIR ! -user root -exec postlog ...`: one process per queue file in it)
        self.queue = (extra or {}).get("queue_directory") or os.path.join(self.dir, "queue")
        self.port = free_port()
        self.submission_port = free_port() if sasl_socket else None
        self._stop_stale()
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.rmtree(self.queue, ignore_errors=True)
        os.makedirs(self.dir)
        open(os.path.join(self.dir, "main.cf"), "w").close()
        master = open("/etc/postfix/master.cf").read()
        master, n = re.subn(r"(?m)^smtp\s+inet\s.*$", "127.0.0.1:%d inet n - n - - smtpd" % self.port, master)
        if n != 1:
            raise RuntimeError("could not find the 'smtp inet' line in /etc/postfix/master.cf")
        if sasl_socket:
            # As Debian's commented-out "submission" entry, with Dovecot SASL (docs: SASL_README).
            master += ("127.0.0.1:%d inet n - n - - smtpd\n"
                       "  -o syslog_name=postfix-bench/submission\n"
                       "  -o smtpd_tls_security_level=encrypt\n"
                       "  -o smtpd_sasl_auth_enable=yes\n"
                       "  -o smtpd_sasl_type=dovecot\n"
                       "  -o smtpd_sasl_path=%s\n"
                       "  -o smtpd_tls_auth_only=yes\n"
                       "  -o smtpd_client_restrictions=\n"
                       "  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n"
                       "  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject\n"
                       % (self.submission_port, sasl_socket))
        open(os.path.join(self.dir, "master.cf"), "w").write(master)
        cert, key = os.path.join(self.dir, "cert.pem"), os.path.join(self.dir, "key.pem")
        # The same kind of certificate as Hermod generates: self-signed RSA-2048.
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj",
                        "/CN=postfix.bench", "-keyout", key, "-out", cert], check=True, capture_output=True,
                       timeout=60)
        transport = ", ".join("%s=smtp:[127.0.0.1]:%d" % (d, p) for d, p in routes.items())
        settings = {
            "compatibility_level": "3.6",
            "queue_directory": self.queue,
            "data_directory": os.path.join(self.dir, "data"),
            # No maillog_file: with it every process logs through one postlogd, which 10,000 sessions closing
            # at once wedged (postlogd "watchdog timeout", then master blocked on its socket). Logs go to
            # syslog like a production Postfix (dropped when the machine has no /dev/log).
            "syslog_name": "postfix-bench",
            "myhostname": "postfix.bench",
            "inet_interfaces": "loopback-only",
            "inet_protocols": "ipv4",
            "mynetworks": "127.0.0.0/8",
            "mydestination": "",
            "relayhost": "[127.0.0.1]:%d" % default_hop if default_hop else "",
            "transport_maps": "inline:{%s}" % transport if routes else "",
            "smtp_dns_support_level": "disabled",
            "smtpd_peername_lookup": "no",
            "in_flow_delay": "0",
            "smtpd_timeout": "%ds" % IDLE_TIMEOUT,
            "default_process_limit": str(process_limit),
            "message_size_limit": str(100 * 1024 * 1024),
            "alias_maps": "",
            "alias_database": "",
            "smtputf8_enable": "no",
            "biff": "no",
            # STARTTLS offered on every smtpd, as Hermod does (smtp-source never uses it). TLS session
            # resumption: Postfix's defaults (RFC 5077 / TLS 1.3 tickets; smtpd_tls_session_cache_timeout 3600s).
            "smtpd_tls_cert_file": cert,
            "smtpd_tls_key_file": key,
            "smtpd_tls_security_level": "may",
        }
        settings.update(extra or {})
        subprocess.run(["postconf", "-c", self.dir, "-e"] + ["%s=%s" % kv for kv in settings.items()], check=True)
        subprocess.run(["postconf", "-c", self.dir, "-F", "*/*/chroot = n"], check=True)
        os.makedirs(settings["queue_directory"])
        os.makedirs(settings["data_directory"])
        if hosts is not None:
            # Only the smtp client runs chrooted in the queue directory: it reads etc/hosts from there, so
            # every recipient domain is its own next hop (Postfix's queue per domain), found without DNS.
            subprocess.run(["postconf", "-c", self.dir, "-F", "smtp/unix/chroot = y"], check=True)
            etc = os.path.join(settings["queue_directory"], "etc")
            os.makedirs(etc)
            with open(os.path.join(etc, "hosts"), "w") as f:
                f.write("127.0.0.1 localhost\n" + "".join("%s %s\n" % (ip, n) for n, ip in hosts.items()))
            with open(os.path.join(etc, "nsswitch.conf"), "w") as f:
                f.write("hosts: files\n")
            for name in ("services", "localtime", "protocols"):
                if os.path.exists("/etc/" + name):
                    shutil.copy("/etc/" + name, os.path.join(etc, name))
        shutil.chown(settings["data_directory"], "postfix") if os.geteuid() == 0 else None
        self._postfix("check")
        self._postfix("start")
        if not wait_port(self.port, 20) or (self.submission_port and not wait_port(self.submission_port, 20)):
            raise RuntimeError("private Postfix did not listen on %d, see %s/log" % (self.port, self.dir))
        self.pidfile = os.path.join(work, "pids", dirname + "-master.pid")
        with open(self.pidfile, "w") as f:
            f.write(str(self.master_pid()))

    def _postfix(self, cmd, timeout=60):
        try:
            r = subprocess.run(["postfix", "-c", self.dir, cmd], capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError("postfix -c %s %s: no answer in %d s" % (self.dir, cmd, timeout))
        if r.returncode != 0:
            raise RuntimeError("postfix -c %s %s failed: %s" % (self.dir, cmd, (r.stderr + r.stdout).strip()))

    def _stop_stale(self):
        """postfix stop; if the master does not go, kill it and its children by PID."""
        if not os.path.exists(os.path.join(self.dir, "main.cf")):
            return
        master = self.master_pid()
        kids = [p for p, _ in children_of(master)] if master else []
        try:
            self._postfix("stop")
        except RuntimeError:
            pass
        deadline = time.monotonic() + 10
        while master and os.path.exists("/proc/%d" % master) and time.monotonic() < deadline:
            time.sleep(0.2)
        if master and os.path.exists("/proc/%d" % master):
            for pid, sig in [(master, signal.SIGKILL)] + [(k, signal.SIGTERM) for k in kids]:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass

    def master_pid(self):
        """Our master's PID, or 0: the pid file's number only counts if that process runs with our config."""
        try:
            pid = int(open(os.path.join(self.queue, "pid", "master.pid")).read().split()[0])
            with open("/proc/%d/environ" % pid, "rb") as f:
                return pid if b"MAIL_CONFIG=" + self.dir.encode() + b"\0" in f.read() else 0
        except (OSError, ValueError, IndexError):
            return 0

    def pids(self):
        m = self.master_pid()
        return [m] + [p for p, _ in children_of(m)] if m else []

    def cpu(self):
        """CPU seconds of the master's tree (smtpd, cleanup, qmgr, smtp, ...) and of the Dovecot that does its SASL."""
        return cpu_seconds(self.master_pid()) + (cpu_seconds(self.dovecot.p.pid) if self.dovecot else 0.0)

    def smtpd_count(self):
        return sum(1 for _, c in children_of(self.master_pid()) if c == "smtpd")

    def memory(self, with_pss=True):
        return memory(self.pids(), with_pss)

    def recycle(self, timeout=30):
        """postfix reload: idle smtpd processes exit, so the next measurement starts from a fresh pool."""
        self._postfix("reload")
        deadline = time.monotonic() + timeout
        while self.smtpd_count() > 0 and time.monotonic() < deadline:
            time.sleep(0.2)

    def alive(self):
        m = self.master_pid()
        return m > 0 and os.path.exists("/proc/%d" % m)

    def child_pid(self, comm):
        """PID of the master's first child named comm (e.g. qmgr), or 0."""
        return next((p for p, c in children_of(self.master_pid()) if c == comm), 0)

    def crash_and_start(self, timeout=60):
        """SIGKILL the master and every child (ours, by PID), then postfix start; returns the monotonic time
        `postfix start` was run."""
        killed = self.pids()
        for pid in killed:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        # postfix start fails (silently, exit 1) while a killed master still holds its lock: wait until they are gone.
        deadline = time.monotonic() + 10
        while any(os.path.exists("/proc/%d" % pid) for pid in killed) and time.monotonic() < deadline:
            time.sleep(0.05)
        started = time.monotonic()
        self._postfix("start", timeout)
        with open(self.pidfile, "w") as f:
            f.write(str(self.master_pid()))
        return started

    def stop(self):
        self._stop_stale()
        if os.path.exists(self.pidfile):
            os.remove(self.pidfile)


class DovecotAuth:
    """A private Dovecot (dovecot-core) running only its auth service, for Postfix's SASL (smtpd_sasl_type=dovecot):
    its own config, base_dir and log under WORK/dovecot, the one submission user hashed with PBKDF2 (Dovecot's is
    PBKDF2-HMAC-SHA1) at Hermod's 210,000 iterations, and Dovecot's auth cache on (auth_cache_size 10M,
    auth_cache_ttl 1 hour). The user is in a file dict (passdb driver dict), not a passwd-file: Dovecot never
    caches passwd-file lookups (that driver has no cache key). Even so, Dovecot 2.3 caches what the passdb
    returned, the stored PBKDF2 hash, and verifies the password against it again on a cache hit (a cheap SHA1 of
    the password is cached only for passdbs that return no hash, such as PAM or LDAP binds): every Postfix login
    runs PBKDF2 (benchmarks/README.md). Started in the foreground (-F) and stopped by PID."""

    ITERATIONS = 210000

    def __init__(self, work):
        self.dir = os.path.join(work, "dovecot")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(os.path.join(self.dir, "run"))
        os.chmod(self.dir, 0o755)
        self.socket = os.path.join(self.dir, "auth-client")
        hashed = subprocess.run(["doveadm", "pw", "-s", "PBKDF2", "-r", str(self.ITERATIONS), "-p", SUBMISSION_PASSWORD],
                                capture_output=True, text=True, timeout=60, check=True).stdout.strip()
        users = os.path.join(self.dir, "users.dict")
        with open(users, "w") as f:  # the file dict: a key line, then its value line
            f.write("shared/passdb/%s\n%s\n" % (SUBMISSION_USER, json.dumps({"password": hashed})))
        dict_conf = os.path.join(self.dir, "dict-auth.conf")
        with open(dict_conf, "w") as f:
            f.write("uri = file:%s\npassword_key = passdb/%%u\nvalue_format = json\n" % users)
        conf = os.path.join(self.dir, "dovecot.conf")
        with open(conf, "w") as f:
            f.write("\n".join([
                "base_dir = %s/run" % self.dir,
                "state_dir = %s/run/state" % self.dir,
                "instance_name = hermod-bench-auth",
                "log_path = %s/dovecot.log" % self.dir,
                "protocols =",  # no IMAP/POP3/LMTP: only the auth service below
                "listen = 127.0.0.1",
                "ssl = no",
                "disable_plaintext_auth = no",  # Postfix passes PLAIN over its own TLS
                "auth_mechanisms = plain login",
                "auth_cache_size = 10M",
                "auth_cache_ttl = 1 hour",
                "passdb {",
                "  driver = dict",
                "  args = %s" % dict_conf,
                "}",
                "userdb {",
                "  driver = static",
                "  args = uid=nobody gid=nogroup home=/nonexistent",
                "}",
                "service auth {",
                "  unix_listener %s {" % self.socket,
                "    mode = 0666",
                "  }",
                "}",
                ""]))
        self.p = Tracked(work, "dovecot", ["dovecot", "-c", conf, "-F"], os.path.join(self.dir, "stdout.log"))
        deadline = time.monotonic() + 20
        while not os.path.exists(self.socket):
            if not self.p.alive() or time.monotonic() > deadline:
                raise RuntimeError("private Dovecot did not create %s, see %s/dovecot.log" % (self.socket, self.dir))
            time.sleep(0.1)

    def pids(self):
        """The master and its children (auth, auth-worker, ...)."""
        return [self.p.pid] + [p for p, _ in children_of(self.p.pid)] if self.p.alive() else []

    def stop(self):
        self.p.stop()


class Hermod:
    name = "Hermod"

    def __init__(self, work, jar, routes, default_hop, java_opts=(), listener_instances=2, extra=None,
                 name="hermod", program=None):
        """routes: {domain: port}; default_hop: the smarthost's port (None: MX delivery); extra: config sections
        merged over the generated ones (a dict per section), e.g. {"shaping": {...}, "dns": {...}}; program:
        (a single-file Java program, its arguments after the config path) run on the jar's classpath instead of
        its Main, e.g. the event-feed scenario's FeedConsumer.java, which embeds Hermod."""
        self.port = free_port()
        self.submission_port = free_port()
        self.http_port = free_port()
        spool = os.path.join(work, name + "-spool")
        shutil.rmtree(spool, ignore_errors=True)
        self.conf = os.path.join(work, name + ".json")
        self.log = os.path.join(work, name + ".log")
        users = os.path.join(work, name + "-users")
        config = {
            "hostname": "hermod.bench",
            "localDomains": ["local.test"],
            "trustedNetworks": ["127.0.0.0/8"],
            # Two listener and two delivery instances: one per core, as Postfix runs many smtpd/smtp processes.
            # Both listeners offer STARTTLS (Hermod's default); the submission one requires AUTH (SUBMISSION_USER).
            "listeners": [{"name": "mx", "host": "127.0.0.1", "port": self.port, "role": "mx",
                           "instances": listener_instances},
                          {"name": "submission", "host": "127.0.0.1", "port": self.submission_port,
                           "role": "submission", "instances": listener_instances}],
            "delivery": {"instances": 2},
            "http": {"port": self.http_port},
            "spool": {"directory": spool},
            "tls": {"generatedDirectory": os.path.join(work, name + "-tls")},
            "auth": {"usersFile": users},
            "routing": {"smarthost": "[127.0.0.1]:%d" % default_hop if default_hop else None,
                        "routes": {d: "[127.0.0.1]:%d" % p for d, p in routes.items()}},
            # No per-session message cap: Postfix has none, and smtp-source -d sends ~1000+ per session.
            "limits": {"maxConnections": 20000, "maxConnectionsPerIp": 20000, "commandTimeoutSeconds": IDLE_TIMEOUT,
                       "maxMessagesPerConnection": 1000000,
                       "maxMessageSize": 100 * 1024 * 1024},
        }
        for section, values in (extra or {}).items():
            if isinstance(values, dict) and isinstance(config.get(section), dict):
                config[section].update(values)
            else:
                config[section] = values
        with open(self.conf, "w") as f:
            json.dump(config, f, indent=2)
        self.p = None
        self.error = None
        if not jar or not os.path.exists(jar):
            self.error = "no jar at %s (build failed? see benchmarks/work/build.log)" % jar
            return
        if os.path.exists(users):
            os.remove(users)
        made = subprocess.run(["java", "-jar", jar, "user", "add", SUBMISSION_USER, "--password-stdin", "--file", users],
                              input=(SUBMISSION_PASSWORD + "\n").encode(), capture_output=True, timeout=120)
        if made.returncode != 0:
            self.error = "hermod user add failed: " + (made.stderr + made.stdout).decode(errors="replace")[-300:]
            return
        self.work, self.name, self.argv = work, name, ["java", *java_opts, "-jar", jar, "-conf", self.conf]
        if program:
            self.argv = ["java", *java_opts, "-cp", jar, program[0], self.conf, *program[1:]]
        self.p = Tracked(work, name, self.argv, self.log)
        if not (wait_port(self.port, 60, self.p.alive) and wait_port(self.submission_port, 10, self.p.alive)):
            code = self.p.proc.poll()
            tail = open(self.log, errors="replace").read()[-400:].strip().replace("\n", " | ")
            self.error = ("exited with code %s before listening" % code if code is not None
                          else "not listening on %d after 60 s" % self.port) + (": " + tail if tail else "")
            self.p.stop()
            self.p = None

    def alive(self):
        return self.p is not None and self.p.alive()

    def pids(self):
        return [self.p.pid] if self.alive() else []

    def cpu(self):
        """CPU seconds of the JVM (all its threads)."""
        return cpu_seconds(self.p.pid) if self.alive() else 0.0

    def memory(self, with_pss=True):
        return memory(self.pids(), with_pss)

    def recycle(self, timeout=30):
        pass

    def crash_and_start(self):
        """SIGKILL the JVM and start it again on the same config and spool (log: NAME-restart.log); returns the
        monotonic time the new process was started."""
        self.p.kill()
        self.log = os.path.join(self.work, self.name + "-restart.log")
        started = time.monotonic()
        self.p = Tracked(self.work, self.name, self.argv, self.log)
        return started

    def stop(self):
        if self.p:
            self.p.stop()

    def metrics(self):
        """Hermod's /metrics as {(name, frozenset(labels)): value}; {} when it does not answer."""
        return read_metrics(self.http_port)


def read_metrics(port, timeout=5):
    import urllib.request
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=timeout) as r:
            text = r.read().decode()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$', line)
        if not m or line.startswith("#"):
            continue
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        try:
            out[(m.group(1), labels)] = float(m.group(3))
        except ValueError:
            pass
    return out


def metric_sum(metrics, name, **labels):
    """Sum of a metric's series whose labels include the given ones."""
    want = set(labels.items())
    return sum(v for (n, ls), v in metrics.items() if n == name and want <= ls)


# ---------------------------------------------------------------- peers of the shaping scenarios

class Peer:
    """benchmarks/peer.py: simulated remote sites on loopback addresses, each counting what it saw."""

    def __init__(self, work, name, here, sites):
        self.status = free_port()
        self.conf = os.path.join(work, name + ".json")
        with open(self.conf, "w") as f:
            json.dump(sites, f, indent=2)
        self.p = Tracked(work, name, [PY, os.path.join(here, "peer.py"), "--config", self.conf,
                                      "--status-port", str(self.status)], os.path.join(work, name + ".log"))
        if not wait_port(self.status, 10, self.p.alive):
            raise RuntimeError("peer.py did not start, see %s/%s.log" % (work, name))

    def stats(self):
        return json.loads(ask(self.status, "STATS"))

    def times(self, site):
        return json.loads(ask(self.status, "TIMES " + site))

    def mode(self, site, mode):
        if ask(self.status, "MODE %s %s" % (site, mode)).strip() != "ok":
            raise RuntimeError("peer: could not switch %s to %s" % (site, mode))

    def alive(self):
        return self.p.alive()

    def stop(self):
        self.p.stop()


class Dnsmasq:
    """A private dnsmasq (package dnsmasq-base) on 127.0.0.1:<free port>, answering only from its own
    config: MX records for the test domains, A records for their MX hosts. Never port 53."""

    def __init__(self, work, name, mx, addresses):
        """mx: {domain: [mx host, ...]}; addresses: {host: ip}."""
        self.port = free_port()
        self.conf = os.path.join(work, name + ".conf")
        lines = ["listen-address=127.0.0.1", "port=%d" % self.port, "bind-interfaces", "no-resolv", "no-hosts",
                 "local=/test/", "cache-size=10000"]
        for domain, hosts in mx.items():
            lines += ["mx-host=%s,%s,%d" % (domain, h, 10 * (i + 1)) for i, h in enumerate(hosts)]
        lines += ["host-record=%s,%s" % (h, ip) for h, ip in addresses.items()]
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        exe = shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"
        user = ["--user=nobody"] if os.geteuid() == 0 else []
        self.p = Tracked(work, name, [exe, "--keep-in-foreground", "--log-facility=-", "--conf-file=" + self.conf,
                                      "--pid-file=", *user], os.path.join(work, name + ".log"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.p.alive():
            if self.query_mx(next(iter(mx))) is not None:
                return
            time.sleep(0.2)
        raise RuntimeError("dnsmasq did not answer on 127.0.0.1:%d, see %s/%s.log" % (self.port, work, name))

    def query_mx(self, domain):
        """One MX query over UDP (a hand-made packet, stdlib only); the answer count or None."""
        import struct as st
        q = st.pack(">HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0)
        q += b"".join(bytes([len(p)]) + p.encode() for p in domain.split(".")) + b"\0" + st.pack(">HH", 15, 1)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.5)
            try:
                s.sendto(q, ("127.0.0.1", self.port))
                data = s.recv(4096)
            except OSError:
                return None
        return st.unpack(">H", data[6:8])[0] if len(data) >= 12 else None

    def alive(self):
        return self.p.alive()

    def stop(self):
        self.p.stop()
