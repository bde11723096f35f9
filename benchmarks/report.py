"""Markdown tables and a gnuplot chart from the runs. Medians over successful rounds; a cell says
FAILED(reason) when no round succeeded and "(k/n ok)" when only some did."""
import os
import shutil
import statistics
import subprocess
import time

import scenarios


def _ok(runs, key):
    return [r[key] for r in runs if r["ok"] and key in r]


def _median(runs, key):
    vals = _ok(runs, key)
    return statistics.median(vals) if vals else None


def cell(runs, key, fmt="%.0f"):
    if not runs:
        return "–"
    if all(r.get("skipped") for r in runs):
        return "n/a"
    vals = _ok(runs, key)
    if not vals and all(r["ok"] for r in runs):
        return "–"  # not measured for this target
    if not vals:
        partial = [r[key] for r in runs if key in r]  # measured, but not every message made it
        reason = next((r.get("reason") for r in runs if r.get("reason")), "?")
        return (fmt % statistics.median(partial) + " FAILED(%s)" % reason) if partial else "FAILED(%s)" % reason
    text = fmt % statistics.median(vals)
    return text if len(vals) == len(runs) else text + " (%d/%d ok)" % (len(vals), len(runs))


def ratio(a, b):
    return "%.2f" % (a / b) if a and b else "–"


