#!/usr/bin/env python3
"""A counting, misbehaving SMTP peer for the shaping scenarios (stdlib only, asyncio, one process).

  peer.py --config PEERS.json --status-port S

PEERS.json is a list of listeners, each a simulated remote site on its own loopback address:
  {"name": "throttle", "host": "127.0.0.12", "port": 2600, "mode": "sink",
   "rate": [100, 10],          # at most 100 messages per 10 s (sliding, whole site); beyond: 421 4.7.0 at MAIL, close
   "perConnection": 0,         # 421 4.7.0 at the MAIL after this many messages in one connection (0 = no limit)
   "greylist": false,          # 451 4.7.1 to the first RCPT of every recipient address
   "greetDelay": 0, "replyDelay": 0}   # seconds before the greeting / before each reply (a slow site)
Modes (switchable at run time, see MODE below):
  sink   - a normal SMTP server that accepts every message (with the options above);
  reset  - accepts the TCP connection and resets it at once (SO_LINGER 0), before any greeting: the nearest
           thing to "connection refused" that can still be counted at the peer (a refused SYN never reaches
           a process);
  close  - accepts and closes (FIN) at once, before any greeting;
  greet421 - answers "421 4.3.2 Service not available, closing transmission channel" as its greeting, closes.

Status port (one command line per connection, answer then close):
  STATS          -> JSON {name: counters}: conns (accepted), delivering (connections that delivered at least
                    one message), wasted (conns - delivering), msgs, rcpts, throttled (421 4.7.0 sent),
                    greylisted (451 4.7.1 sent), refused (reset/closed/421 at greeting), first_msg, last_msg
  TIMES name     -> JSON list of the monotonic seconds of every accepted connection of that listener
  MODE name mode -> switch a listener's mode; "ok"
Only counts; bodies are not stored. CLOCK_MONOTONIC is shared by the machine's processes, so the harness
can compare the times with its own time.monotonic().
"""
import argparse
import asyncio
import collections
import json
import socket
import struct
import time

MAX_LINE = 4096


class Site:
    def __init__(self, spec):
        self.name = spec["name"]
        self.host, self.port = spec["host"], spec["port"]
        self.mode = spec.get("mode", "sink")
        self.rate = spec.get("rate")  # [count, window seconds]
        self.per_connection = spec.get("perConnection", 0)
        self.greylist = spec.get("greylist", False)
        self.greet_delay = spec.get("greetDelay", 0)
        self.reply_delay = spec.get("replyDelay", 0)
        self.seen_rcpts = set()
        self.recent = collections.deque()  # monotonic times of accepted messages, for the rate window
        self.conn_times = []
        self.c = collections.Counter()
        self.first_msg = self.last_msg = 0.0

    def stats(self):
        out = dict(self.c)
        out["wasted"] = self.c["conns"] - self.c["delivering"]  # connections that delivered nothing
        out.update(mode=self.mode, first_msg=self.first_msg, last_msg=self.last_msg)
        return out

    def over_rate(self, now):
        if not self.rate:
            return False
        count, window = self.rate
        while self.recent and self.recent[0] <= now - window:
            self.recent.popleft()
        return len(self.recent) >= count

    def delivered(self, rcpts):
        now = time.monotonic()
        self.c["msgs"] += 1
        self.c["rcpts"] += rcpts
        if self.rate:
            self.recent.append(now)
        if not self.first_msg:
            self.first_msg = now
        self.last_msg = now


