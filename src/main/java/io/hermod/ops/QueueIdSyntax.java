package io.hermod.ops;

/** A cheap check on ids from URLs before they reach the spool (which builds file names from them). */
final class QueueIdSyntax {

  private QueueIdSyntax() {
  }

  /** Letters, digits, '-' and '_' only, 1..64 characters: nothing that could walk a path. */
  static boolean plausible(String id) {
    if (id == null || id.isEmpty() || id.length() > 64) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_') {
        return false;
      }
    }
    return true;
  }
}
