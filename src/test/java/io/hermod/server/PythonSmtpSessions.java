package io.hermod.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/resources/io/hermod/server/smtp_sessions.py (Python's smtplib and ssl: an independent client)
 * and returns one JSON object per session: {@code reused}, {@code version}, {@code auth}, {@code mail},
 * {@code error}.
 */
final class PythonSmtpSessions {

  private static final String SCRIPT = script();

  private PythonSmtpSessions() {
  }

  static List<JsonObject> run(JsonObject plan) throws Exception {
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT, plan.encode()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("python did not finish: " + output);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("python exited with " + p.exitValue() + ": " + output);
    }
    List<JsonObject> sessions = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.isBlank()) {
        sessions.add(new JsonObject(line));
      }
    }
    return sessions;
  }

  /** A plan: {@code mode} "starttls" or "implicit"; add sessions with {@link #session}. */
  static JsonObject plan(int port, String mode, java.nio.file.Path cafile, boolean resume) {
    return new JsonObject().put("port", port).put("mode", mode).put("cafile", cafile.toString())
        .put("resume", resume).put("sessions", new JsonArray());
  }

  /** A session that authenticates with {@code mechanism} (null: none) and sends a message when {@code mail}. */
  static JsonObject session(String mechanism, String user, String password, boolean mail) {
    JsonObject s = new JsonObject().put("mail", mail);
    if (mechanism != null) {
      s.put("mechanism", mechanism).put("user", user).put("password", password);
    }
    return s;
  }

  private static String script() {
    try (InputStream in = PythonSmtpSessions.class.getResourceAsStream("smtp_sessions.py")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
