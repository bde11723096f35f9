package io.hermod.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verification recipe of docs/events.md ("Verifying a POST"), as printed there, run by python3 against bodies
 * Hermod signed: it accepts them, and refuses a tampered body, another secret and an old timestamp.
 */
class WebhookRecipeTest {

  private static final Pattern RECIPE = Pattern.compile("### Verifying a POST.*?```python\n(.*?)```", Pattern.DOTALL);

  @TempDir
  Path dir;

  @Test
  void thePythonRecipeInTheDocsVerifiesHermodsSignatures() throws Exception {
    Matcher m = RECIPE.matcher(Files.readString(Path.of("docs/events.md")));
    assertTrue(m.find(), "docs/events.md has the python recipe under \"Verifying a POST\"");
    byte[] secret = "recipe-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    byte[] body = "{\"node\":\"n1\",\"events\":[{\"seq\":1,\"recipient\":\"a@example.org\"}]}"
        .getBytes(StandardCharsets.UTF_8);
    long now = System.currentTimeMillis() / 1000;
    String signature = new WebhookSignature(secret).sign(now, body);
    String old = new WebhookSignature(secret).sign(now - 3600, body);
    byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("a@", "b@").getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("body"), body);
    Files.write(dir.resolve("tampered"), tampered);

    String driver = m.group(1) + "\n"
        + "import sys\n"
        + "d = sys.argv[1]\n"
        + "body = open(d + '/body', 'rb').read()\n"
        + "tampered = open(d + '/tampered', 'rb').read()\n"
        + "s = b'recipe-secret-0123456789'\n"
        + "print(hermod_post_is_authentic(s, sys.argv[2], sys.argv[3], body),\n"
        + "      hermod_post_is_authentic(s, sys.argv[2], sys.argv[3], tampered),\n"
        + "      hermod_post_is_authentic(b'another-secret-0123456', sys.argv[2], sys.argv[3], body),\n"
        + "      hermod_post_is_authentic(s, sys.argv[4], sys.argv[5], body))\n";
    Path script = Files.writeString(dir.resolve("recipe.py"), driver);
    List<String> command = new ArrayList<>(List.of("python3", script.toString(), dir.toString(),
        Long.toString(now), signature, Long.toString(now - 3600), old));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python3 finished");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertEquals(0, p.exitValue(), out);
      assertEquals("True False False False", out, "genuine; tampered body; another secret; an hour old");
    } finally {
      p.destroyForcibly();
    }
  }
}
