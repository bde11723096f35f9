package io.hermod.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An independent DKIM verifier: Debian's python3-dkim (dkimpy), given the public key record through its
 * dnsfunc hook, so no DNS is involved. Returns what it printed: "True" for a valid signature.
 */
final class PythonDkimVerifier {

  private static final String SCRIPT = String.join("\n",
      "import sys, dkim",
      "msg = open(sys.argv[1], 'rb').read()",
      "record = open(sys.argv[2], 'rb').read()",
      "def dns(name, timeout=5):",
      "    return record if name == sys.argv[3].encode() else None",
      "print(dkim.verify(msg, dnsfunc=dns))");

  private PythonDkimVerifier() {
  }

  /** Fails (never skips) without Debian's python3-dkim: CI installs it, and a skip would hide a missing step. */
  static void require() {
    org.junit.jupiter.api.Assertions.assertTrue(available(),
        "python3-dkim (and python3-nacl) are required: apt-get install python3-dkim python3-nacl (see .ci/run)");
  }

  static boolean available() {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import dkim").redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** @param keyName e.g. "s1._domainkey.example.org." */
  static String verify(Path dir, byte[] message, String keyRecord, String keyName) throws Exception {
    Path msg = Files.write(dir.resolve("message.eml"), message);
    Path rec = Files.writeString(dir.resolve("record.txt"), keyRecord);
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT, msg.toString(), rec.toString(), keyName)
        .redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("python3 dkim verify timed out");
    }
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }
}
