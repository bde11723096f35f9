package io.hermod.tlspolicy.rpt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An independent JSON Schema validator: Debian's python3-jsonschema (Draft 2020-12). {@link #errors} returns ""
 * for a valid instance, else the validator's messages.
 */
final class PythonJsonSchema {

  static final Path REPORT_SCHEMA = Path.of("src/test/resources/io/hermod/tlspolicy/tlsrpt-report.schema.json");

  private static final String SCRIPT = String.join("\n",
      "import json, sys, jsonschema",
      "schema = json.load(open(sys.argv[1]))",
      "jsonschema.Draft202012Validator.check_schema(schema)",
      "v = jsonschema.Draft202012Validator(schema)",
      "for i, instance in enumerate(json.load(open(sys.argv[2]))):",
      "    for e in v.iter_errors(instance):",
      "        print(i, list(e.absolute_path), e.message)");

  private PythonJsonSchema() {
  }

  /** Fails (never skips) without python3-jsonschema: CI installs it (.ci/run), and a skip would hide a missing step. */
  static String errors(Path schema, JsonObject instance, Path dir) throws IOException, InterruptedException {
    return errors(schema, List.of(instance), dir).get(0);
  }

  /** The errors of each instance ("" for a valid one), all checked by one python process. */
  static List<String> errors(Path schema, List<JsonObject> instances, Path dir) throws IOException, InterruptedException {
    Path file = Files.createTempFile(dir, "instances", ".json");
    Files.writeString(file, new JsonArray(new ArrayList<>(instances)).encodePrettily(), StandardCharsets.UTF_8);
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT, schema.toString(), file.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 jsonschema did not finish");
    assertTrue(p.exitValue() == 0, "python3-jsonschema is required (apt-get install python3-jsonschema, see .ci/run): "
        + out);
    List<String> errors = new ArrayList<>(Collections.nCopies(instances.size(), ""));
    for (String line : out.strip().split("\n")) {
      if (!line.isBlank()) {
        int i = Integer.parseInt(line.substring(0, line.indexOf(' ')));
        errors.set(i, (errors.get(i) + "\n" + line).strip());
      }
    }
    return errors;
  }
}
