"""Markdown tables and a gnuplot chart from the runs. Medians over successful rounds; a cell says
FAILED(reason) when no round succeeded and "(k/n ok)" when only some did."""
import os
import shutil
import statistics
import subprocess
import time


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


def markdown(facts, res, p, quick):
    md = ["# Hermod vs Postfix benchmark%s\n" % (" (--quick: indicative only)" if quick else ""),
          "Rounds: %d, interleaved (ceiling, Hermod, Postfix per case). Medians over successful rounds. "
          "See benchmarks/README.md for what each column means.\n" % p["rounds"], "## Machine\n",
          _table(["fact", "value"], [(k, str(v).replace("|", "/")) for k, v in facts.items()])]

    if res.get("submission"):
        md.append(submission_section(res["submission"], p))
    if not res["calibration"] and not res["throughput"]:
        return "\n".join(md)

    md.append("\n## Sink calibration (ceiling, 1 KiB, smtp-source straight into the sink)\n")
    kinds = sorted({k for (_, k) in res["calibration"]})
    sessions = sorted({s for (s, _) in res["calibration"]})
    md.append(_table(["sessions"] + ["%s msg/s" % k for k in kinds],
                     [[s] + [cell(res["calibration"].get((s, k), []), "rate") for k in kinds] for s in sessions]))

    md.append("\n## Accept + relay throughput (first send until the sink counted every message)\n")
    rows = []
    for (size, sessions, m), by in sorted(res["throughput"].items()):
        c, h, f = (_median(by.get(n, []), "rate") for n in ("ceiling", "Hermod", "Postfix"))
        rows.append([_size(size), sessions, m, cell(by.get("ceiling", []), "rate"), cell(by.get("Hermod", []), "rate"),
                     cell(by.get("Postfix", []), "rate"), ratio(h, c), ratio(f, c), ratio(h, f)])
    md.append(_table(["size", "sessions", "messages", "ceiling msg/s", "Hermod msg/s", "Postfix msg/s",
                      "Hermod/ceiling", "Postfix/ceiling", "Hermod/Postfix"], rows))

    md.append("\n## Relay latency (send stamp to arrival at the sink, fixed rate)\n")
    rows = []
    for (rate, secs), by in res["latency"].items():
        for name, runs in by.items():
            rows.append([name, "%d msg/s x %d s" % (rate, secs), cell(runs, "arrived"), cell(runs, "p50", "%.1f"),
                         cell(runs, "p99", "%.1f")])
    md.append(_table(["target", "load", "arrived", "p50 ms", "p99 ms"], rows))

    md.append("\n## Idle sessions (opened, greeted, EHLO; then memory and one new client's transaction)\n")
    rows = []
    for n, by in sorted(res["concurrency"].items()):
        for name, runs in by.items():
            rows.append([n, name, cell(runs, "held"), cell(runs, "open_s", "%.1f"), cell(runs, "rss"),
                         cell(runs, "pss"), cell(runs, "procs"), cell(runs, "probe_ms")])
    md.append(_table(["sessions", "MTA", "held", "open s", "RSS MiB (sum VmRSS)", "PSS MiB", "processes",
                      "new client ms"], rows))

    md.append("\n## One large message (accepted and relayed)\n")
    rows = []
    for size, by in sorted(res["big"].items()):
        for name, runs in by.items():
            rows.append([_size(size), name, cell(runs, "seconds", "%.2f"), cell(runs, "peak_rss")])
    md.append(_table(["size", "target", "seconds", "peak RSS MiB"], rows))
    return "\n".join(md)


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
    """results-DATE.md and latest.md; for a run of some scenarios only (--only), results-DATE-ONLY.md and
    latest-ONLY.md, so a partial run never replaces the full one."""
    os.makedirs(results_dir, exist_ok=True)
    text = markdown(facts, res, p, quick)
    png = chart(res, results_dir) if not only else None
    if png:
        text += "\n![throughput](latest.png)\n"
    suffix = "-" + only if only else ""
    dated = os.path.join(results_dir, "results-%s%s.md" % (time.strftime("%Y-%m-%d-%H%M%S"), suffix))
    for path in (dated, os.path.join(results_dir, "latest%s.md" % suffix)):
        with open(path, "w") as f:
            f.write(text)
    return dated, png
