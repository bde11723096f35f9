package io.hermod.app;

import io.hermod.testing.ApplicationSources;
import io.hermod.testing.HermodProcess;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's recipe, as a user follows it: the Canary example compiled against the client jar, packed as
 * app.jar, and run with {@code java -cp hermod.jar:app.jar io.hermod.Main -conf FILE} (the shaded jar, no JVM
 * flags) with the README's "verticles" configuration. Its canary reaches a real SMTP peer, its log line reports
 * the delivery, and SIGTERM stops it before Hermod drains. Without app.jar the same command stops with one line.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AppClassPathIT {

  @TempDir
  Path temp;

  private Vertx vertx;
  private ScriptedSmtpPeer peer;

  @BeforeEach
  void startPeer() {
    vertx = Vertx.vertx();
    peer = new ScriptedSmtpPeer(vertx).start().await();
  }

  @AfterEach
  void stopPeer() {
    peer.close().await();
    vertx.close().await();
  }

  @Test
  void theCanaryRunsInHermodsJvmAndStopsBeforeTheDrain() throws Exception {
    Path appJar = appJar();
    String classPath = System.getProperty("hermod.jar") + File.pathSeparator + appJar;
    try (HermodProcess hermod = HermodProcess.start(classPath, conf(), List.of(), List.of())) {
      hermod.awaitLog("canary ", 30);
      hermod.awaitLog(" to seed@example.net: delivered (250 ", 30);
      assertEquals(1, peer.messages().size());
      String content = peer.messages().get(0).content().toString(StandardCharsets.ISO_8859_1);
      assertTrue(content.contains("X-Hermod-Tag: canary\r\n") && content.contains("Subject: Canary\r\n"), content);
      assertEquals(List.of("RCPT TO:<seed@example.net>"), peer.messages().get(0).rcptTo());

      hermod.stop();
      String log = hermod.log();
      assertEquals(143, hermod.exitValue(), log); // 128 + SIGTERM, after the shutdown hook ran
      int appStopped = log.indexOf("application verticle com.example.mail.Canary stopped (verticles[0])");
      int draining = log.indexOf("draining:");
      assertTrue(appStopped > 0 && appStopped < draining, log);
    }
  }

  @Test
  void withoutTheApplicationsJarTheStartStopsWithOneLineNamingTheKey() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("hermod.jar"), "io.hermod.Main", "-conf", conf().toString())
        .redirectOutput(temp.resolve("out.txt").toFile()).redirectError(temp.resolve("err.txt").toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("Hermod neither started nor stopped");
    }
    String err = Files.readString(temp.resolve("err.txt"));
    assertEquals(1, p.exitValue(), err);
    assertEquals("config: verticles[0].class: no class com.example.mail.Canary on the class path (java -cp"
        + " hermod.jar:app.jar io.hermod.Main ...)\n", err);
  }

  /** The README's Canary, compiled against the client jar and Vert.x alone (ClientJarIT), as app.jar. */
  private Path appJar() throws Exception {
    List<Path> classPath = new ArrayList<>(ApplicationSources.vertxJars());
    classPath.add(Path.of(System.getProperty("hermod.client.jar")));
    Path classes = temp.resolve("classes");
    ApplicationSources.compile(ApplicationSources.readmeExample("canary"), classPath, classes);
    return ApplicationSources.jar(classes, temp.resolve("app.jar"));
  }

  /** The README's "verticles" section, on the test's ports and spool, relaying everything to the peer. */
  private Path conf() throws Exception {
    JsonObject readme = new JsonObject(ApplicationSources.readmeExample("canary-config"));
    JsonObject conf = TestHermod.baseConfig(temp.resolve("spool")).mergeIn(readme)
        .put("routing", new JsonObject().put("smarthost", "[127.0.0.1]:" + peer.port()));
    return Files.writeString(temp.resolve("hermod.json"), conf.encodePrettily());
  }
}
