package io.hermod.egress;

import java.util.regex.Pattern;

/** Names of sources and pools: short, lower-case labels, safe in queue keys, logs and metrics tags. */
final class EgressNames {

  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");

  private EgressNames() {
  }

  static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  static void check(String what, String name) {
    if (!valid(name)) {
      throw new IllegalArgumentException(what + " name must be 1-32 of a-z, 0-9, _ and -: " + name);
    }
  }
}
