"""The deep-queue scenario (issue #13): fill each MTA's queue with N messages for a smarthost that refuses
connections, measure the queue at that depth (memory, disk, idle CPU, queue tools, restart after SIGKILL), then
start a sink on the refused port and measure the drain. Hermod first, then Postfix, each fresh. Every wait has
a deadline; nothing asserts timing. See benchmarks/README.md "Deep queue".

Only today's queue tools are required (`hermod queue summary`, `queue list`, GET /health/ready, /metrics); tools
that later jars may have (`queue summary --by site`) are tried and reported as "not in this jar" when the CLI
answers with its usage error (exit 2)."""
import os
import re
import subprocess
import time
import urllib.error
import urllib.request

import procs

SENDER = "s@x.test"
RCPT = "u@deep.test"
# backoff: Postfix minimal_backoff_time, Hermod delivery.retryInitialSeconds and shaping.probeSeconds;
# max_backoff: Postfix maximal_backoff_time, Hermod delivery.retryMaxSeconds and shaping.maxProbeSeconds;
# scan: Postfix queue_run_delay, Hermod delivery.scanIntervalSeconds. Short, so the drain starts within minutes.
QUICK = dict(hermod_n=2000, postfix_n=2000, sessions=8, size=1024, backoff=20, max_backoff=40, scan=10,
             idle_seconds=30, drain_limit=180, page=1000, hold=0)
FULL = dict(hermod_n=1000000, postfix_n=100000, sessions=8, size=1024, backoff=60, max_backoff=120, scan=30,
            idle_seconds=30, drain_limit=1800, page=1000, hold=0)
CLI_TIMEOUT = 120  # the Hermod CLI gives up by itself after 60 s


