package io.hermod.submit;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An independent reading of a spooled message: Debian's Python {@code email} package (strict default policy)
 * reports the header fields, the defects it found and each leaf part's type, file name and decoded content.
 */
final class PythonEmail {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final String SCRIPT = String.join("\n",
      "import sys, json, email, email.policy",
      "msg = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)",
      "leaves = [p for p in msg.walk() if not p.is_multipart()]",
      "print(json.dumps({'headers': {k.lower(): str(v) for k, v in msg.items()},",
      "  'names': [k.lower() for k in msg.keys()],",
      "  'defects': [type(d).__name__ for p in msg.walk() for d in p.defects],",
      "  'parts': [{'type': p.get_content_type(), 'filename': p.get_filename(),",
      "             'content': p.get_payload(decode=True).decode('utf-8', 'replace')} for p in leaves]}))");

  private PythonEmail() {
  }

  static JsonObject parse(byte[] message) throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      fail(PYTHON + " is required (Debian package python3)");
    }
    Process p = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(message);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("python did not finish");
    }
    assertEquals(0, p.exitValue(), out);
    return new JsonObject(out);
  }
}
