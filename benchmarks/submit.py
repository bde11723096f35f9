#!/usr/bin/env python3
"""Connection-per-message submission, as a mail client or an application sending through port 587 does it:
each message is its own session (connect, EHLO, STARTTLS, EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT), from
a pool of threads, with Python's smtplib and ssl. Used by scenarios.submission (benchmarks/README.md) and
runnable by hand:

    /usr/bin/python3 benchmarks/submit.py --port 2587 --user alice --password s3cret -n 300 -t 16 [--resume]

--resume offers each thread's last TLS session again (session ticket or id), as a client library that keeps
its SSLSession does; without it every handshake is a full one. Connects to 127.0.0.1 only; every socket has
a timeout. Prints one line of JSON: msgs/s, per-message and per-login p50/p99 (ms), handshakes resumed."""
import argparse
import json
import math
import smtplib
import ssl
import threading
import time

BODY = ("x" * 76 + "\r\n") * 13  # about 1 KiB


class Submission(smtplib.SMTP):
    """smtplib.SMTP whose STARTTLS can offer a saved TLS session (smtplib's own starttls() cannot)."""

    def starttls_with(self, context, session):
        self.ehlo_or_helo_if_needed()
        code, reply = self.docmd("STARTTLS")
        if code != 220:
            raise smtplib.SMTPResponseException(code, reply)
        self.sock = context.wrap_socket(self.sock, server_hostname=None, session=session)
        self.file = None
        # RFC 3207 §4.2: forget what the server said before TLS
        self.helo_resp = self.ehlo_resp = None
        self.esmtp_features = {}
        self.does_esmtp = False
        return self.sock


def percentile(values, p):
    """Nearest rank; None for no values."""
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def run(port, messages, threads, user=None, password=None, resume=False, rcpt="u@fast.test",
        sender=None, timeout=30, deadline_s=600):
    """Send `messages` messages over `threads` threads, one session each. Returns a dict (see module doc)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the benchmark's self-signed certificate; loopback only
    sender = sender or ("%s@x.test" % user if user and "@" not in user else user or "s@x.test")
    lock = threading.Lock()
    todo = [messages]
    session_ms, login_ms, errors = [], [], []
    counts = {"resumed": 0, "full": 0, "ok": 0}
    deadline = time.monotonic() + deadline_s

    def take():
        with lock:
            if todo[0] <= 0 or time.monotonic() > deadline:
                return False
            todo[0] -= 1
            return True

    def worker(n):
        saved = None
        while take():
            t0 = time.monotonic()
            try:
                with Submission("127.0.0.1", port, local_hostname="bench%d.client" % n, timeout=timeout) as s:
                    s.ehlo()
                    tls = s.starttls_with(context, saved if resume else None)
                    s.ehlo()
                    if user:
                        t1 = time.monotonic()
                        s.login(user, password)  # smtplib picks PLAIN (the first it prefers that is offered)
                        login = (time.monotonic() - t1) * 1000
                    s.sendmail(sender, [rcpt], "From: <%s>\r\nTo: <%s>\r\nSubject: submission\r\n\r\n%s"
                               % (sender, rcpt, BODY))
                    reused = tls.session_reused
                    saved = tls.session
                elapsed = (time.monotonic() - t0) * 1000
                with lock:
                    session_ms.append(elapsed)
                    if user:
                        login_ms.append(login)
                    counts["ok"] += 1
                    counts["resumed" if reused else "full"] += 1
            except (OSError, smtplib.SMTPException, ssl.SSLError) as e:
                with lock:
                    errors.append("%s: %s" % (type(e).__name__, str(e)[:160]))

    t0 = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(max(1, deadline - time.monotonic() + timeout))
    elapsed = time.monotonic() - t0
    return {"ok": counts["ok"] == messages, "sent": counts["ok"], "messages": messages, "seconds": elapsed,
            "rate": counts["ok"] / elapsed if elapsed > 0 else 0.0,
            "p50": percentile(session_ms, 50), "p99": percentile(session_ms, 99),
            "login_p50": percentile(login_ms, 50), "login_p99": percentile(login_ms, 99),
            "resumed": counts["resumed"], "full": counts["full"], "errors": errors[:5],
            "error_count": len(errors)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("-n", "--messages", type=int, default=300)
    ap.add_argument("-t", "--threads", type=int, default=16)
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--rcpt", default="u@fast.test")
    ap.add_argument("--resume", action="store_true", help="offer each thread's last TLS session again")
    a = ap.parse_args()
    print(json.dumps(run(a.port, a.messages, a.threads, a.user, a.password, a.resume, a.rcpt)))


if __name__ == "__main__":
    main()
