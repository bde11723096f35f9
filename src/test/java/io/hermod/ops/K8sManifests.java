package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The objects of k8s/, as the offline validator (k8s/validate/validate.mjs, Node.js) parsed and checked them:
 * running it is the schema check, and its JSON is what the tests read (no YAML parser on the Java side).
 * A missing node or missing validator packages fail the test: nothing is skipped.
 */
final class K8sManifests {

  private static final Path VALIDATOR = Path.of("k8s/validate/validate.mjs");

  final JsonObject kustomization;
  private final JsonArray objects;

  private K8sManifests(JsonObject kustomization, JsonArray objects) {
    this.kustomization = kustomization;
    this.objects = objects;
  }

  static K8sManifests validated() throws Exception {
    assertTrue(Files.isDirectory(Path.of("k8s/validate/node_modules")),
        "the manifest validator's packages are missing: npm ci --prefix k8s/validate (.ci/run does it)");
    Process p;
    try {
      p = new ProcessBuilder("node", VALIDATOR.toString(), "--json").start();
    } catch (IOException e) {
      return fail("node is needed to validate k8s/ (Debian: apt-get install nodejs npm; .ci/run installs it)", e);
    }
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the manifest validator did not finish within 60 s");
    }
    assertEquals(0, p.exitValue(), "k8s manifests are invalid:\n" + err.get());
    JsonObject json = new JsonObject(out);
    return new K8sManifests(json.getJsonObject("kustomization"), json.getJsonArray("objects"));
  }

  /** The one object of that kind and name. */
  JsonObject get(String kind, String name) {
    return stream().filter(o -> o.getString("kind").equals(kind) && o.getJsonObject("metadata").getString("name").equals(name))
        .findFirst().orElseGet(() -> fail("no " + kind + "/" + name + " in k8s/"));
  }

  Stream<JsonObject> ofKind(String kind) {
    return stream().filter(o -> o.getString("kind").equals(kind));
  }

  private Stream<JsonObject> stream() {
    return objects.stream().map(o -> ((JsonObject) o).getJsonObject("object"));
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
