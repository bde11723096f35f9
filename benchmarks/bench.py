#!/usr/bin/env python3
"""Hermod vs Postfix vs the rig's ceiling, interleaved in one run. Called by run.sh (which installs
packages, raises ulimit -n, builds the jar and owns the EXIT trap); see benchmarks/README.md."""
import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
import traceback

import procs
import report
import scenarios
from scenarios import Target

QUICK = dict(rounds=1, sizes=[1024, 32768], sessions=[4, 32, 200], msgs={1024: 400, 32768: 300}, per_session=4,
             lat_rate=200, lat_seconds=2, idle=[2000], big=5 * 1024 * 1024, stall=4, limit=60, calibration=2000,
             idle_overall=75, sub_msgs=100, sub_threads=16, fsync_msgs=200, warmup=400, warmup_passes=1)
FULL = dict(rounds=3, sizes=[1024, 32768], sessions=[4, 32, 200], msgs={1024: 4000, 32768: 2000}, per_session=10,
            lat_rate=200, lat_seconds=10, idle=[2000, 10000], big=50 * 1024 * 1024, stall=15, limit=300, calibration=10000,
            idle_overall=600, sub_msgs=300, sub_threads=16, fsync_msgs=1000, warmup=20000, warmup_passes=8)
SCENARIOS = ("throughput", "fsync", "latency", "concurrency", "big", "submission")
# Connection-per-message submission: (label, listener, AUTH PLAIN?, resume TLS sessions?)
SUBMISSION_VARIANTS = [
    ("STARTTLS + AUTH PLAIN (submission)", "submission", True, False),
    ("STARTTLS + AUTH PLAIN (submission), TLS resumed", "submission", True, True),
    ("STARTTLS, no AUTH (mx, trusted client)", "mx", False, False),
    ("STARTTLS, no AUTH (mx, trusted client), TLS resumed", "mx", False, True),
]


