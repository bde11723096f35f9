package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/dev-secrets.sh (issue #16): the DKIM record it prints is the one to publish, for configmap.yaml's domain and
 * selector (no "<selector>._domainkey.<domain>" left for the operator to fill in), the trial certificate names
 * configmap.yaml's hostname, and it warns while the ConfigMap still says example.org.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DevSecretsScriptTest {

  @TempDir
  Path temp;

  @Test
  void theNamesComeFromTheConfigMap() throws Exception {
    Path k8s = Files.createDirectories(temp.resolve("k8s"));
    Files.copy(Path.of("k8s/dev-secrets.sh"), k8s.resolve("dev-secrets.sh"));
    String shipped = Files.readString(Path.of("k8s/configmap.yaml"));
    Files.writeString(k8s.resolve("configmap.yaml"), shipped);
    String output = run(k8s, "shipped");
    assertTrue(output.contains("publish: hermod._domainkey.example.org TXT \"v=DKIM1; k=ed25519; p="), output);
    assertTrue(output.contains("configmap.yaml still names example.org"), output);

    Files.writeString(k8s.resolve("configmap.yaml"),
        shipped.replace("mx.example.org", "mx.acme.test").replace("\"example.org\"", "\"acme.test\""));
    output = run(k8s, "edited");
    assertTrue(output.contains("wrote " + k8s.resolve("edited") + "/tls.crt and tls.key (self-signed for mx.acme.test)"),
        output);
    assertTrue(output.contains("publish: hermod._domainkey.acme.test TXT \"v=DKIM1; k=ed25519; p="), output);
    assertFalse(output.contains("<") || output.contains("example.org"), output);
  }

  private static String run(Path k8s, String secrets) throws Exception {
    Process p = new ProcessBuilder("bash", k8s.resolve("dev-secrets.sh").toString(), k8s.resolve(secrets).toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), output);
    return output;
  }
}
