"""Submission throughput over the event bus against SMTP intake, in one run (issue #19): how many messages per
second one Hermod node accepts durably (its 250 / its submit reply, both after the spool's fsync) from

  smtp     smtp-source -d into the mx listener (as the other scenarios),
  local    an application verticle in Hermod's own JVM (EmbeddedHermod deploys BulkSubmitter next to Hermod),
  cluster  a separate application JVM (docs/examples/own-jvm ClusterApp: hermod-client.jar and the cluster
           manager only) that joined the node's cluster as a Hazelcast lite member.

The same clustered Hermod process serves all three; the bus runs keep at most OUTSTANDING requests in flight
(docs/injection.md), the SMTP run as many sessions. Everything is relayed to an smtp-sink, and each run starts
after the previous run's messages were all delivered. See benchmarks/README.md "Bus submission"."""
import json
import os
import shutil
import statistics
import subprocess
import time
import uuid

import procs

QUICK = dict(rounds=2, messages=2000, warmup=500, concurrency=32, size=1024, drain=180, timeout=300)
FULL = dict(rounds=3, messages=30000, warmup=5000, concurrency=32, size=1024, drain=600, timeout=900)
MODES = [("smtp", "SMTP intake (smtp-source -d)"),
         ("local", "bus: verticle in Hermod's JVM"),
         ("cluster", "bus: separate JVM in the cluster (lite member)")]
SENDER = "s@x.test"
RCPT = "u@fast.test"
# The cluster manager and its dependencies (Maven repository paths): all an application JVM needs besides
# hermod-client.jar (the same list as OwnJvmApplicationIT).
CLUSTER_MANAGER = ("/io/vertx/vertx-core/", "/io/vertx/vertx-core-logging/", "/io/netty/",
                   "/com/fasterxml/jackson/core/jackson-core/", "/io/vertx/vertx-hazelcast/", "/com/hazelcast/hazelcast/")
# What Hazelcast asks for; hermod.jar's manifest carries the same for `java -jar`.
JAVA_OPENS = ["--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
              "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
              "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"]


