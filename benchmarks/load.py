"""Load generators written in Python (stdlib asyncio): a fixed-rate stamped sender for latency, and a crowd
of idle sessions for the concurrency scenario. Everything connects to 127.0.0.1 only, with timeouts."""
import asyncio
import smtplib
import time
import uuid

FILLER = ("x" * 76 + "\r\n") * 13  # about 1 KiB of body


async def _reply(reader, timeout):
    """Read one (possibly multi-line) SMTP reply; return its code."""
    while True:
        line = await asyncio.wait_for(reader.readline(), timeout)
        if not line:
            raise ConnectionError("connection closed")
        if line[3:4] != b"-":
            return int(line[:3])


async def _session(port, timeout):
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    if await _reply(reader, timeout) != 220:
        raise ConnectionError("no 220 greeting")
    writer.write(b"EHLO bench.client\r\n")
    if await _reply(reader, timeout) != 250:
        raise ConnectionError("EHLO refused")
    return reader, writer


async def _send_stamped(reader, writer, rcpt, tag, timeout):
    msg_id = "%s-%s" % (tag, uuid.uuid4().hex[:12])
    for cmd, want in ((b"MAIL FROM:<s@x.test>\r\n", 250), (b"RCPT TO:<%s>\r\n" % rcpt.encode(), 250),
                      (b"DATA\r\n", 354)):
        if cmd.startswith(b"MAIL"):
            stamp = time.monotonic_ns()
        writer.write(cmd)
        code = await _reply(reader, timeout)
        if code != want:
            raise ConnectionError("%s -> %d" % (cmd.strip().decode(), code))
    body = ("From: <s@x.test>\r\nTo: <%s>\r\nSubject: latency\r\nMessage-ID: <%s@bench>\r\n"
            "X-Bench-Id: %s %d\r\n\r\n%s.\r\n" % (rcpt, msg_id, msg_id, stamp, FILLER))
    writer.write(body.encode())
    if await _reply(reader, timeout) != 250:
        raise ConnectionError("message refused")
    return msg_id


async def fixed_rate(port, rcpt, rate, seconds, tag, connections=16, timeout=10):
    """Send rate*seconds stamped messages, message i at t0 + i/rate, over a pool of sessions.
    Returns (accepted ids, errors, seconds late at the end)."""
    pool = asyncio.Queue()
    sessions = []
    for _ in range(connections):
        s = await _session(port, timeout)
        sessions.append(s)
        pool.put_nowait(s)
    accepted, errors = [], []

    async def one(session):
        try:
            accepted.append(await _send_stamped(*session, rcpt, tag, timeout))
            pool.put_nowait(session)
        except (OSError, ConnectionError, asyncio.TimeoutError) as e:
            errors.append(str(e) or type(e).__name__)

    total = int(rate * seconds)
    t0 = time.monotonic()
    tasks = []
    for i in range(total):
        delay = t0 + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            session = await asyncio.wait_for(pool.get(), timeout)
        except asyncio.TimeoutError:
            errors.append("no free session for %d s" % timeout)
            break
        tasks.append(asyncio.create_task(one(session)))
    if tasks:
        await asyncio.wait(tasks, timeout=timeout * 2)
    late = time.monotonic() - t0 - seconds
    for _, w in sessions:
        w.close()
    return accepted, errors, late


def mem_available_mib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    return 1 << 30


async def _idle_crowd(port, n, open_timeout, parallel_opens, overall, min_free_mib):
    """Open up to n sessions; stop early (recorded in errors) after `overall` seconds or when the machine's
    MemAvailable falls under min_free_mib (a forking MTA at 10,000 sessions can need many GiB)."""
    gate = asyncio.Semaphore(parallel_opens)
    held, errors = [], []
    deadline = time.monotonic() + overall
    stop = []

    async def open_one():
        async with gate:
            if stop:
                return
            if time.monotonic() > deadline:
                stop.append("gave up after %d s" % overall)
                return
            if len(held) % 100 == 0 and mem_available_mib() < min_free_mib:
                stop.append("stopped: MemAvailable under %d MiB" % min_free_mib)
                return
            try:
                held.append(await _session(port, open_timeout))
            except (OSError, ConnectionError, asyncio.TimeoutError) as e:
                errors.append(type(e).__name__ + (": " + str(e) if str(e) else ""))

    t0 = time.monotonic()
    await asyncio.gather(*(open_one() for _ in range(n)))
    return held, stop + errors, time.monotonic() - t0


