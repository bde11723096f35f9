package io.hermod.app;

import io.hermod.testing.ApplicationSources;
import io.hermod.testing.HermodProcess;
import io.hermod.testing.ScriptedSmtpPeer;
import io.hermod.testing.TestHermod;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
 * the delivery, and SIGTERM stops it before Hermod drains. Without app.jar the same command stops with one line,
 * and so does an application whose start() fails (exit status 1 both).
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
    Run run = run(System.getProperty("hermod.jar"), conf());
    assertEquals(1, run.status(), run.err());
    assertEquals("config: verticles[0].class: no class com.example.mail.Canary on the class path (java -cp"
        + " hermod.jar:app.jar io.hermod.Main ...)\n", run.err());
  }

  @Test
  void anApplicationWhoseStartFailsStopsTheStartWithOneLine() throws Exception {
    JsonObject failing = new JsonObject().put("verticles", new JsonArray().add(new JsonObject()
        .put("class", FailingVerticle.class.getName())
        .put("config", new JsonObject().put("database", "db.example:5432\n(from the app's config)"))));
    Path conf = Files.writeString(temp.resolve("failing.json"),
        TestHermod.baseConfig(temp.resolve("spool")).mergeIn(failing).encodePrettily());
    // The test classes stand for the application's jar.
    String classPath = System.getProperty("hermod.jar") + File.pathSeparator
        + ApplicationSources.projectDir().resolve("target/test-classes");
    Run run = run(classPath, conf);
    assertEquals(1, run.status(), run.err());
    List<String> lines = run.err().lines().toList();
    assertEquals("hermod: cannot start: application verticle verticles[0] (" + FailingVerticle.class.getName()
        + ") did not start: no database at db.example:5432 (from the app's config)", lines.get(lines.size() - 1),
        run.err());
  }

  private record Run(int status, String err) {
  }

  /** Main with {@code -conf conf} on {@code classPath}, expected to stop by itself. */
  private Run run(String classPath, Path conf) throws Exception {
    Path err = temp.resolve("err-" + conf.getFileName() + ".txt");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath, "io.hermod.Main", "-conf", conf.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("Hermod neither started nor stopped:\n" + Files.readString(err));
    }
    return new Run(p.exitValue(), Files.readString(err));
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