async def session(site, reader, writer):
    site.c["conns"] += 1
    site.conn_times.append(time.monotonic())
    sock = writer.get_extra_info("socket")
    if site.mode in ("reset", "close"):
        site.c["refused"] += 1
        if site.mode == "reset" and sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.close()
        return
    if site.mode == "greet421":
        site.c["refused"] += 1
        writer.write(b"421 4.3.2 Service not available, closing transmission channel\r\n")
        try:
            await writer.drain()
        except OSError:
            pass
        writer.close()
        return
    delivered_here = 0
    try:
        if site.greet_delay:
            await asyncio.sleep(site.greet_delay)
        writer.write(b"220 %s.peer.bench ESMTP\r\n" % site.name.encode())
        buf = b""
        in_data = False
        tail = b""
        rcpts = 0
        mail_ok = False
        while True:
            data = await asyncio.wait_for(reader.read(65536), 300)
            if not data:
                break
            out = []
            close = False
            while data and not close:
                if in_data:
                    joined = tail + data
                    end = joined.find(b"\r\n.\r\n")
                    if end < 0:
                        tail, data = joined[-4:], b""
                        continue
                    data, in_data = joined[end + 5:], False
                    site.delivered(rcpts)
                    if not delivered_here:
                        site.c["delivering"] += 1  # connections that delivered at least one message
                    delivered_here += 1
                    out.append(b"250 2.0.0 Ok: queued\r\n")
                    rcpts, mail_ok = 0, False
                    continue
                buf += data
                data = b""
                while not in_data and not close:
                    nl = buf.find(b"\n")
                    if nl < 0:
                        if len(buf) > MAX_LINE:
                            out.append(b"500 5.5.2 Line too long\r\n")
                            buf = b""
                        break
                    line, buf = buf[:nl].rstrip(b"\r"), buf[nl + 1:]
                    verb = line[:4].upper()
                    if site.reply_delay:
                        await asyncio.sleep(site.reply_delay)
                    if verb == b"EHLO":
                        out.append(b"250-%s.peer.bench\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE\r\n"
                                   % site.name.encode())
                    elif verb == b"HELO":
                        out.append(b"250 %s.peer.bench\r\n" % site.name.encode())
                    elif verb == b"MAIL":
                        now = time.monotonic()
                        if site.per_connection and delivered_here >= site.per_connection:
                            site.c["throttled"] += 1
                            site.c["throttled_per_connection"] += 1
                            out.append(b"421 4.7.0 Too many messages in this connection, try again later\r\n")
                            close = True
                        elif site.over_rate(now):
                            site.c["throttled"] += 1
                            out.append(b"421 4.7.0 Rate limit exceeded, try again later\r\n")
                            close = True
                        else:
                            mail_ok, rcpts = True, 0
                            out.append(b"250 2.1.0 Ok\r\n")
                    elif verb == b"RCPT":
                        addr = line[8:].strip().lower()
                        if not mail_ok:
                            out.append(b"503 5.5.1 Error: need MAIL command\r\n")
                        elif site.greylist and addr not in site.seen_rcpts:
                            site.seen_rcpts.add(addr)
                            site.c["greylisted"] += 1
                            out.append(b"451 4.7.1 Greylisting in action, please come back later\r\n")
                        else:
                            rcpts += 1
                            out.append(b"250 2.1.5 Ok\r\n")
                    elif verb == b"DATA":
                        if rcpts:
                            out.append(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                            in_data, tail = True, b"\r\n"
                            data, buf = buf, b""
                        else:
                            out.append(b"554 5.5.1 Error: no valid recipients\r\n")
                    elif verb == b"RSET":
                        rcpts, mail_ok = 0, False
                        out.append(b"250 2.0.0 Ok\r\n")
                    elif verb == b"NOOP":
                        out.append(b"250 2.0.0 Ok\r\n")
                    elif verb == b"QUIT":
                        out.append(b"221 2.0.0 Bye\r\n")
                        close = True
                    else:
                        out.append(b"502 5.5.1 Not implemented\r\n")
            if out:
                writer.write(b"".join(out))
                await writer.drain()
            if close:
                break
    except (OSError, asyncio.TimeoutError, ConnectionError):
        pass
    finally:
        writer.close()


async def status(sites, reader, writer):
    try:
        words = (await asyncio.wait_for(reader.readline(), 5)).decode().split()
        cmd = words[0].upper() if words else ""
        if cmd == "STATS":
            writer.write(json.dumps({n: s.stats() for n, s in sites.items()}).encode() + b"\n")
        elif cmd == "TIMES" and len(words) == 2 and words[1] in sites:
            writer.write(json.dumps(sites[words[1]].conn_times).encode() + b"\n")
        elif cmd == "MODE" and len(words) == 3 and words[1] in sites and \
                words[2] in ("sink", "reset", "close", "greet421"):
            sites[words[1]].mode = words[2]
            writer.write(b"ok\n")
        else:
            writer.write(b"?\n")
        await writer.drain()
    finally:
        writer.close()


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", required=True)
    p.add_argument("--status-port", type=int, required=True)
    a = p.parse_args()
    sites = {}
    servers = []
    for spec in json.load(open(a.config)):
        site = Site(spec)
        if not site.host.startswith("127."):
            raise SystemExit("peer.py listens on 127.0.0.0/8 only, not " + site.host)
        sites[site.name] = site
        servers.append(await asyncio.start_server(lambda r, w, s=site: session(s, r, w), site.host, site.port,
                                                  backlog=4096, reuse_address=True))
    servers.append(await asyncio.start_server(lambda r, w: status(sites, r, w), "127.0.0.1", a.status_port))
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    asyncio.run(main())