def log(msg):
    print("[deepqueue %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def timed(argv, timeout, stdin=None):
    """(seconds, exit code or None on our timeout, stdout+stderr tail)."""
    t0 = time.monotonic()
    try:
        r = subprocess.run(argv, capture_output=True, timeout=timeout, stdin=stdin or subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return time.monotonic() - t0, None, "no answer in %d s" % timeout
    out = (r.stdout + r.stderr).decode(errors="replace")
    return time.monotonic() - t0, r.returncode, out


def first_lines(argv, lines, is_entry, timeout):
    """Seconds until argv printed `lines` entries (is_entry(line)), then stops it; (seconds, entries)."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    n = 0
    try:
        for line in p.stdout:
            if is_entry(line):
                n += 1
                if n >= lines:
                    break
            if time.monotonic() - t0 > timeout:
                break
        return time.monotonic() - t0, n
    finally:
        if p.poll() is None:
            p.kill()
        p.wait(10)


def disk(path):
    """(bytes allocated, bytes apparent, files) under path."""
    alloc = size = files = 0
    for root, _, names in os.walk(path):
        for name in names:
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            alloc += st.st_blocks * 512
            size += st.st_size
            files += 1
    return alloc, size, files


def heap_after_gc(pid):
    """Heap in use right after a full GC (jcmd GC.run, then GC.heap_info), in bytes; None without jcmd."""
    try:
        subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=120, check=True)
        info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60,
                              check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"total \d+K, used (\d+)K", info)
    return int(m.group(1)) * 1024 if m else None


def idle_cpu(mta, seconds):
    c0, t0 = mta.cpu(), time.monotonic()
    time.sleep(seconds)
    return mta.cpu() - c0, time.monotonic() - t0


def smtp_source(port, n, p, timeout):
    """smtp-source -d into port; (seconds, exit code or None when we stopped it at the deadline, stderr tail)."""
    argv = ["smtp-source", "-d", "-s", str(p["sessions"]), "-m", str(n), "-l", str(p["size"]), "-f", SENDER,
            "-t", RCPT, "127.0.0.1:%d" % port]
    return timed(argv, timeout)


def wait_for(what, limit, step=0.5):
    """Polls what() (a truthy value ends the wait) until limit s; (value, seconds waited)."""
    t0 = time.monotonic()
    while True:
        v = what()
        if v or time.monotonic() - t0 > limit:
            return v, time.monotonic() - t0
        time.sleep(step)


def greeting(port):
    """True once the port answers with a 220 greeting."""
    import socket
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.settimeout(2)
            return s.recv(512).startswith(b"220")
    except OSError:
        return False


def drain(sink, accepted, limit):
    """Polls the sink until it has `accepted` messages or limit s; first and last arrival times from up."""
    up = time.monotonic()
    first = last = None
    got = 0
    while time.monotonic() - up < limit:
        now, count = time.monotonic(), sink.count()
        if count and first is None:
            first = now - up
        if count != got:
            got, last = count, now - up
        if got >= accepted:
            break
        time.sleep(0.5)
    rate = got / last if got and last else None
    steady = (got / (last - first)) if got and last and last > first else None
    return {"delivered": got, "first_s": first, "last_s": last, "waited_s": time.monotonic() - up,
            "rate": rate, "rate_after_first": steady, "complete": got >= accepted}


class Side:
    """One MTA under test as the scenario sees it; disk_dir: where its queue lives on disk."""
    mta = None
    disk_dir = None

    def alive(self):
        return self.mta.alive()

    def stop(self):
        self.mta.stop()


# ---------------------------------------------------------------- Hermod

class HermodSide(Side):
    kind = "Hermod"

    def __init__(self, work, jar, port, n, p):
        b, bmax = p["backoff"], p["max_backoff"]
        extra = {"delivery": {"retryInitialSeconds": b, "retryMaxSeconds": bmax, "scanIntervalSeconds": p["scan"],
                              "delayWarningSeconds": 0},
                 "shaping": {"probeSeconds": b, "maxProbeSeconds": bmax},
                 # room for the whole queue: the default high-water mark (10^6 messages, 8 GiB) would refuse
                 "spool": {"highWaterMessages": max(1000000, 2 * n + 10000),
                           "highWaterBytes": max(8 << 30, 4 * n * (p["size"] + 4096))}}
        self.jar = jar
        self.mta = procs.Hermod(work, jar, {}, port, extra=extra, name="hermod-deepqueue")
        self.error = self.mta.error
        self.disk_dir = os.path.join(work, "hermod-deepqueue-spool")
        self.url = "http://127.0.0.1:%d" % self.mta.http_port

    def _metric(self, name, **labels):
        return procs.metric_sum(self.mta.metrics(), name, **labels)

    def accepted(self):
        return int(self._metric("hermod_messages_accepted_total"))

    def deferred_once(self, accepted):
        """Every accepted message deferred at least once (attempted, or refused without a connection)."""
        return self._metric("hermod_delivery_attempts_total", outcome="deferred") >= accepted

    def memory(self, n):
        heap = heap_after_gc(self.mta.p.pid)
        if heap is None:  # no jcmd: the JVM's own gauge (not right after a GC)
            heap = self._metric("jvm_memory_used_bytes", area="heap") or None
        rss, _ = self.mta.memory(with_pss=False)
        return {"heap": heap, "rss": rss * 1024 * 1024, "process": "the JVM"}

    def cli(self, *args, timeout=CLI_TIMEOUT):
        return timed(["java", "-jar", self.jar, "queue", *args, "--url", self.url], timeout)

    def tools(self, p):
        out = {}
        secs, rc, text = self.cli("summary")
        out["summary"] = tool_result(secs, rc, text)
        secs, rc, text = self.cli("summary", "--by", "site")
        out["summary_by_site"] = tool_result(secs, rc, text, optional=True)
        secs, rc, text = self.cli("list")
        r = tool_result(secs, rc, text)
        m = re.search(r"(\d+) message\(s\)", text)
        r["entries"] = int(m.group(1)) if m else None
        out["list"] = r
        return out

    def deferrals(self):
        """Deferrals since this JVM started (the counter starts again at a restart)."""
        return int(self._metric("hermod_delivery_attempts_total", outcome="deferred"))

    def ready(self, reasons=None):
        """GET /health/ready is 200; the reasons of a 503 (e.g. recovery progress) are added to `reasons`."""
        try:
            with urllib.request.urlopen(self.url + "/health/ready", timeout=2) as r:
                return r.status == 200
        except urllib.error.HTTPError as e:
            if reasons is not None and len(reasons) < 20:
                why = e.read().decode(errors="replace").strip()[:200]
                if why not in reasons:
                    reasons.append(why)
            return False
        except OSError:
            return False

    def restart(self, limit):
        started = self.mta.crash_and_start()
        listening, _ = wait_for(lambda: procs.port_open(self.mta.port) or not self.mta.alive(), limit, 0.1)
        smtp_s = time.monotonic() - started if listening and self.mta.alive() else None
        reasons = []
        ok, _ = wait_for(lambda: self.ready(reasons) or not self.mta.alive(), limit, 0.1)
        ready_s = time.monotonic() - started if ok and self.mta.alive() else None
        return {"ready_s": ready_s, "smtp_s": smtp_s, "what": "SIGKILL, start, until GET /health/ready is 200",
                "not_ready": reasons}



def tool_result(secs, rc, text, optional=False):
    if rc is None:
        return {"seconds": secs, "ok": False, "reason": text}
    if optional and rc == 2:
        return {"seconds": None, "ok": False, "reason": "not in this jar", "skipped": True}
    if rc != 0:
        tail = text.strip().splitlines()[-1:] or [""]
        return {"seconds": secs, "ok": False, "reason": "exit %d: %s" % (rc, tail[0][:160])}
    return {"seconds": secs, "ok": True}


# ---------------------------------------------------------------- Postfix

QUEUE_ID = re.compile(rb"^[0-9A-F]{6,}[*!]?\s")


class PostfixSide(Side):
    kind = "Postfix"

    def __init__(self, work, port, n, p):
        extra = {"minimal_backoff_time": "%ds" % p["backoff"], "maximal_backoff_time": "%ds" % p["max_backoff"],
                 "queue_run_delay": "%ds" % p["scan"], "delay_warning_time": "0h",
                 "queue_directory": os.path.join(work, "postfix-deepqueue-queue")}
        self.mta = procs.Postfix(work, {}, port, 200, dirname="postfix-deepqueue", extra=extra)
        self.error = None
        self.queue = self.disk_dir = self.mta.queue

    def deferrals(self):
        return None  # syslog only; the queue files say how many are deferred, not how often

    def count(self, dirs=("incoming", "active", "deferred", "hold", "maildrop")):
        return sum(disk(os.path.join(self.queue, d))[2] for d in dirs)

    def accepted(self):
        """Queue files; exact only once nothing moves (a file renamed from incoming/ to active/ during the walk
        is counted twice): read again after the settle."""
        return self.count()

    def deferred_once(self, accepted):
        """Every message has been through qmgr and back into deferred/: nothing in maildrop, incoming, active."""
        return self.count(("maildrop", "incoming", "active")) == 0

    def memory(self, n):
        qmgr = self.mta.child_pid("qmgr")
        rss, _ = self.mta.memory(with_pss=False)
        return {"heap": None, "rss": procs.memory([qmgr], False)[0] * 1024 * 1024 if qmgr else None,
                "tree_rss": rss * 1024 * 1024, "process": "qmgr"}

    def tools(self, p):
        out = {}
        secs, rc, text = timed(["qshape", "-c", self.mta.dir, "deferred"], 600)
        out["summary"] = tool_result(secs, rc, text)
        out["summary"]["tool"] = "qshape -c DIR deferred"
        secs, n = first_lines(["postqueue", "-c", self.mta.dir, "-p"], p["page"], QUEUE_ID.match, 600)
        out["list"] = {"seconds": secs, "ok": n > 0, "entries": n, "tool": "postqueue -p, first %d" % p["page"],
                       "reason": None if n else "no entries"}
        return out

    def restart(self, limit):
        try:
            started = self.mta.crash_and_start(timeout=limit)
        except RuntimeError as e:  # postfix start did not come back
            return {"ready_s": None, "smtp_s": None, "what": str(e)}
        ok, _ = wait_for(lambda: greeting(self.mta.port), limit, 0.1)
        s = time.monotonic() - started if ok else None
        return {"ready_s": s, "smtp_s": s, "what": "SIGKILL master and children, postfix start, until a 220 greeting"}



# ---------------------------------------------------------------- one MTA

def one(kind, work, jar, n, p):
    """Fill, measure at depth, crash and restart, drain. Returns the MTA's dict of results."""
    port = procs.free_port()  # nothing listens here until the drain: connections are refused
    res = {"ok": False, "n": n}

    def body(started):
        side = HermodSide(work, jar, port, n, p) if kind == "Hermod" else PostfixSide(work, port, n, p)
        started.append(side)
        if side.error:
            return dict(res, reason=side.error, skipped=True)
        empty_disk = disk(side.disk_dir)[0]
        empty_mem = side.memory(0)
        log("%s: filling with %d messages (smarthost 127.0.0.1:%d refuses)" % (kind, n, port))
        secs, rc, err = smtp_source(side.mta.port, n, p, timeout=max(300, n // 50))
        accepted = side.accepted()
        res.update(accepted=accepted, intake_s=secs, intake_rate=accepted / secs if secs else None,
                   intake_error=None if rc == 0 else ("stopped after %.0f s" % secs if rc is None else err[-200:]))
        log("%s: accepted %d in %.1f s (%.0f msgs/s)" % (kind, accepted, secs, res["intake_rate"] or 0))
        filled = time.monotonic()
        done, waited = wait_for(lambda: side.deferred_once(accepted), 2 * p["max_backoff"] + p["scan"], 1)
        accepted = side.accepted()  # Postfix: no file moves between its queues now
        res.update(settle_s=waited, settled=bool(done), accepted=accepted,
                   intake_rate=accepted / secs if secs else None)
        cpu, span = idle_cpu(side.mta, p["idle_seconds"])
        res.update(idle_cpu_s=cpu, idle_span_s=span)
        mem = side.memory(accepted)
        res.update(memory=mem, memory_empty=empty_mem)
        alloc, size, files = disk(side.disk_dir)
        res.update(disk_alloc=alloc, disk_apparent=size, disk_files=files, disk_empty=empty_disk)
        log("%s: idle CPU %.1f s over %.0f s; memory %s; disk %d bytes in %d files" % (
            kind, cpu, span, {k: v for k, v in mem.items() if k != "process"}, alloc, files))
        res["tools"] = side.tools(p)
        log("%s: tools %s" % (kind, {k: (v.get("seconds"), v.get("reason")) for k, v in res["tools"].items()}))
        before_crash = side.deferrals()
        res["restart"] = side.restart(limit=max(120, n // 1000))
        res["memory_after_restart"] = side.memory(accepted) if side.alive() else None
        log("%s: restart %s" % (kind, res["restart"]))
        time.sleep(max(0, p["hold"] - (time.monotonic() - filled)))  # --deep-hold: more retry rounds at depth
        alloc, size, files = disk(side.disk_dir)
        deferrals = None if before_crash is None else before_crash + side.deferrals()
        res["before_drain"] = {"after_s": time.monotonic() - filled, "disk_alloc": alloc, "disk_apparent": size,
                               "disk_files": files, "deferrals_per_msg": deferrals / accepted if deferrals and accepted
                               else None}
        log("%s: before the drain %s" % (kind, res["before_drain"]))
        sink = procs.SmtpSink(work, "deepqueue-sink-%s" % kind.lower(), port=port)
        started.append(sink)
        res["drain"] = drain(sink, accepted, p["drain_limit"])
        log("%s: drain %s" % (kind, res["drain"]))
        res["ok"] = accepted == n and res["drain"]["complete"]
        if not res["ok"]:
            res["reason"] = ("accepted %d/%d" % (accepted, n) if accepted != n else
                             "drained %d/%d in %.0f s" % (res["drain"]["delivered"], accepted, res["drain"]["waited_s"]))
        return res

    return procs.guarded(body, res, log)


def run(work, jar, quick, overrides, jar_note=""):
    """overrides: hermod_n, postfix_n, drain_limit, hold from the command line (None = the mode's default; a Postfix
    count of 0 skips Postfix). Returns (params, {MTA: results})."""
    p = dict(QUICK if quick else FULL)
    p.update({k: v for k, v in overrides.items() if v is not None})
    res = {}
    no_jar = None if jar and os.path.exists(jar) else "no jar at %s %s" % (jar, jar_note)
    for kind, n in (("Hermod", p["hermod_n"]), ("Postfix", p["postfix_n"])):
        if n <= 0:
            continue
        res[kind] = {"ok": False, "reason": no_jar, "skipped": True} if kind == "Hermod" and no_jar else \
            one(kind, work, jar, n, p)
    return p, res