def _table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def _size(n):
    return "%d KiB" % (n // 1024) if n < 1024 * 1024 else "%d MiB" % (n // (1024 * 1024))


TARGETS = ("ceiling", "Hermod", "Postfix")


def calibration_section(calibration):
    """Each sink's rate per message size and session count; keys (size, sessions, kind), or (sessions, kind) in
    runs from before the sink was chosen per size (1 KiB only)."""
    by = {(k if len(k) == 3 else (1024,) + tuple(k)): runs for k, runs in calibration.items()}
    kinds = sorted({k for (_, _, k) in by})
    cases = sorted({(size, s) for (size, s, _) in by})
    return ("\n## Sink calibration (ceiling, smtp-source straight into the sink; the faster per size is used)\n"
            + _table(["size", "sessions"] + ["%s msg/s" % k for k in kinds],
                     [[_size(size), s] + [cell(by.get((size, s, k), []), "rate") for k in kinds] for size, s in cases]))


def markdown(facts, res, p, quick):
    md = ["# Hermod vs Postfix benchmark%s\n" % (" (--quick: indicative only)" if quick else ""),
          "Rounds: %d, interleaved (ceiling, Hermod, Postfix per case). Medians over successful rounds. "
          "See benchmarks/README.md for what each column means.\n" % p["rounds"], "## Machine\n",
          _table(["fact", "value"], [(k, str(v).replace("|", "/")) for k, v in facts.items()])]

    if res.get("submission"):
        md.append(submission_section(res["submission"], p))
    if res.get("calibration"):
        md.append(calibration_section(res["calibration"]))
    if res.get("throughput"):
        md.append(throughput_section(res["throughput"]))
    if res.get("fsync"):
        md.append(fsync_section(res["fsync"]))
    if res.get("latency"):
        md.append(latency_section(res["latency"]))
    if res.get("concurrency"):
        md.append("\n## Idle sessions (opened, greeted, EHLO; then memory and one new client's transaction)\n")
        rows = []
        for n, by in sorted(res["concurrency"].items()):
            for name, runs in by.items():
                rows.append([n, name, cell(runs, "held"), cell(runs, "open_s", "%.1f"), cell(runs, "rss"),
                             cell(runs, "pss"), cell(runs, "procs"), cell(runs, "probe_ms")])
        md.append(_table(["sessions", "MTA", "held", "open s", "RSS MiB (sum VmRSS)", "PSS MiB", "processes",
                          "new client ms"], rows))
    if res.get("big"):
        md.append("\n## One large message (accepted and relayed)\n")
        rows = []
        for size, by in sorted(res["big"].items()):
            for name, runs in by.items():
                rows.append([_size(size), name, cell(runs, "seconds", "%.2f"), cell(runs, "peak_rss")])
        md.append(_table(["size", "target", "seconds", "peak RSS MiB"], rows))
    return "\n".join(md)


def throughput_section(thr):
    """Relay rates with their ratios, then durable accept rates and CPU per message."""
    md = ["\n## Accept + relay throughput (relay: first send until the sink counted every message)\n\n"]
    rows = []
    for (size, sessions, m), by in sorted(thr.items()):
        c, h, f = (_median(by.get(n, []), "rate") for n in TARGETS)
        rows.append([_size(size), sessions, m] + [cell(by.get(n, []), "rate") for n in TARGETS] +
                    [ratio(h, c), ratio(f, c), ratio(h, f)])
    md.append(_table(["size", "sessions", "messages", "ceiling msg/s", "Hermod msg/s", "Postfix msg/s",
                      "Hermod/ceiling", "Postfix/ceiling", "Hermod/Postfix"], rows))
    md.append("\n## Durable accept rate and CPU per message (same runs)\n\n"
              "Accept: first send until smtp-source exited (every message had its 250). CPU: utime+stime of the "
              "whole process tree from the first send until it went quiet after the last arrival, per message; "
              "the ceiling's is its sink's alone (the rig's own cost). Each MTA had an unrecorded warm-up before round 1 "
              "(Hermod's until its JIT compiler settled: see `hermod warm-up` in the facts).\n\n")
    rows = []
    for (size, sessions, m), by in sorted(thr.items()):
        acc = [_median(by.get(n, []), "accept_rate") for n in TARGETS]
        cpu = [_median(by.get(n, []), "cpu_us") for n in TARGETS]
        rows.append([_size(size), sessions, m] + [cell(by.get(n, []), "accept_rate") for n in TARGETS] +
                    [ratio(acc[1], acc[2])] + [cell(by.get(n, []), "cpu_us") for n in TARGETS] +
                    [ratio(cpu[1], cpu[2])])
    md.append(_table(["size", "sessions", "messages", "ceiling accept msg/s", "Hermod accept msg/s",
                      "Postfix accept msg/s", "Hermod/Postfix accept", "ceiling (sink) CPU µs/msg",
                      "Hermod CPU µs/msg", "Postfix CPU µs/msg", "Hermod/Postfix CPU"], rows))
    return "".join(md)


def _per_message(runs, key, messages):
    """{name: count} summed over the successful runs, per message, as "name 1.00, other 0.50" (largest first)."""
    ok = [r for r in runs if r["ok"] and key in r]
    total = {}
    for r in ok:
        for k, v in r[key].items():
            total[k] = total.get(k, 0) + v
    return ", ".join("%s %.2f" % (k, v / (messages * len(ok))) for k, v in
                     sorted(total.items(), key=lambda kv: -kv[1])) or "none"


def fsync_section(fs):
    md = ["\n## fsyncs per message at one session (1 KiB, smtp-source -d -s 1, the MTA's whole process tree)\n\n"
          "Every fsync, fdatasync, sync_file_range, msync, syncfs and sync of every process and thread of the MTA, "
          "from the first send until it went quiet after the last arrival, per message, counted twice in two runs: "
          "by perf from the kernel's tracepoints (no ptrace: the MTA at its own speed) and by strace (by call and "
          "by file, summed over the rounds, per message; its msg/s are slowed by strace and are no measure of "
          "speed).\n\n"]
    rows = []
    for m, by in sorted(fs.items()):
        for name, runs in by.items():
            rows.append([name, m, cell(runs, "perf_fsyncs_per_msg", "%.2f"), _per_message(runs, "perf_syncs", m),
                         cell(runs, "perf_rate"), cell(runs, "fsyncs_per_msg", "%.2f"), _per_message(runs, "syncs", m),
                         _per_message(runs, "sync_files", m), cell(runs, "rate")])
    md.append(_table(["MTA", "messages", "syncs/msg (perf)", "by call (perf)", "msg/s (perf run)",
                      "syncs/msg (strace)", "by call (strace)", "by file (strace)", "msg/s under strace"], rows))
    return "".join(md)


def _bucket_names(bounds):
    names, low = [], None
    for b in bounds:
        names.append("≤ %g ms" % b if low is None else "%g–%g" % (low, b))
        low = b
    return names + ["> %g ms" % low]


def latency_section(lat):
    md = ["\n## Relay latency (send stamp to arrival at the sink, fixed rate)\n\n"]
    rows = []
    for (rate, secs), by in lat.items():
        for name, runs in by.items():
            rows.append([name, "%d msg/s x %d s" % (rate, secs), cell(runs, "arrived")] +
                        [cell(runs, k, "%.1f") for k in ("p50", "p90", "p99", "p99_9", "max")] +
                        [cell(runs, "late", "%.2f")])
    md.append(_table(["target", "load", "arrived", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms",
                      "sender late s"], rows))
    md.append("\nHistogram: messages per latency bucket, summed over the rounds (runs where some never arrived "
              "included: the missing ones are in no bucket).\n\n")
    md.append(latency_histogram(lat))
    return "".join(md)


def latency_histogram(lat):
    """A table: per target and offered rate, the messages in each latency bucket, summed over the rounds."""
    rows = []
    for (rate, secs), by in lat.items():
        for name, runs in by.items():
            hists = [r["hist"] for r in runs if r.get("hist")]
            rows.append([name, "%d msg/s" % rate] + ([sum(c) for c in zip(*hists)] if hists else
                                                    ["–"] * (len(scenarios.LATENCY_BUCKETS_MS) + 1)))
    return _table(["target", "load"] + _bucket_names(scenarios.LATENCY_BUCKETS_MS), rows)


def submission_section(sub, p):
    """Connection-per-message submission: one row per variant and MTA, then AUTH / no-AUTH per MTA."""
    out = ["\n## Connection-per-message submission (%d messages, %d client threads, Python smtplib: connect, "
           "STARTTLS, AUTH PLAIN, one 1 KiB message, QUIT)\n" % (p["sub_msgs"], p["sub_threads"])]
    rows = []
    for label, by in sub.items():
        for name, runs in by.items():
            rows.append([label, name, cell(runs, "rate", "%.1f"), cell(runs, "p50"), cell(runs, "p99"),
                         cell(runs, "login_p50", "%.1f"), cell(runs, "login_p99", "%.1f"), cell(runs, "resumed"),
                         cell(runs, "cpu_ms", "%.1f")])
    out.append(_table(["variant", "MTA", "msg/s", "session p50 ms", "session p99 ms", "AUTH p50 ms", "AUTH p99 ms",
                       "TLS resumed", "MTA CPU ms/msg"], rows))
    labels = list(sub)
    rows = []
    for name in sorted({n for by in sub.values() for n in by}):
        for handshakes, auth, plain in (("full", labels[0], labels[2]), ("resumed", labels[1], labels[3])):
            a, b = _median(sub[auth].get(name, []), "rate"), _median(sub[plain].get(name, []), "rate")
            pairs = [x["rate"] / y["rate"] for x, y in zip(sub[auth].get(name, []), sub[plain].get(name, []))
                     if x["ok"] and y["ok"] and y.get("rate")]
            rows.append([name, handshakes, "%.1f" % a if a else "–", "%.1f" % b if b else "–",
                         "%.2f" % statistics.median(pairs) if pairs else "–",
                         " ".join("%.2f" % x for x in pairs) or "–"])
    out.append("\nWith AUTH (submission) / without AUTH (mx): msg/s medians, and the ratio of the two runs of each "
               "round (run back to back; their median is the figure; Hermod's goal: at least 0.80):\n\n")
    out.append(_table(["MTA", "TLS handshakes", "with AUTH msg/s", "without AUTH msg/s", "ratio (median of rounds)",
                       "ratio per round"], rows))
    return "".join(out)


def chart(res, results_dir):
    if not shutil.which("gnuplot") or not res["throughput"]:
        return None
    data = os.path.join(results_dir, "latest.dat")
    with open(data, "w") as f:
        f.write("case ceiling Hermod Postfix\n")
        for (size, sessions, _), by in sorted(res["throughput"].items()):
            vals = [_median(by.get(n, []), "rate") for n in ("ceiling", "Hermod", "Postfix")]
            f.write('"%s/%d" %s\n' % (_size(size), sessions, " ".join("%.1f" % v if v else "?" for v in vals)))
    png = os.path.join(results_dir, "latest.png")
    script = """
set terminal pngcairo size 1000,560 noenhanced
set output '%s'
set datafile missing '?'
set title 'accept + relay throughput (msgs/s, log scale; missing bar = FAILED)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y
set yrange [1:*]
set grid ytics
set key top right
set xlabel 'message size / concurrent sessions'
plot '%s' using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3), '' using 4 title columnheader(4)
""" % (png, data)
    r = subprocess.run(["gnuplot"], input=script, capture_output=True, text=True, timeout=60)
    return png if r.returncode == 0 and os.path.exists(png) else None


def write(results_dir, facts, res, p, quick, only=""):
    """results-DATE.md and .json, copies as latest.md and latest.json; for a run of some scenarios only (--only),
    results-DATE-ONLY.* and latest-ONLY.*, so a partial run never replaces the full one. The .json holds every
    run's numbers (suite_json), from which `report.py --readme FILE` prints README.md's table."""
    os.makedirs(results_dir, exist_ok=True)
    text = markdown(facts, res, p, quick)
    png = chart(res, results_dir) if not only else None
    if png:
        text += "\n![throughput](latest.png)\n"
    suffix = "-" + only if only else ""
    dated = os.path.join(results_dir, "results-%s%s.md" % (time.strftime("%Y-%m-%d-%H%M%S"), suffix))
    raw = suite_json(facts, res, p, quick)
    for path in (dated, os.path.join(results_dir, "latest%s.md" % suffix)):
        with open(path, "w") as f:
            f.write(text)
        with open(path[:-3] + ".json", "w") as f:
            f.write(raw)
    return dated, png


def suite_json(facts, res, p, quick):
    """The suite's results as JSON: each scenario a list of [case key, {target: [run, ...]}] (keys are tuples
    such as (size, sessions, messages), which JSON objects cannot hold)."""
    import json
    return json.dumps({"tag": "suite", "facts": facts, "params": p, "quick": quick,
                       "results": {s: [[list(k) if isinstance(k, tuple) else k, by] for k, by in cases.items()]
                                   for s, cases in res.items()}}, indent=1, default=str)


def load_suite(path):
    """suite_json's file -> (facts, results with tuple keys again, params, quick)."""
    import json
    with open(path) as f:
        d = json.load(f)
    res = {s: {tuple(k) if isinstance(k, list) else k: by for k, by in cases} for s, cases in d["results"].items()}
    return d["facts"], res, d["params"], d["quick"]


# ---------------------------------------------------------------- shaping scenarios (benchmarks/shaping.py)

BEHAVIOUR = {
    "fast": "accepts everything",
    "throttle": "421 4.7.0 at MAIL beyond %d messages per %d s (whole site), then closes",
    "greylist": "451 4.7.1 to the first RCPT of every recipient",
    "slow": "greeting after %.1f s, every reply after %.2f s",
    "dead": "resets every connection for the first %d s, then accepts everything",
}


def _num(v, fmt="%.0f"):
    return "–" if v is None else fmt % v


def _runs_cell(r, text):
    if r.get("skipped"):
        return "n/a (%s)" % r.get("reason", "")
    return text if r.get("ok") else text + " FAILED(%s)" % r.get("reason", "?")


def shaping_markdown(facts, p, res, quick):
    md = ["# Sending at scale: Hermod vs Postfix%s\n" % (" (--quick: indicative only)" if quick else ""),
          "One run of each case per MTA (Hermod first, then Postfix), each MTA fresh with its own peer. "
          "See benchmarks/README.md \"Shaping scenarios\" for what each column means.\n", "## Machine\n",
          _table(["fact", "value"], [(k, str(v).replace("|", "/")) for k, v in facts.items()]),
          "\n## Retry timing (the same for both MTAs)\n",
          _table(["what", "Postfix", "Hermod", "seconds"], [
              ["first retry of a deferred message", "minimal_backoff_time", "delivery.retryInitialSeconds", p["backoff"]],
              ["a dead (throttled) destination's probe", "minimal_backoff_time (qmgr unthrottle timer)",
               "shaping.probeSeconds (doubles after a failed probe)", p["backoff"]],
              ["how often deferred mail is looked at", "queue_run_delay", "delivery.scanIntervalSeconds", p["scan"]],
          ]),
          "Everything else is each MTA's default (Postfix: initial_destination_concurrency 5, "
          "default_destination_concurrency_limit 20, failed cohort limit 1, default_process_limit 200; Hermod: "
          "shaping.initialConnections 5, delivery.maxConnectionsPerDestination 20, failedCohortLimit 1, "
          "delivery.suspendSeconds 60 with the default suspendPatterns, maxMessagesPerConnection 100).\n"]
    dead = res.get("dead") or {}
    titles = {"smarthost": "%s messages relayed to a smarthost ([127.0.0.1]:port) that resets every connection "
                           "at once" % "{:,}".format(p["dead_n"]),
              "mx421": "%s messages to %d domains whose one MX host answers 421 to every connection" % (
                  "{:,}".format(p["mx_n"]), p["mx_domains"])}
    for variant, by in dead.items():
        md.append("\n## Dead destination: %s\n" % titles.get(variant, variant))
        rows = []
        for name, r in by.items():
            if "conns_round1" not in r:
                rows.append([name, _runs_cell(r, "")] + ["–"] * 9)
                continue
            c = r["mta_before_up"]
            rows.append([name, _runs_cell(r, "{:,}".format(r["accepted"])), _num(r["inject_s"], "%.1f"),
                         _num(r["round1_s"], "%.1f"), r["conns_round1"], r["conns_retry"],
                         "%d / %d" % (r["deferrals_round1"], r["deferrals_retry"]),
                         c.get("deferred without a connection", "–"), _num(r["first_conn_after_up"], "%.1f"),
                         _num(r["revive_s"], "%.1f") if r["ok"] else "not in %.0f (%d/%d; last at %s)" % (
                             r["waited_s"], r["delivered"], r["n"], _num(r["revive_s"], "%.0f")),
                         r["conns_revive"]])
        md.append(_table(["MTA", "messages", "injected in s", "round 1 s", "connections round 1",
                          "connections in the next %d s" % (p["backoff"] + p["scan"] + 5),
                          "deferrals round 1 / by then", "deferred without a connection",
                          "peer up → first connection s", "peer up → all delivered s", "connections after up"],
                         rows))
        notes = ["%s: %s" % (n, r["note"]) for n, r in by.items() if r.get("note")]
        md += ["- " + n + "\n" for n in notes]
    camp = (res.get("campaign") or {}).get("campaign")
    if camp:
        md.append("\n## Campaign: %s messages to %s domains on 5 simulated providers\n" % (
            "{:,}".format(p["camp_n"]), "{:,}".format(p["camp_domains"])))
        rows = []
        for name, r in camp.items():
            if "sites" not in r:
                rows.append([name, _runs_cell(r, "")] + ["–"] * 7)
                continue
            m = r["mta"]
            rows.append([name, _runs_cell(r, "{:,}".format(r["delivered"])), _num(r["inject_s"], "%.1f"),
                         _num(r["t50"]), _num(r["t90"]),
                         _num(r["seconds"]) if r["ok"] else "not in %d (last at %.0f)" % (p["camp_limit"], r["seconds"]),
                         _num(r["rate"], "%.1f"),
                         m.get("deferrals", "–"), m.get("deferred without a connection", "–")])
        md.append(_table(["MTA", "delivered", "injected in s", "50 % delivered s", "90 % delivered s",
                          "all delivered s", "msgs/s (delivered / last delivery s)", "deferrals", "deferred without a connection"],
                         rows))
        beh = dict(BEHAVIOUR)
        beh["throttle"] = beh["throttle"] % tuple(p["throttle_rate"])
        beh["slow"] = beh["slow"] % tuple(p["slow"])
        beh["dead"] = beh["dead"] % p["dead_for"]
        md.append("\nPer provider (counted at the peer; *wasted* = connections that delivered no message):\n")
        rows = []
        for site in ("fast", "throttle", "greylist", "slow", "dead"):
            for name, r in camp.items():
                s = (r.get("sites") or {}).get(site)
                if not s:
                    continue
                rows.append([site, name, "%d/%d" % (s["delivered"], s["want"]), s["conns"], s["wasted"],
                             s["throttled"], s["greylisted"], s["refused"], _num(s["last_s"])])
        md.append(_table(["provider", "MTA", "delivered", "connections", "wasted connections", "421 4.7.0 sent",
                          "451 4.7.1 sent", "connections reset", "last delivery s"], rows))
        md.append("\n" + "\n".join("- **%s**: %s" % kv for kv in beh.items()) + "\n")
        for name, r in camp.items():
            if r.get("mta") and name == "Hermod":
                md.append("\nHermod's own counters at the end: %s\n" % ", ".join(
                    "%s %s" % kv for kv in r["mta"].items()))
    return "\n".join(md)


def write_named(results_dir, tag, text, data, dated=None):
    """results-<date>-<tag>.md, a copy as latest-<tag>.md, and the raw numbers beside it (.json), from which
    `bench.py --render FILE.json` writes the markdown again."""
    import json
    os.makedirs(results_dir, exist_ok=True)
    dated = dated or os.path.join(results_dir, "results-%s-%s.md" % (time.strftime("%Y-%m-%d-%H%M%S"), tag))
    for path in (dated, os.path.join(results_dir, "latest-%s.md" % tag)):
        with open(path, "w") as f:
            f.write(text)
    with open(dated[:-3] + ".json", "w") as f:
        json.dump(dict(data, tag=tag), f, indent=1, default=str)
    return dated


def write_shaping(results_dir, facts, p, res, quick, dated=None):
    return write_named(results_dir, "shaping", shaping_markdown(facts, p, res, quick),
                       {"facts": facts, "params": p, "results": res, "quick": quick}, dated)


def _per(v, n, fmt="%.0f"):
    return "–" if v is None or not n else fmt % (v / n)


def _mib(v):
    return "–" if v is None else "%.0f MiB" % (v / 1048576)


def _tool(t):
    if not t:
        return "–"
    if t.get("skipped"):
        return "n/a (%s)" % t.get("reason")
    text = _num(t.get("seconds"), "%.2f s")
    return text if t.get("ok") else "%s FAILED(%s)" % (text, t.get("reason"))


def deepqueue_markdown(facts, p, res, quick):
    """One column per MTA; rows as in benchmarks/README.md "Deep queue"."""
    names = list(res)
    md = ["# Deep queue: Hermod vs Postfix%s\n" % (" (--quick: indicative only)" if quick else ""),
          "Each MTA fresh, Hermod first: N messages of %d bytes (smtp-source -d, %d sessions) relayed to a smarthost "
          "on a loopback port where nothing listens (connection refused), then measured at that depth, killed with "
          "SIGKILL and started again, then a sink starts on that port and the queue drains. One run, no medians. "
          "See benchmarks/README.md \"Deep queue\".\n" % (p["size"], p["sessions"]), "## Machine\n",
          _table(["fact", "value"], [(k, str(v).replace("|", "/")) for k, v in facts.items()]),
          "\n## Retry timing (the same for both MTAs)\n",
          _table(["what", "Postfix", "Hermod", "seconds"], [
              ["first retry; dead site's first probe", "minimal_backoff_time", "delivery.retryInitialSeconds, "
               "shaping.probeSeconds", p["backoff"]],
              ["longest retry interval", "maximal_backoff_time", "delivery.retryMaxSeconds, shaping.maxProbeSeconds",
               p["max_backoff"]],
              ["deferred queue scan", "queue_run_delay", "delivery.scanIntervalSeconds", p["scan"]]]),
          "No delay warnings (Postfix delay_warning_time 0, Hermod delivery.delayWarningSeconds 0). Hermod's spool "
          "high-water marks are raised to hold the whole queue. No flush is sent: after the sink starts, both MTAs "
          "find the destination again by their own retry timers.\n",
          "\n## Results\n"]
    rows = []

    def row(label, f):
        def one(r):
            if "accepted" not in r:
                return "n/a (%s)" % r.get("reason") if label == "messages queued" else "–"
            try:
                return f(r)
            except (KeyError, TypeError):  # a phase the run did not reach (the reason is in the first row)
                return "–"
        rows.append([label] + [one(res[m]) for m in names])

    def mem(which, field, per=True):
        def f(r):
            m = r.get(which) or {}
            v, n = m.get(field), r["accepted"]
            if v is None:
                return "–"
            if not per:
                return _mib(v)
            base = (r.get("memory_empty") or {}).get(field) or 0
            return "%s (%s B/msg; above empty: %s B/msg)" % (_mib(v), _per(v, n), _per(v - base, n))
        return f

    row("messages queued", lambda r: _runs_cell(r, "{:,} of {:,}".format(r["accepted"], r["n"])))
    row("intake msgs/s while deferring", lambda r: _num(r["intake_rate"]) + (
        " (%s)" % r["intake_error"] if r.get("intake_error") else ""))
    row("every message deferred once after s", lambda r: _num(r["settle_s"], "%.0f") + ("" if r["settled"] else
                                                                                     " (not all: waited)"))
    row("heap after GC (JVM)", mem("memory", "heap"))
    row("resident memory (Hermod: JVM; Postfix: qmgr)", mem("memory", "rss"))
    row("resident memory, Postfix's whole tree", lambda r: _mib((r.get("memory") or {}).get("tree_rss")))
    row("CPU while idle, s over %d s" % p["idle_seconds"], lambda r: _num(r["idle_cpu_s"], "%.2f"))
    row("disk bytes per queued message (allocated; apparent)", lambda r: "%s; %s (%s files)" % (
        _per(r["disk_alloc"] - r["disk_empty"], r["accepted"]), _per(r["disk_apparent"], r["accepted"]),
        "{:,}".format(r["disk_files"])))
    row("queue summary (Hermod CLI; Postfix qshape)", lambda r: _tool(r["tools"].get("summary")))
    row("queue summary --by site (Hermod CLI)", lambda r: _tool(r["tools"].get("summary_by_site")) if
        "summary_by_site" in r["tools"] else "–")
    row("queue list, first page (Hermod CLI; postqueue -p)", lambda r: "%s, %s entries" % (
        _tool(r["tools"].get("list")), _num(r["tools"]["list"].get("entries"))))
    row("restart after SIGKILL → ready s", lambda r: _num(r["restart"].get("ready_s"), "%.1f"))
    row("restart after SIGKILL → SMTP listening s", lambda r: _num(r["restart"].get("smtp_s"), "%.1f"))
    row("heap after GC, after the restart", mem("memory_after_restart", "heap"))
    row("resident memory after the restart", mem("memory_after_restart", "rss", per=False))
    row("time at depth before the drain s", lambda r: _num((r.get("before_drain") or {}).get("after_s")))
    row("deferrals per message by then (Hermod: its counters)", lambda r: _num(
        (r.get("before_drain") or {}).get("deferrals_per_msg"), "%.1f"))
    row("disk bytes per queued message before the drain (allocated; apparent)", lambda r: "%s; %s" % (
        _per(r["before_drain"]["disk_alloc"] - r["disk_empty"], r["accepted"]),
        _per(r["before_drain"]["disk_apparent"], r["accepted"])) if r.get("before_drain") else "–")
    row("drain: delivered", lambda r: "{:,}".format(r["drain"]["delivered"]) + (
        "" if r["drain"]["complete"] else " (stopped after %.0f s)" % r["drain"]["waited_s"]))
    row("drain: sink up → first delivery s", lambda r: _num(r["drain"]["first_s"], "%.1f"))
    row("drain: sink up → last delivery s", lambda r: _num(r["drain"]["last_s"], "%.1f"))
    row("drain msgs/s (from sink up; from first delivery)", lambda r: "%s; %s" % (
        _num(r["drain"]["rate"]), _num(r["drain"]["rate_after_first"])))
    md.append(_table(["measure"] + names, rows))
    md.append("\n- Restart: %s" % "; ".join("%s: %s" % (m, res[m]["restart"]["what"]) for m in names
                                              if res[m].get("restart")))
    md += ["- Hermod not ready (GET /health/ready while recovering): %s" % "; ".join(
        "`%s`" % w.strip().replace("|", "/") for w in res[m]["restart"]["not_ready"][:5])
        for m in names if (res[m].get("restart") or {}).get("not_ready")]
    md.append("- Memory per message: total / messages queued, and (total − the same measure before the first "
              "message) / messages queued. Postfix has no heap: its figure is qmgr's resident memory.")
    return "\n".join(md)


def write_deepqueue(results_dir, facts, p, res, quick, dated=None):
    return write_named(results_dir, "deepqueue", deepqueue_markdown(facts, p, res, quick),
                       {"facts": facts, "params": p, "results": res, "quick": quick}, dated)


def write_bussubmit(results_dir, facts, p, res, quick, dated=None):
    import bussubmit
    return write_named(results_dir, "bussubmit", bussubmit.markdown(facts, p, res, quick),
                       {"facts": facts, "params": p, "results": res, "quick": quick}, dated)


if __name__ == "__main__":
    import argparse
    import sys
    import readme_table
    ap = argparse.ArgumentParser(description="README.md's benchmark table from a suite run's results JSON")
    ap.add_argument("--readme", nargs="?", const=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                                                              "latest.json"), required=True,
                    metavar="RESULTS_JSON", help="default: benchmarks/results/latest.json")
    a = ap.parse_args()
    facts, res, params, quick = load_suite(a.readme)
    sys.stdout.write(readme_table.markdown(facts, res, params, quick, os.path.basename(a.readme)))
