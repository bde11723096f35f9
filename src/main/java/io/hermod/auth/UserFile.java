package io.hermod.auth;

import io.hermod.config.HostNames;

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
import java.util.Optional;

/**
 * The user file: one {@code name:$pbkdf2-sha256$...[:domain,domain]} line per user (the optional third field
 * lists the sender domains of auth.restrictSenderDomains; files without it stay valid); blank lines and lines
 * starting with "#" are ignored. Written atomically (temporary file, then rename) with mode 0600. See
 * docs/security.md.
 */
public final class UserFile {

  /** One user: its password hash and its listed sender domains (lower-case, possibly none). */
  public record Entry(PasswordHash hash, List<String> domains) {
    public Entry {
      domains = List.copyOf(domains);
    }

    public Entry(PasswordHash hash) {
      this(hash, List.of());
    }
  }

  /** What a read found: the users, and one message per line that was skipped. */
  public record Contents(Map<String, Entry> entries, List<String> problems) {
    /** Just the password hashes, by name. */
    public Map<String, PasswordHash> users() {
      Map<String, PasswordHash> hashes = new LinkedHashMap<>();
      entries.forEach((name, e) -> hashes.put(name, e.hash()));
      return hashes;
    }
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

  /**
   * A comma-separated domain list ("a.example,b.example"; empty = none), lower-cased, duplicates dropped;
   * empty when a domain is not an LDH domain name.
   */
  public static Optional<List<String>> parseDomains(String text) {
    List<String> domains = new ArrayList<>();
    if (text.isBlank()) {
      return Optional.of(domains);
    }
    for (String part : text.split(",", -1)) {
      Optional<String> d = HostNames.domain(part.strip());
      if (d.isEmpty()) {
        return Optional.empty();
      }
      if (!domains.contains(d.get())) {
        domains.add(d.get());
      }
    }
    return Optional.of(domains);
  }

  /** Reads the file; a missing file holds no users. Bad lines are skipped and reported. */
  public static Contents read(Path file) throws IOException {
    Map<String, Entry> users = new LinkedHashMap<>();
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
      String where = file + ":" + (i + 1) + ": ";
      String[] fields = line.split(":", -1);
      if (fields.length < 2 || fields.length > 3 || !validName(fields[0])) {
        problems.add(where + "expected name:$pbkdf2-sha256$...[:domain,...]");
        continue;
      }
      Optional<List<String>> domains = parseDomains(fields.length == 3 ? fields[2] : "");
      if (domains.isEmpty()) {
        problems.add(where + "bad domain list for " + fields[0] + " (comma-separated domain names)");
        continue;
      }
      try {
        users.put(fields[0], new Entry(PasswordHash.parse(fields[1]), domains.get()));
      } catch (IllegalArgumentException e) {
        problems.add(where + "bad password hash for " + fields[0] + ": " + e.getMessage());
      }
    }
    return new Contents(users, problems);
  }

  /** Replaces the file with these users (no listed domains). */
  public static void write(Path file, Map<String, PasswordHash> users) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    users.forEach((name, hash) -> entries.put(name, new Entry(hash)));
    writeEntries(file, entries);
  }

  /** Replaces the file with these users, atomically, readable by the owner only. */
  public static void writeEntries(Path file, Map<String, Entry> users) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    StringBuilder text = new StringBuilder(
        "# Hermod users: name:$pbkdf2-sha256$iterations$salt$hash[:domain,...] (docs/security.md)\n");
    users.forEach((name, e) -> {
      text.append(name).append(':').append(e.hash().encode());
      if (!e.domains().isEmpty()) {
        text.append(':').append(String.join(",", e.domains()));
      }
      text.append('\n');
    });
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
