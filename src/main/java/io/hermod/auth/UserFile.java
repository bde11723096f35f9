package io.hermod.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user file: one {@code name:$pbkdf2-sha256$...} line per user; blank lines and lines starting with "#"
 * are ignored. Written atomically (temporary file, then rename) with mode 0600. See docs/security.md.
 */
public final class UserFile {

  /** What a read found: the users, and one message per line that was skipped. */
  public record Contents(Map<String, PasswordHash> users, List<String> problems) {
  }

  private UserFile() {
  }

  /** A name is non-empty, at most 255 characters, printable, without ':' or whitespace. */
  public static boolean validName(String name) {
    if (name.isEmpty() || name.length() > 255) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == ':' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        return false;
      }
    }
    return true;
  }

  /** Reads the file; a missing file holds no users. Bad lines are skipped and reported. */
  public static Contents read(Path file) throws IOException {
    Map<String, PasswordHash> users = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    if (!Files.exists(file)) {
      return new Contents(users, problems);
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String name = colon < 0 ? "" : line.substring(0, colon);
      if (!validName(name)) {
        problems.add(file + ":" + (i + 1) + ": expected name:$pbkdf2-sha256$...");
        continue;
      }
      try {
        users.put(name, PasswordHash.parse(line.substring(colon + 1)));
      } catch (IllegalArgumentException e) {
        problems.add(file + ":" + (i + 1) + ": bad password hash for " + name + ": " + e.getMessage());
      }
    }
    return new Contents(users, problems);
  }

  /** Replaces the file with these users, atomically, readable by the owner only. */
  public static void write(Path file, Map<String, PasswordHash> users) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    StringBuilder text = new StringBuilder("# Hermod users: name:$pbkdf2-sha256$iterations$salt$hash (docs/security.md)\n");
    users.forEach((name, hash) -> text.append(name).append(':').append(hash.encode()).append('\n'));
    Path tmp = Files.createTempFile(dir, ".users", ".tmp");
    try {
      restrict(tmp);
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Mode 0600 where the file system has POSIX permissions. */
  static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: leave the platform default
    }
  }
}
