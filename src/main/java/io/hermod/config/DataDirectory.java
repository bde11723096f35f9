package io.hermod.config;

import java.nio.file.Path;

/** Hermod's data directory: the parent of the spool directory ("./data" for "./data/spool"). */
final class DataDirectory {

  private DataDirectory() {
  }

  static Path of(SpoolConfig spool) {
    Path parent = Path.of(spool.directory()).toAbsolutePath().normalize().getParent();
    return parent != null ? parent : Path.of(spool.directory()).toAbsolutePath();
  }
}