def sh(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (r.stdout + r.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return "unavailable (%s)" % e


SINK_DOMAINS = {"smtp-sink": "fast.test", "sink.py": "py.test"}


def faster_sink(calibration, size):
    """The recipient domain of the sink that took {size}-byte messages the faster, summed over the calibrated
    session counts ({(size, sessions, sink kind): [runs]}); smtp-sink's on a tie."""
    total = {kind: sum(r.get("rate", 0) for (s, _, k), runs in calibration.items() if s == size and k == kind
                       for r in runs if r.get("ok"))
             for kind in SINK_DOMAINS}
    return SINK_DOMAINS["smtp-sink" if total["smtp-sink"] >= total["sink.py"] else "sink.py"]


def machine_facts(repo):
    mem = next((l.split(":")[1].strip() for l in open("/proc/meminfo") if l.startswith("MemTotal")), "?")
    cpu = next((l.split(":")[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    return {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": mem,
        "kernel": platform.release(),
        "java": sh(["java", "-version"]).splitlines()[0],
        "postfix": sh(["postconf", "-d", "-h", "mail_version"]),
        "python": platform.python_version(),
        "hermod commit": sh(["git", "-C", repo, "rev-parse", "--short", "HEAD"]),
        "ulimit -n": sh(["sh", "-c", "ulimit -n"]),
    }


def log(msg):
    print("[bench %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def describe(r):
    if not r["ok"] and "rate" not in r and "p50" not in r and "held" not in r:
        return "FAILED(%s)" % r["reason"]
    keys = [k for k in ("rate", "accept_rate", "cpu_us", "fsyncs_per_msg", "perf_fsyncs_per_msg", "p50", "p90", "p99", "p99_9", "max",
                        "login_p50", "login_p99", "resumed", "cpu_ms", "held", "rss", "pss", "probe_ms", "seconds",
                        "peak_rss") if k in r]
    text = " ".join("%s=%.1f" % (k, r[k]) for k in keys)
    return text + ("" if r["ok"] else " FAILED(%s)" % r.get("reason", ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--jar", default="")
    ap.add_argument("--jar-note", default="")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--messages", type=int, help="throughput: 1 KiB messages per case (32 KiB: half); default 4,000")
    ap.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated: " + ",".join(SCENARIOS))
    ap.add_argument("--listener-instances", type=int, default=2, help="Hermod's listeners[].instances")
    ap.add_argument("--latency-rate", type=int, help="latency scenario: offered msgs/s (default 200)")
    ap.add_argument("--dead-destination", action="store_true", help="shaping scenario: dead destination")
    ap.add_argument("--campaign", action="store_true", help="shaping scenario: campaign over simulated providers")
    ap.add_argument("--dead-messages", type=int, help="messages to the dead smarthost (default 20,000; quick 2,000)")
    ap.add_argument("--campaign-messages", type=int, help="campaign messages (default 50,000; quick 2,000)")
    ap.add_argument("--campaign-domains", type=int, help="campaign domains (default 1,000; quick 100)")
    ap.add_argument("--backoff", type=int, help="retry/probe seconds for both MTAs (default 60; quick 20)")
    ap.add_argument("--sustained", action="store_true", help="sustained scenario: load above relay capacity")
    ap.add_argument("--sustained-seconds", type=int, help="load per MTA in the sustained scenario (default 300; quick 60)")
    ap.add_argument("--deep-messages", type=int, help="deepqueue: Hermod's queue depth (default 1,000,000; quick 2,000)")
    ap.add_argument("--deep-postfix-messages", type=int,
                    help="deepqueue: Postfix's queue depth (default 100,000; quick 2,000; 0 = no Postfix)")
    ap.add_argument("--deep-drain-limit", type=int, help="deepqueue: longest wait for the drain, s (default 1800)")
    ap.add_argument("--deep-hold", type=int, help="deepqueue: keep the queue this many s after intake before the "
                    "drain (more retry rounds before disk is measured again; default 0)")
    ap.add_argument("--render", help="write the markdown of a run (the suite, shaping, deepqueue, bussubmit) again "
                    "from its results-*.json")
    a = ap.parse_args()
    if a.render:
        import json
        d = json.load(open(a.render))
        if d.get("tag") == "suite":
            facts, res, params, quick = report.load_suite(a.render)
            with open(a.render[:-5] + ".md", "w") as f:
                f.write(report.markdown(facts, res, params, quick))
            log("rendered " + a.render[:-5] + ".md")
            return 0
        write = {"deepqueue": report.write_deepqueue, "bussubmit": report.write_bussubmit}.get(d.get("tag"),
                                                                                                report.write_shaping)
        log("rendered " + write(a.results, d["facts"], d["params"], d["results"], d["quick"],
                                dated=a.render[:-5] + ".md"))
        return 0
    if a.dead_destination or a.campaign:
        return shaping_main(a)
    if a.sustained:
        return sustained_main(a)
    p = dict(QUICK if a.quick else FULL)
    if a.rounds:
        p["rounds"] = max(1, a.rounds)
    if a.messages:
        p["msgs"] = {1024: max(1, a.messages), 32768: max(1, a.messages // 2)}
    if a.latency_rate:
        p["lat_rate"] = max(1, a.latency_rate)
    want = [s.strip() for s in a.only.split(",") if s.strip()]
    if want == ["deepqueue"]:
        return deepqueue_main(a)
    if want == ["bussubmit"]:
        return bussubmit_main(a)
    if want == ["feed"]:
        return feed_main(a)
    if want == ["wan"]:
        return wan_main(a)
    for alone in ("deepqueue", "bussubmit", "feed", "wan"):
        if alone in want:
            ap.error("--only %s runs alone (benchmarks/README.md)" % alone)
    unknown = [s for s in want if s not in SCENARIOS]
    if unknown or not want:
        ap.error("--only: unknown scenario(s) %s; choose from %s" % (unknown, ",".join(SCENARIOS)))
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(os.path.join(a.work, "pids"), exist_ok=True)
    facts = machine_facts(os.path.dirname(here))
    facts["scenarios"] = ",".join(want)
    facts["hermod jar"] = "%s (sha256 %s)" % (a.jar, sh(["sh", "-c", "sha256sum '%s' | cut -c1-12" % a.jar]))
    facts["hermod listener instances"] = str(a.listener_instances)
    results = {"throughput": {}, "fsync": {}, "latency": {}, "concurrency": {}, "big": {}, "calibration": {},
               "submission": {}}
    started = []

    def keep(x):
        started.append(x)
        return x

    try:
        # --- the ceiling, and which sink is faster, per message size: smtp-sink is the faster at 1 KiB on some
        # runs but tops out near 4,500 msg/s at 32 KiB, so one choice for every size let the sink cap the 32 KiB
        # cases (issue #17's note)
        c_fast = keep(procs.SmtpSink(a.work, "ceiling-smtp-sink"))
        c_py = keep(procs.PySink(a.work, "ceiling-sink-py", here))
        ceiling = Target("ceiling", {"fast.test": c_fast, "py.test": c_py},
                         ceiling_ports={"fast.test": c_fast.port, "py.test": c_py.port})
        calibrated = p["sizes"] if {"throughput", "big"} & set(want) else []
        for size in calibrated:
            for sessions in p["sessions"]:
                for dom in ("fast.test", "py.test"):
                    m = max(p["calibration"] if size == 1024 else p["msgs"][size], p["per_session"] * sessions)
                    r = scenarios.throughput(ceiling, dom, size, sessions, m, p["stall"], p["limit"], a.work)
                    results["calibration"].setdefault((size, sessions, ceiling.sink(dom).kind), []).append(r)
                    log("calibration %s %dB sessions=%d: %s" % (ceiling.sink(dom).kind, size, sessions, describe(r)))
        domains = {size: faster_sink(results["calibration"], size) for size in calibrated}

        def domain_for(size):
            """The recipient domain whose sink was the faster for the calibrated size nearest above (1 KiB's
            for smaller ones, the largest's for bigger ones); smtp-sink's when nothing was calibrated."""
            fitting = [c for c in sorted(domains) if c >= size] or sorted(domains)[-1:]
            return domains[fitting[0]] if fitting else "fast.test"

        domain = domain_for(1024)  # the one-session and latency cases send 1 KiB
        facts["throughput sink"] = ", ".join("%s: %s" % (report._size(size), ceiling.sink(d).kind)
                                             for size, d in sorted(domains.items())) + (
            " (per message size, the faster in the calibration below)" if domains else ceiling.sink(domain).kind)
        log("throughput sink: " + facts["throughput sink"])

        # --- the MTAs, each with its own two sinks; recipient domain selects the sink
        h_sinks = {"fast.test": keep(procs.SmtpSink(a.work, "hermod-smtp-sink")),
                   "py.test": keep(procs.PySink(a.work, "hermod-sink-py", here))}
        f_sinks = {"fast.test": keep(procs.SmtpSink(a.work, "postfix-smtp-sink")),
                   "py.test": keep(procs.PySink(a.work, "postfix-sink-py", here))}
        process_limit = max(p["idle"]) + 1000
        dovecot = None
        if "submission" in want:
            try:
                dovecot = keep(procs.DovecotAuth(a.work))
                facts["postfix submission"] = ("Dovecot %s SASL (auth service only), PBKDF2 x %d, auth_cache_size=10M, "
                                               "auth_cache_ttl=1 hour" % (sh(["dovecot", "--version"]).split()[0],
                                                                          procs.DovecotAuth.ITERATIONS))
            except (OSError, RuntimeError, subprocess.SubprocessError) as e:
                facts["postfix submission"] = "none: private Dovecot did not start (%s)" % e
                log(facts["postfix submission"])
        postfix = keep(procs.Postfix(a.work, {d: s.port for d, s in f_sinks.items()}, f_sinks["py.test"].port,
                                     process_limit, dovecot))
        facts["postfix tuning"] = ("default_process_limit=%d, in_flow_delay=0, chroot off, smtpd_peername_lookup=no, "
                                   "smtp_dns_support_level=disabled, message_size_limit=100 MiB" % process_limit)
        hermod = keep(procs.Hermod(a.work, a.jar, {d: s.port for d, s in h_sinks.items()}, h_sinks["py.test"].port,
                                   listener_instances=a.listener_instances))
        hermod_why = hermod.error and ("Hermod did not start: " + hermod.error + (" " + a.jar_note if a.jar_note else ""))
        facts["hermod"] = hermod_why or "started, pid %d, config %s" % (hermod.p.pid, hermod.conf)
        log(facts["hermod"])
        targets = [ceiling, Target("Hermod", h_sinks, hermod, why_not=hermod_why),
                   Target("Postfix", f_sinks, postfix)]
        mtas = targets[1:]

        def submissions(messages, record, order):
            # One MTA's four variants back to back, so its with/without-AUTH pair sees the same machine load
            # (other work on a shared machine drifts over minutes); the MTAs alternate which goes first.
            for t in order:
                for label, listener, auth, resume in SUBMISSION_VARIANTS:
                    port = t.mta.submission_port if listener == "submission" else t.mta.port
                    login = (procs.SUBMISSION_USER, procs.SUBMISSION_PASSWORD) if auth else None
                    r = scenarios.submission(t, port, login, resume, messages, p["sub_threads"], p["stall"], p["limit"])
                    if record:
                        results["submission"].setdefault(label, {}).setdefault(t.name, []).append(r)
                    log("  %s%s %s: %s" % ("" if record else "warm-up ", t.name, label, describe(r)))

        if "submission" in want:
            # TLS, AUTH and PBKDF2 code paths: without a warm-up the JVM's first round measures its JIT compiler.
            log("connection-per-message submission: warm-up (not recorded)")
            submissions(max(32, p["sub_msgs"] // 5), False, mtas)
        if {"throughput", "fsync", "latency"} & set(want):
            # A fresh JVM's first messages run in its interpreter and JIT compiler: on this 2-core rig Hermod's C2
            # compiler kept a core busy for about 100,000 messages (issue #17), so a fixed warm-up left round 1 and
            # part of round 2 measuring the compiler. Hermod repeats a pass (1 KiB, then 32 KiB) until its JIT
            # threads took under scenarios.JIT_SETTLED of its CPU in a pass, at most warmup_passes; Postfix, which
            # compiles nothing, gets one pass of a tenth (its caches). scenarios.warm_up, shared with ab.py.
            log("throughput: warm-up, 1 KiB and 32 KiB x32 sessions into each MTA (not recorded)")
            for t in mtas:
                n = p["warmup"] if t.name == "Hermod" else max(1, p["warmup"] // 10)
                pid = t.mta.p.pid if t.name == "Hermod" and t.mta and t.mta.p else None

                def ran(rnd, size, count, r, name=t.name):
                    log("  warm-up %s pass %d %dB x%d: %s" % (name, rnd, size, count, describe(r)))

                def passed(rnd, share, name=t.name, n=n):
                    facts["hermod warm-up"] = "%d pass(es) of %d + %d messages; JIT compiler threads %.0f %% of its CPU in the last" % (
                        rnd, n, max(1, n // 10), 100 * share)
                    log("  warm-up %s pass %d: JIT compiler threads %.0f %% of its CPU" % (name, rnd, 100 * share))
                scenarios.warm_up(t, domain_for, n, 32, p["warmup_passes"], pid, p["stall"], p["limit"], a.work,
                                  ran, passed)
        for rnd in range(1, p["rounds"] + 1):
            if "submission" in want:
                log("round %d/%d: connection-per-message submission" % (rnd, p["rounds"]))
                submissions(p["sub_msgs"], True, mtas if rnd % 2 else mtas[::-1])
            log("round %d/%d: throughput" % (rnd, p["rounds"]))
            for size in p["sizes"] if "throughput" in want else []:
                for sessions in p["sessions"]:
                    m = max(p["msgs"][size], p["per_session"] * sessions)
                    for t in targets:
                        r = scenarios.throughput(t, domain_for(size), size, sessions, m, p["stall"], p["limit"],
                                                 a.work)
                        results["throughput"].setdefault((size, sessions, m), {}).setdefault(t.name, []).append(r)
                        log("  %s %dB x%d s=%d: %s" % (t.name, size, m, sessions, describe(r)))
            log("round %d/%d: fsyncs per message at one session (perf, then strace)" % (rnd, p["rounds"]))
            for t in mtas if "fsync" in want else []:
                r = scenarios.fsyncs(t, domain, p["fsync_msgs"], p["stall"], p["limit"], a.work)
                results["fsync"].setdefault(p["fsync_msgs"], {}).setdefault(t.name, []).append(r)
                log("  %s 1024B x%d s=1: %s %s" % (t.name, p["fsync_msgs"], describe(r), r.get("sync_files", "")))
            log("round %d/%d: latency" % (rnd, p["rounds"]))
            for t in targets if "latency" in want else []:
                r = scenarios.latency(t, p["lat_rate"], p["lat_seconds"], p["stall"])
                results["latency"].setdefault((p["lat_rate"], p["lat_seconds"]), {}).setdefault(t.name, []).append(r)
                log("  %s: %s" % (t.name, describe(r)))
            log("round %d/%d: concurrency" % (rnd, p["rounds"]))
            for n in p["idle"] if "concurrency" in want else []:
                if n > 2000 and rnd > 1:
                    continue  # Postfix forks ~25 smtpd/s: 10,000 sessions take minutes, so one round only
                for t in mtas:
                    r = scenarios.concurrency(t, n, open_timeout=60, overall=p["idle_overall"])
                    results["concurrency"].setdefault(n, {}).setdefault(t.name, []).append(r)
                    log("  %s %d sessions: %s" % (t.name, n, describe(r)))
            log("round %d/%d: big message" % (rnd, p["rounds"]))
            for t in targets if "big" in want else []:
                r = scenarios.big_message(t, domain_for(p["big"]), p["big"], p["stall"] * 2, p["limit"], a.work)
                results["big"].setdefault(p["big"], {}).setdefault(t.name, []).append(r)
                log("  %s %d bytes: %s" % (t.name, p["big"], describe(r)))
    except Exception:
        traceback.print_exc()
        log("the harness broke; partial results follow")
        status = 2
    else:
        status = 0
    finally:
        for x in reversed(started):
            try:
                x.stop()
            except Exception as e:  # keep stopping the others
                log("stopping %s: %s" % (type(x).__name__, e))
    md, png = report.write(a.results, facts, results, p, a.quick, "" if len(want) == len(SCENARIOS) else "-".join(want))
    log("results: %s%s" % (md, " and " + png if png else " (no chart: a partial run, or gnuplot missing or failed)"))
    return status


def module_main(a, tag, defaults, runner, write, facts=None):
    """A scenario module run alone (shaping, deepqueue): runner() -> (params, results); results in
    results-<date>-<tag>.md and .json, the raw numbers of the last run also in work/<tag>-last.json."""
    import json
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(os.path.join(a.work, "pids"), exist_ok=True)
    facts = dict(machine_facts(os.path.dirname(here)), **(facts or {}))
    facts["hermod"] = "%s%s" % (a.jar, " " + a.jar_note if a.jar_note else "")
    status = 0
    p, res = dict(defaults), {}
    try:
        p, res = runner()
    except Exception:
        traceback.print_exc()
        log("the harness broke; partial results follow")
        status = 2
    last = os.path.join(a.work, tag + "-last.json")
    with open(last, "w") as f:
        json.dump({"params": p, "results": res}, f, indent=1, default=str)
    md = write(a.results, facts, p, res, a.quick)
    log("results: %s (raw numbers: %s)" % (md, last))
    return status


def shaping_main(a):
    """The shaping scenarios only (benchmarks/shaping.py); results in results-<date>-shaping.md."""
    import shaping
    here = os.path.dirname(os.path.abspath(__file__))
    which = {w for w, on in (("dead", a.dead_destination), ("campaign", a.campaign)) if on}
    overrides = {"dead_n": a.dead_messages, "camp_n": a.campaign_messages, "camp_domains": a.campaign_domains,
                 "backoff": a.backoff}
    if a.backoff:
        overrides["scan"] = max(1, a.backoff // 2)
    return module_main(a, "shaping", shaping.QUICK if a.quick else shaping.FULL,
                       lambda: shaping.run(a.work, a.jar, here, a.quick, which, overrides, a.jar_note),
                       report.write_shaping, {"dnsmasq": sh(["dnsmasq", "--version"]).splitlines()[0]})


def deepqueue_main(a):
    """The deep-queue scenario only (benchmarks/deepqueue.py); results in results-<date>-deepqueue.md."""
    import deepqueue
    overrides = {"hermod_n": a.deep_messages, "postfix_n": a.deep_postfix_messages, "drain_limit": a.deep_drain_limit,
                 "hold": a.deep_hold}
    return module_main(a, "deepqueue", deepqueue.QUICK if a.quick else deepqueue.FULL,
                       lambda: deepqueue.run(a.work, a.jar, a.quick, overrides, a.jar_note),
                       report.write_deepqueue,
                       {"disk free (work)": sh(["df", "-h", "--output=avail", a.work]).splitlines()[-1].strip()})


def bussubmit_main(a):
    """Bus submission against SMTP intake (benchmarks/bussubmit.py); results in results-<date>-bussubmit.md."""
    import bussubmit
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return module_main(a, "bussubmit", bussubmit.QUICK if a.quick else bussubmit.FULL,
                       lambda: bussubmit.run(a.work, a.jar, root, a.quick, {"rounds": a.rounds}),
                       report.write_bussubmit)


def feed_main(a):
    """The event-feed scenario only (benchmarks/feed.py); results in results-<date>-feed.md."""
    import feed
    here = os.path.dirname(os.path.abspath(__file__))
    return module_main(a, "feed", feed.QUICK if a.quick else feed.FULL,
                       lambda: feed.run(a.work, a.jar, here, a.quick, {}, a.jar_note), feed.write)


def wan_main(a):
    """The wan scenario only (benchmarks/wan.py); results in results-<date>-wan.md."""
    import wan
    here = os.path.dirname(os.path.abspath(__file__))
    return module_main(a, "wan", wan.QUICK if a.quick else wan.FULL,
                       lambda: wan.run(a.work, a.jar, here, a.quick, {}, a.jar_note), wan.write)


def sustained_main(a):
    """The sustained scenario only (benchmarks/sustained.py); results in results-<date>-sustained.md."""
    import sustained
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(os.path.join(a.work, "pids"), exist_ok=True)
    facts = machine_facts(os.path.dirname(here))
    facts["hermod jar"] = "%s%s" % (a.jar, " " + a.jar_note if a.jar_note else "")
    seconds = a.sustained_seconds or (60 if a.quick else 300)
    try:
        log("results: " + sustained.run(a.work, a.jar, here, a.results, max(10, seconds), facts))
    except Exception:
        traceback.print_exc()
        log("the harness broke")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
