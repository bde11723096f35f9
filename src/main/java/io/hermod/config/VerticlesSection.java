package io.hermod.config;

import java.util.List;

/** Reads and checks the "verticles" list (docs/config.md). */
final class VerticlesSection {

  private VerticlesSection() {
  }

  static List<AppVerticleConfig> bind(JsonSection root) {
    if (!root.array("verticles").isEmpty()) {
      throw ConfigException.bad(root.key("verticles"), "verticles are not implemented yet", root.array("verticles"));
    }
    return List.of();
  }
}
