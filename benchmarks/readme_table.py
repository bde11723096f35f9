"""README.md's benchmark table, generated from a suite run's results JSON (`report.py --readme FILE`), so the
README shows what a run measured rather than figures copied by hand. Medians over the successful rounds, as in
the results file; a cell that did not succeed reads as it does there (FAILED(...), n/a, –)."""
import report

LOWER = " (lower is better)"


def _fmt(v, fmt):
    """fmt with thousands separators for whole numbers ("{:,.0f}")."""
    return ("{:,.0f}".format(v) if fmt == "%.0f" else fmt % v) if v is not None else None


def _show(runs, key, fmt="%.0f", unit=""):
    v = report._median(runs or [], key)
    return _fmt(v, fmt) + unit if v is not None else report.cell(runs or [], key, fmt)


def _pair(runs, keys, fmt="%.0f", unit=""):
    """Several measures of one run set as "a / b unit" (e.g. accept / relay msg/s)."""
    return " / ".join(_show(runs, k, fmt) for k in keys) + unit


def _ratios(h, f, keys, fmt="%.2f"):
    out = []
    for k in keys:
        a, b = report._median(h or [], k), report._median(f or [], k)
        out.append(fmt % (a / b) if a and b else "–")
    return " / ".join(out)


def _case(size, sessions):
    return "%s × %d session%s" % (report._size(size), sessions, "" if sessions == 1 else "s")


def rows(res, params):
    out = []
    thr = sorted((res.get("throughput") or {}).items())
    for (size, sessions, _), by in thr:
        h, f, c = by.get("Hermod"), by.get("Postfix"), by.get("ceiling")
        out.append(["%s: durable accept / relay" % _case(size, sessions), _pair(h, ("accept_rate", "rate"), unit=" msg/s"),
                    _pair(f, ("accept_rate", "rate"), unit=" msg/s"), _ratios(h, f, ("accept_rate", "rate")),
                    _pair(c, ("accept_rate", "rate"), unit=" msg/s")])
    for (size, sessions, _), by in thr:
        h, f, c = by.get("Hermod"), by.get("Postfix"), by.get("ceiling")
        out.append(["%s: CPU per relayed message (whole process tree)" % _case(size, sessions),
                    _show(h, "cpu_us", unit=" µs"), _show(f, "cpu_us", unit=" µs"),
                    _ratios(h, f, ("cpu_us",)) + LOWER, _show(c, "cpu_us", unit=" µs (sink)")])
    for m, by in sorted((res.get("fsync") or {}).items()):
        h, f = by.get("Hermod"), by.get("Postfix")
        for key, how in (("perf_fsyncs_per_msg", "perf"), ("fsyncs_per_msg", "strace")):
            out.append(["fsyncs per message, 1 KiB, one session (%s messages; %s)" % ("{:,}".format(m), how),
                        _show(h, key, "%.2f"), _show(f, key, "%.2f"), _ratios(h, f, (key,)) + LOWER, "–"])
    for (rate, _), by in (res.get("latency") or {}).items():
        h, f, c = by.get("Hermod"), by.get("Postfix"), by.get("ceiling")
        out.append(["relay latency at %d msg/s, p50 / p99" % rate, _pair(h, ("p50", "p99"), "%.1f", " ms"),
                    _pair(f, ("p50", "p99"), "%.1f", " ms"), _ratios(h, f, ("p50", "p99")) + LOWER,
                    _pair(c, ("p50", "p99"), "%.1f", " ms")])
        out.append(["relay latency at %d msg/s, p90 / p99.9 / max" % rate,
                    _pair(h, ("p90", "p99_9", "max"), "%.1f", " ms"), _pair(f, ("p90", "p99_9", "max"), "%.1f", " ms"),
                    _ratios(h, f, ("p90", "p99_9", "max")) + LOWER, _pair(c, ("p90", "p99_9", "max"), "%.1f", " ms")])
    conc = res.get("concurrency") or {}
    if conc:
        n = max(conc)
        h, f = conc[n].get("Hermod"), conc[n].get("Postfix")

        def memory(runs):
            pss, procs = report._median(runs or [], "pss"), report._median(runs or [], "procs")
            if pss is None:
                return report.cell(runs or [], "pss")
            return "{:,.0f} MiB ({:,.0f} KiB a session), {:,.0f} process{}".format(
                pss, pss * 1024 / n, procs or 0, "" if procs == 1 else "es")
        out.append(["{:,} idle sessions: memory (PSS)".format(n), memory(h), memory(f),
                    _ratios(h, f, ("pss",)) + LOWER, "–"])
        out.append(["{:,} idle sessions: new client's transaction".format(n), _show(h, "probe_ms", unit=" ms"),
                    _show(f, "probe_ms", unit=" ms"), _ratios(h, f, ("probe_ms",)) + LOWER, "–"])
    for size, by in sorted((res.get("big") or {}).items()):
        h, f, c = by.get("Hermod"), by.get("Postfix"), by.get("ceiling")
        out.append(["one %s message, accepted and relayed" % report._size(size), _show(h, "seconds", "%.2f", " s"),
                    _show(f, "seconds", "%.2f", " s"), _ratios(h, f, ("seconds",)) + " (time)" + LOWER,
                    _show(c, "seconds", "%.2f", " s")])
    return out


def markdown(facts, res, params, quick, source):
    """The sentence that introduces the table, and the table."""
    lead = ("%s (%d round%s, medians; %s cores; Hermod with %s listener and 2 delivery instances; %s), from "
            "[benchmarks/results/%s](benchmarks/results/%s):\n\n" % (
                "Quick run, indicative only" if quick else "Latest run", params["rounds"],
                "" if params["rounds"] == 1 else "s", facts.get("nproc", "?"), facts.get("hermod listener instances", "2"), str(facts.get("date", "?"))[:10],
                source.replace(".json", ".md"), source.replace(".json", ".md")))
    text = lead + report._table(["Scenario", "Hermod", "Postfix", "Hermod / Postfix", "rig ceiling (sink alone)"],
                                rows(res, params))
    if res.get("latency"):
        text += ("\nRelay latency, messages per bucket (all rounds):\n\n" +
                 report.latency_histogram(res["latency"]))
    return text
