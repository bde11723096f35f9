package io.hermod.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The files a setting names (certificates, keys: a few KiB each), with a SHA-256 of each one's content when
 * read: two stamps differ when a file was rewritten or replaced, or another file is named. Content, not
 * modification time: a rewrite within the file system's timestamp granularity with the same size (a new
 * Ed25519 key) would look unchanged. Symbolic links are followed, so a Kubernetes Secret volume (whose files
 * are links swapped to a new directory on update) shows its new content as a change.
 *
 * @param files   the files, in the order given
 * @param digests per file, the hex SHA-256 of its content
 */
public record FileStamp(List<Path> files, List<String> digests) {

  public FileStamp {
    files = List.copyOf(files);
    digests = List.copyOf(digests);
  }

  /** Reads and digests the files now; blocking. An unreadable file is a {@link ConfigException}. */
  public static FileStamp of(Path... files) {
    List<String> digests = new ArrayList<>();
    for (Path f : files) {
      try {
        digests.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
      } catch (IOException e) {
        throw new ConfigException(null, "cannot read " + f + ": " + e.getMessage());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
    return new FileStamp(List.of(files), digests);
  }
}