def log(msg):
    print("[bussubmit %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def application_class_path(root, work, jar):
    """hermod-client.jar (beside the server jar) and the cluster manager's jars from the build's class path."""
    deps = os.path.join(work, "bussubmit-deps.txt")
    subprocess.run(["mvn", "-o", "-q", "-B", "dependency:build-classpath", "-Dmdep.outputFile=" + deps], cwd=root,
                   check=True, capture_output=True, timeout=300)
    jars = [j for j in open(deps).read().strip().split(os.pathsep) if any(m in j for m in CLUSTER_MANAGER)]
    return [os.path.join(os.path.dirname(os.path.abspath(jar)), "hermod-client.jar")] + jars


def javac(out, class_path, sources):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    r = subprocess.run(["javac", "-nowarn", "-proc:none", "-d", out, "-cp", os.pathsep.join(class_path), *sources],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError("javac failed: " + r.stderr[-2000:])
    return out


def result_lines(path):
    with open(path, errors="replace") as f:
        return [json.loads(line[len("RESULT "):]) for line in f if line.startswith("RESULT ")]


class EmbeddedHermod:
    """benchmarks/java/EmbeddedHermod.java: one clustered Hermod node that also runs BulkSubmitter on command."""

    def __init__(self, work, jar, classes, sink_port, timeout):
        self.port, self.hz_port = procs.free_port(), procs.free_port()
        self.cluster_name = "hermod-bench-" + uuid.uuid4().hex[:8]
        spool = os.path.join(work, "bussubmit-spool")
        shutil.rmtree(spool, ignore_errors=True)
        self.conf = os.path.join(work, "bussubmit-hermod.json")
        self.log = os.path.join(work, "bussubmit-hermod.log")
        config = {
            "hostname": "hermod.bench", "localDomains": ["local.test"], "trustedNetworks": ["127.0.0.0/8"],
            "listeners": [{"name": "mx", "host": "127.0.0.1", "port": self.port, "role": "mx", "instances": 2}],
            "delivery": {"instances": 2}, "http": {"enabled": False}, "spool": {"directory": spool},
            "routing": {"routes": {"fast.test": "[127.0.0.1]:%d" % sink_port}},
            "limits": {"maxConnections": 20000, "maxConnectionsPerIp": 20000, "maxMessagesPerConnection": 1000000},
            "cluster": {"enabled": True, "name": self.cluster_name, "host": "127.0.0.1", "hazelcastPort": self.hz_port,
                        "members": ["127.0.0.1:%d" % self.hz_port]},
        }
        with open(self.conf, "w") as f:
            json.dump(config, f, indent=2)
        self.timeout = timeout
        self.p = procs.Tracked(work, "bussubmit-hermod", ["java", *JAVA_OPENS, "-cp", classes + os.pathsep + jar,
                                                          "example.EmbeddedHermod", self.conf], self.log,
                               stdin=subprocess.PIPE)
        t0 = time.monotonic()
        while "READY" not in open(self.log, errors="replace").read():
            if not self.p.alive() or time.monotonic() - t0 > 180:
                self.stop()
                raise RuntimeError("embedded Hermod did not start, see " + self.log)
            time.sleep(0.5)

    def submit(self, config):
        """One BulkSubmitter run inside Hermod's JVM; its RESULT."""
        seen = len(result_lines(self.log))
        self.p.proc.stdin.write(("submit " + json.dumps(config) + "\n").encode())
        self.p.proc.stdin.flush()
        t0 = time.monotonic()
        while len(result_lines(self.log)) == seen:
            if not self.p.alive() or time.monotonic() - t0 > self.timeout:
                raise RuntimeError("no result from the embedded submitter, see " + self.log)
            time.sleep(0.2)
        return result_lines(self.log)[-1]

    def stop(self):
        try:
            self.p.proc.stdin.close()  # EmbeddedHermod stops Hermod at the end of its input
            self.p.proc.wait(60)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.p.stop()


def cluster_run(work, hermod, classes, app_class_path, config, timeout):
    """A separate application JVM (ClusterApp) for one run; its RESULT (measured after its own warm-up)."""
    path = os.path.join(work, "bussubmit-app.log")
    argv = ["java", *JAVA_OPENS, "-cp", os.pathsep.join([classes] + app_class_path), "example.ClusterApp",
            hermod.cluster_name, "127.0.0.1:%d" % hermod.hz_port, "127.0.0.1", str(procs.free_port()),
            json.dumps(config)]
    app = procs.Tracked(work, "bussubmit-app", argv, path)
    try:
        app.proc.wait(timeout)
    except subprocess.TimeoutExpired:
        pass
    app.stop()
    results = result_lines(path)
    if not results:
        raise RuntimeError("the application JVM gave no result, see " + path)
    return results[-1]


def smtp_run(port, n, p):
    t0 = time.monotonic()
    r = subprocess.run(["smtp-source", "-d", "-s", str(p["concurrency"]), "-m", str(n), "-l", str(p["size"]),
                        "-f", SENDER, "-t", RCPT, "127.0.0.1:%d" % port], capture_output=True, timeout=p["timeout"])
    seconds = time.monotonic() - t0
    if r.returncode != 0:
        return {"ok": False, "reason": "smtp-source exit %d: %s" % (r.returncode, r.stderr.decode(errors="replace")[-200:])}
    return {"ok": True, "rate": n / seconds, "seconds": seconds, "accepted": n}


def run(work, jar, root, quick, overrides=None):
    """(params, results): results[mode] = list of per-round dicts (rate, seconds, ...)."""
    p = dict(QUICK if quick else FULL)
    p.update({k: v for k, v in (overrides or {}).items() if v})
    here = os.path.dirname(os.path.abspath(__file__))
    app_cp = application_class_path(root, work, jar)
    p["application class path"] = " ".join(os.path.basename(j) for j in app_cp)
    app_classes = javac(os.path.join(work, "bussubmit-app-classes"), app_cp,
                        [os.path.join(root, "docs", "examples", "own-jvm", f) for f in ("ClusterApp.java", "BulkSubmitter.java")])
    server_classes = javac(os.path.join(work, "bussubmit-server-classes"), [jar],
                           [os.path.join(here, "java", "EmbeddedHermod.java"),
                            os.path.join(root, "docs", "examples", "own-jvm", "BulkSubmitter.java")])
    results = {mode: [] for mode, _ in MODES}
    started = []
    try:
        sink = procs.SmtpSink(work, "bussubmit-sink")
        started.append(sink)
        hermod = EmbeddedHermod(work, jar, server_classes, sink.port, p["timeout"])
        started.append(hermod)
        expected = [0]

        def one(mode, n, warmup):
            cpu0 = procs.cpu_seconds(hermod.p.pid)
            bus = {"count": n, "outstanding": p["concurrency"], "from": SENDER, "to": RCPT, "followEvents": False,
                   "timeoutSeconds": p["timeout"]}
            if mode == "smtp":
                r = smtp_run(hermod.port, n, p)
            elif mode == "local":
                r = dict(hermod.submit(bus), ok=True)
            else:
                # A fresh JVM each run: its own warm-up first (not timed), then n timed.
                r = dict(cluster_run(work, hermod, app_classes, app_cp, dict(bus, warmup=warmup), p["timeout"]), ok=True)
                expected[0] += warmup
            if r.get("ok") and mode != "smtp":
                r["rate"] = r.get("acceptedPerSecond", 0)
                r["ok"] = r.get("accepted") == n
                if not r["ok"]:
                    r["reason"] = "accepted %s of %d" % (r.get("accepted"), n)
            expected[0] += r.get("accepted", 0) if mode != "smtp" else (n if r.get("ok") else 0)
            # The next run starts on an empty queue: wait until the sink has everything accepted so far.
            t0 = time.monotonic()
            while sink.count() < expected[0] and time.monotonic() - t0 < p["drain"]:
                time.sleep(0.2)
            r["drained"] = sink.count() >= expected[0]
            # Hermod's JVM, from the start of the run until its messages were relayed (the local submitter included):
            # CPU is what a machine shared with other work measures more steadily than time.
            r["cpu_ms"] = (procs.cpu_seconds(hermod.p.pid) - cpu0) * 1000 / n
            return r

        log("warm-up: each mode once with %d messages (not recorded)" % p["warmup"])
        for mode, _ in MODES:
            log("  warm-up %s: %s" % (mode, describe(one(mode, p["warmup"], p["warmup"]))))
        for rnd in range(p["rounds"]):
            order = MODES[rnd % len(MODES):] + MODES[:rnd % len(MODES)]  # each mode leads a round in turn
            for mode, _ in order:
                r = one(mode, p["messages"], p["warmup"])
                results[mode].append(r)
                log("round %d/%d %s: %s" % (rnd + 1, p["rounds"], mode, describe(r)))
    finally:
        procs.stop_all(started, log)
    return p, results


def describe(r):
    if not r.get("ok"):
        return "FAILED(%s)" % r.get("reason", "?")
    return "%.0f msgs/s (%.2f s, Hermod CPU %.2f ms/msg%s%s)" % (
        r["rate"], r["seconds"], r.get("cpu_ms", 0), ", %d retries" % r["retries"] if r.get("retries") else "",
                                        "" if r.get("drained", True) else ", queue not drained before the next run")


def median_rate(rs):
    ok = [r["rate"] for r in rs if r.get("ok")]
    return statistics.median(ok) if ok else None


def markdown(facts, p, res, quick):
    out = ["# Bus submission vs SMTP intake (issue #19)%s" % (" (--quick)" if quick else ""), "",
           "One clustered Hermod node (benchmarks/java/EmbeddedHermod.java), relaying to smtp-sink; messages durably "
           "accepted per second (SMTP: `250` after DATA; bus: the submit reply), %d messages of %d bytes per run, "
           "at most %d in flight (SMTP: sessions), %d round(s), median. Each run starts once the sink has every "
           "earlier message. Hermod CPU: its JVM's CPU time from the start of a run until the sink had the run's "
           "messages (accepting and relaying; with the local submitter), per message. "
           "benchmarks/README.md \"Bus submission\"." % (p["messages"], p["size"], p["concurrency"],
                                                                         p["rounds"]),
           "", "| machine | |", "|---|---|"]
    out += ["| %s | %s |" % (k, v) for k, v in facts.items()]
    out += ["| application class path | %s |" % p.get("application class path", "?"), ""]
    smtp = median_rate(res.get("smtp", []))
    out += ["| mode | msgs/s (median) | per round | / SMTP | Hermod CPU ms/msg (median) |", "|---|---|---|---|---|"]
    for mode, label in MODES:
        m = median_rate(res.get(mode, []))
        rounds = ", ".join(("%.0f" % r["rate"]) if r.get("ok") else "FAILED(%s)" % r.get("reason", "?")
                           for r in res.get(mode, []))
        ratio = "%.2f" % (m / smtp) if m and smtp else "n/a"
        cpu = [r["cpu_ms"] for r in res.get(mode, []) if r.get("ok") and "cpu_ms" in r]
        out.append("| %s | %s | %s | %s | %s |" % (label, "%.0f" % m if m else "n/a", rounds, ratio,
                                                  "%.2f" % statistics.median(cpu) if cpu else "n/a"))
    # Paired by round (the runs of one round saw the same machine load): the median of the per-round ratios.
    for mode, label in MODES[1:]:
        pairs = [r["rate"] / s["rate"] for r, s in zip(res.get(mode, []), res.get("smtp", [])) if r.get("ok") and s.get("ok")]
        out.append("")
        out.append("%s / SMTP per round: %s (median %s)" % (label, ", ".join("%.2f" % x for x in pairs) or "n/a",
                                                            "%.2f" % statistics.median(pairs) if pairs else "n/a"))
    local, cluster = median_rate(res.get("local", [])), median_rate(res.get("cluster", []))
    out += ["", "Goals (issue #19): local bus ≥ SMTP intake: **%s**; clustered bus ≥ half of SMTP intake: **%s**." % (
        goal(local, smtp, 1.0), goal(cluster, smtp, 0.5)), ""]
    return "\n".join(out) + "\n"


def goal(value, smtp, factor):
    if not value or not smtp:
        return "not measured"
    return "%s (%.2f)" % ("met" if value >= factor * smtp else "missed", value / smtp)
