"""Sessions against Hermod with Python's smtplib and ssl (an independent client): each one connects (STARTTLS
or implicit TLS, offering the previous session's TLS session again when "resume" is set), optionally
authenticates, optionally sends one message, and quits. argv[1] is the plan as JSON:
{"port", "mode": "starttls"|"implicit", "cafile", "maxVersion"?: "TLSv1.2", "resume"?: bool,
 "pauseSeconds"?: seconds to wait between sessions, "source"?: the client's address (127.0.0.x),
 "sessions": [{"mechanism"?: "PLAIN"|"LOGIN", "user"?, "password"?, "mail"?: bool}, ...]}
Prints one JSON object per session: {"reused", "version", "auth" (the AUTH reply code, or null), "mail"
(the reply code to the end of data, or null), "error" (or null)}."""
import json
import smtplib
import socket
import ssl
import sys
import time

plan = json.loads(sys.argv[1])
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.load_verify_locations(plan["cafile"])
context.check_hostname = False  # the generated certificate names the test's hostname, not 127.0.0.1
if plan.get("maxVersion") == "TLSv1.2":
    context.maximum_version = ssl.TLSVersion.TLSv1_2
saved = [None]


def offered():
    return saved[0] if plan.get("resume") else None


class Implicit(smtplib.SMTP):
    def _get_socket(self, host, port, timeout):
        raw = socket.create_connection((host, port), timeout, self.source_address)
        return context.wrap_socket(raw, session=offered())


class StartTls(smtplib.SMTP):
    def starttls_offering(self):
        self.ehlo()
        code, reply = self.docmd("STARTTLS")
        if code != 220:
            raise smtplib.SMTPResponseException(code, reply)
        self.sock = context.wrap_socket(self.sock, session=offered())
        self.file = None
        self.helo_resp = self.ehlo_resp = None
        self.esmtp_features = {}
        self.does_esmtp = False


for i, step in enumerate(plan["sessions"]):
    if i > 0 and plan.get("pauseSeconds"):
        time.sleep(plan["pauseSeconds"])
    out = {"reused": None, "version": None, "auth": None, "mail": None, "error": None}
    try:
        source = (plan["source"], 0) if plan.get("source") else None
        if plan["mode"] == "implicit":
            s = Implicit("127.0.0.1", plan["port"], local_hostname="py.client.test", timeout=20,
                         source_address=source)
        else:
            s = StartTls("127.0.0.1", plan["port"], local_hostname="py.client.test", timeout=20,
                         source_address=source)
            s.starttls_offering()
        s.ehlo()
        if step.get("mechanism"):
            s.user, s.password = step["user"], step["password"]
            method = s.auth_plain if step["mechanism"] == "PLAIN" else s.auth_login
            try:
                code = s.auth(step["mechanism"], method)[0]
            except smtplib.SMTPAuthenticationError as e:
                code = e.smtp_code
            out["auth"] = code
        if step.get("mail") and out["auth"] in (None, 235):
            s.mail("alice@client.test")
            s.rcpt("bob@local.test")
            out["mail"] = s.data("Subject: resumed\r\n\r\nhello\r\n")[0]
        if s.sock is not None:  # smtplib closes on a 421
            out["reused"] = s.sock.session_reused
            out["version"] = s.sock.version()
            saved[0] = s.sock.session
        try:
            s.quit()
        except (OSError, smtplib.SMTPServerDisconnected):
            pass
    except (OSError, smtplib.SMTPException) as e:
        out["error"] = "%s: %s" % (type(e).__name__, e)
    print(json.dumps(out), flush=True)
