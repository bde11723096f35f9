package io.hermod.delivery;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An independent check of generated messages: Debian's Python {@code email} package parses the bytes and
 * reports what it understood as JSON. CI installs /usr/bin/python3; without it the tests fail, not skip.
 */
final class PythonMailParser {

  static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final String SCRIPT = String.join("\n",
      "import sys, json, email, email.policy",
      "msg = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)",
      "def fields(m): return {k: str(v) for k, v in m.items()}",
      "def defects(m): return [type(d).__name__ for p in m.walk() for d in p.defects]",
      "out = {'is_multipart': msg.is_multipart(), 'content_type': msg.get_content_type(),",
      "       'report_type': msg.get_param('report-type'), 'header_names': list(msg.keys()),",
      "       'headers': fields(msg), 'defects': defects(msg), 'parts': []}",
      "for part in (msg.iter_parts() if msg.is_multipart() else []):",
      "    ct = part.get_content_type()",
      "    info = {'type': ct, 'headers': fields(part)}",
      "    if ct == 'message/delivery-status':",
      "        blocks = part.get_payload()",
      "        info['per_message'] = fields(blocks[0])",
      "        info['recipients'] = [fields(b) for b in blocks[1:]]",
      "        info['block_names'] = [list(b.keys()) for b in blocks]",
      "    elif ct in ('message/rfc822', 'message/global'):",
      "        inner = part.get_payload()[0] if isinstance(part.get_payload(), list) else part.get_content()",
      "        info['inner_headers'] = fields(inner)",
      "        info['inner_body'] = inner.get_payload(decode=True).decode('utf-8', 'replace')",
      "    elif ct.startswith('text/'):",
      "        info['text'] = part.get_content()",
      "    out['parts'].append(info)",
      "print(json.dumps(out))");

  private PythonMailParser() {
  }

  static JsonObject parse(byte[] message) throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      fail(PYTHON + " is required to validate DSNs (Debian package python3; CI installs it)");
    }
    Process process = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT).start();
    try {
      CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process, true));
      CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process, false));
      try (OutputStream in = process.getOutputStream()) {
        in.write(message);
      }
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "python3 did not finish");
      String err = new String(stderr.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), "python3 failed: " + err);
      return new JsonObject(new String(stdout.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }

  private static byte[] readAll(Process process, boolean out) {
    try {
      return (out ? process.getInputStream() : process.getErrorStream()).readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
