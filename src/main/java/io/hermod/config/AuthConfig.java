package io.hermod.config;

import java.nio.file.Path;

/**
 * SMTP AUTH (RFC 4954) against a local user file.
 *
 * @param usersFile          the user file ("auth.usersFile"), or null for {@code users} next to the spool
 *                           directory
 * @param reloadCheckSeconds the file's modification time is checked at most this often ("auth.reloadCheckSeconds");
 *                           0 checks before every authentication
 */
public record AuthConfig(String usersFile, int reloadCheckSeconds) {

  public Path usersFile(SpoolConfig spool) {
    return usersFile != null ? Path.of(usersFile) : DataDirectory.of(spool).resolve("users");
  }
}
