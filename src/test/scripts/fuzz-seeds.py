#!/usr/bin/env python3
"""Writes the seed corpus of the Jazzer fuzz tests (docs/fuzzing.md) from the dialogue transcripts and the
smtp/ unit tests. Run from the repository root; it rewrites only the seed-* files, never found inputs."""
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[3]  # src/test/scripts/ -> repository root
DIALOGUES = ROOT / "src/test/resources/dialogues"
TESTS = ROOT / "src/test/java/io/hermod/smtp"
OUT = ROOT / "src/test/resources/io/hermod/smtp"


def unescape(s):
    """The transcripts' R: escapes: \\r \\n \\t \\\\ \\xHH."""
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "x":
                out.append(int(s[i + 2:i + 4], 16))
                i += 4
                continue
            out += {"r": b"\r", "n": b"\n", "t": b"\t", "\\": b"\\"}[n]
            i += 2
            continue
        out += c.encode()
        i += 1
    return bytes(out)


def java_literal(s):
    """A Java string literal's body (as in the CSV sources) to bytes: \\r \\n \\\\ \\uXXXX."""
    s = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), s)
    # \uD83D\uDE00 is one character in Java: join surrogate pairs; a lone one becomes "?" as Java's getBytes does
    s = s.encode("utf-16", "surrogatepass").decode("utf-16", "replace").replace("\ufffd", "?")
    return s.replace("\\\\r", "\r").replace("\\\\n", "\n").replace("\\r", "\r").replace("\\n", "\n") \
        .replace("\\t", "\t").replace('\\"', '"').encode()


def dialogue_streams(path):
    """(client bytes, server bytes, DATA payloads, command lines) of one transcript."""
    client, server, payloads, commands = bytearray(), bytearray(), [], []
    reply = []  # the last S: line and the S+ lines that follow it, sent as one multi-line reply

    def flush():
        if reply:
            code, last = reply[0][:3], reply[0][4:] or "ok"
            server.extend(b"".join(b"%s-%s\r\n" % (code.encode(), l.encode()) for l in reply[1:]))
            server.extend(b"%s %s\r\n" % (code.encode(), last.encode()))
            reply.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("@"):
            continue
        if line.startswith("S+ "):
            reply.append(line[3:].strip())
            continue
        flush()
        kind, _, rest = line.partition(": ")
        if kind == "C":
            client += rest.encode() + b"\r\n"
            commands.append(rest.encode())
        elif kind == "R":
            raw = unescape(rest)
            client += raw
            payloads.append(raw)
            commands += [l for l in raw.split(b"\r\n") if re.match(rb"^[A-Za-z]{4}\b", l)]
        elif kind == "B":
            count, text = rest.split()
            client += unescape(text) * int(count)
        elif kind == "S" and rest.strip() != "closed":
            reply.append(rest.strip())
    flush()
    return bytes(client), bytes(server), payloads, commands


def csv_first_column(java_file):
    text = java_file.read_text(encoding="utf-8")
    return [java_literal(m.group(1).strip().strip("`")) for m in re.finditer(r'^\s*"((?:[^"\\]|\\.)*?)\s*\|', text, re.M)]


def string_args(java_file, call):
    text = java_file.read_text(encoding="utf-8")
    return [java_literal(m.group(1)) for m in re.finditer(re.escape(call) + r'\("((?:[^"\\]|\\.)*)"', text)]


# libFuzzer's max_len follows the largest input of the corpus, and a large one slows every run (the framing
# target feeds each input byte by byte): a seed is cut after this many octets (its start is what matters).
MAX_SEED = 32768


def write(target, seeds):
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("seed-*"):
        old.unlink()
    seeds = [seed[:MAX_SEED] for seed in seeds]
    for seed in dict.fromkeys(seeds):  # unique, in order
        (folder / ("seed-" + hashlib.sha1(seed).hexdigest()[:12])).write_bytes(seed)
    print(f"{target}: {len(dict.fromkeys(seeds))} seeds")


def main():
    clients, servers, payloads, commands = [], [], [], []
    for path in sorted(DIALOGUES.glob("*.txt")):
        c, s, p, cmds = dialogue_streams(path)
        clients.append(c)
        servers.append(s)
        payloads += p
        commands += cmds
    parser_lines = csv_first_column(TESTS / "CommandParserTest.java") + string_args(TESTS / "CommandParserTest.java", "ok")
    # Lines the framing never lets through, so the parser's own guard is exercised too.
    crlf_lines = [b"NOOP \r", b"VRFY a\nb", b"MAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>"]
    write("CommandParserFuzzTestInputs/parseLine", commands + parser_lines + crlf_lines)
    write("LineReaderFuzzTestInputs/framing", clients)
    decoder_cases = csv_first_column(TESTS / "DotDecoderTest.java")
    write("DotDecoderFuzzTestInputs/decode", payloads + decoder_cases)
    write("DotStufferFuzzTestInputs/roundTrip", payloads + decoder_cases)
    xtexts = [v for c in commands for v in re.findall(rb"(?:ENVID=|ORCPT=[^;]*;)(\S+)", c)]
    xtexts += csv_first_column(TESTS / "XtextTest.java") + [b"a+2Bb", b"+C3+A9", b"caf\xc3\xa9"]
    write("XtextFuzzTestInputs/decode", xtexts)
    write("XtextFuzzTestInputs/encodeDecode", xtexts)
    reply_cases = [java_literal(m.group(1)) for m in
                   re.finditer(r'Arguments\.of\("((?:[^"\\]|\\.)*)"', (TESTS / "ReplyParserTest.java").read_text())]
    write("ReplyParserFuzzTestInputs/feed", servers + reply_cases)


if __name__ == "__main__":
    main()