def probe(port, rcpt, timeout=60):
    """A fresh client doing one whole transaction (smtplib). Returns (ok, seconds, detail)."""
    t0 = time.monotonic()
    try:
        with smtplib.SMTP("127.0.0.1", port, local_hostname="probe.client", timeout=timeout) as s:
            s.sendmail("s@x.test", [rcpt], "Subject: probe\r\n\r\nprobe\r\n")
        return True, time.monotonic() - t0, "ok"
    except (OSError, smtplib.SMTPException) as e:
        return False, time.monotonic() - t0, type(e).__name__ + ": " + str(e)[:120]


async def _crowd_then(port, n, measure, open_timeout, parallel_opens, overall, min_free_mib):
    held, errors, open_s = await _idle_crowd(port, n, open_timeout, parallel_opens, overall, min_free_mib)
    try:
        await asyncio.sleep(1)  # let the server settle (Postfix forks; a JVM may still allocate)
        gone = sum(1 for r, _ in held if r.at_eof())  # closed by the server (e.g. its idle timeout)
        if gone:
            errors.insert(0, "%d sessions closed by the server before the measurement" % gone)
        result = await asyncio.to_thread(measure)
    finally:
        for _, w in held:
            w.close()
        await asyncio.sleep(0.5)
    return len(held) - gone, errors, open_s, result


def crowd(port, n, measure, open_timeout=60, parallel_opens=200, overall=600, min_free_mib=2048):
    """Open n sessions (each greeted and EHLO'd), call measure() while they are held, close them.
    Returns (sessions held, errors, seconds to open them, measure's result)."""
    return asyncio.run(_crowd_then(port, n, measure, open_timeout, parallel_opens, overall, min_free_mib))


def stamped(port, rcpt, rate, seconds, tag):
    return asyncio.run(fixed_rate(port, rcpt, rate, seconds, tag))


async def _inject(port, recipients, sessions, timeout, overall):
    """Send one 1 KiB message to each address of `recipients` over `sessions` sessions (MAIL, RCPT and DATA
    pipelined, then the body). Returns (accepted, errors, seconds)."""
    todo = iter(enumerate(recipients))
    accepted, errors = [0], []
    deadline = time.monotonic() + overall

    async def worker():
        reader = writer = None
        try:
            reader, writer = await _session(port, timeout)
            for i, rcpt in todo:
                if time.monotonic() > deadline:
                    errors.append("gave up after %d s" % overall)
                    return
                writer.write(b"MAIL FROM:<s@x.test>\r\nRCPT TO:<%s>\r\nDATA\r\n" % rcpt.encode())
                codes = [await _reply(reader, timeout) for _ in range(3)]
                if codes != [250, 250, 354]:
                    errors.append("message %d to %s: replies %s" % (i, rcpt, codes))
                    if codes[2] == 354:
                        writer.write(b".\r\n")
                        await _reply(reader, timeout)
                    writer.write(b"RSET\r\n")
                    await _reply(reader, timeout)
                    continue
                writer.write(("From: <s@x.test>\r\nTo: <%s>\r\nSubject: shaping %d\r\nMessage-ID: <m%d.%s@bench>\r\n"
                              "\r\n%s.\r\n" % (rcpt, i, i, uuid.uuid4().hex[:8], FILLER)).encode())
                if await _reply(reader, timeout) == 250:
                    accepted[0] += 1
                else:
                    errors.append("message %d refused at end of data" % i)
            writer.write(b"QUIT\r\n")
            await asyncio.wait_for(reader.read(), timeout)
        except (OSError, ConnectionError, asyncio.TimeoutError) as e:
            errors.append("session: %s" % (str(e) or type(e).__name__))
        finally:
            if writer:
                writer.close()

    t0 = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(sessions)))
    return accepted[0], errors, time.monotonic() - t0


def inject(port, recipients, sessions=8, timeout=60, overall=900):
    """Blocking: every address in `recipients` gets one message through the MTA on `port`."""
    return asyncio.run(_inject(port, recipients, sessions, timeout, overall))
