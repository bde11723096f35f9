package io.hermod.config;

import java.nio.file.Path;

/**
 * SMTP AUTH (RFC 4954) against a local user file.
 *
 * @param usersFile          the user file ("auth.usersFile"), or null for {@code users} next to the spool
 *                           directory
 * @param reloadCheckSeconds the file's modification time is checked at most this often ("auth.reloadCheckSeconds");
 *                           0 checks before every authentication
 * @param maxFailures        failed AUTH attempts per client IP within the window before AUTH is refused with 454
 *                           ("auth.maxFailures")
 * @param failureWindowSeconds how long a failure counts ("auth.failureWindowSeconds")
 * @param failureDelayMillis how long a 535 is held back, on a timer ("auth.failureDelayMillis")
 * @param restrictSenderDomains an authenticated user may only use MAIL FROM addresses in its own domains
 *                           ("auth.restrictSenderDomains")
 * @param workerThreads      threads of the pool that runs password checks (PBKDF2) and user-file reads
 *                           ("auth.workerThreads"); 0 = one per core
 * @param cacheSize          most successful PLAIN/LOGIN verifications remembered ("auth.cacheSize"); 0 = none
 * @param cacheTtlSeconds    how long a remembered verification serves ("auth.cacheTtlSeconds")
 */
public record AuthConfig(String usersFile, int reloadCheckSeconds, int maxFailures, int failureWindowSeconds,
                         int failureDelayMillis, boolean restrictSenderDomains, int workerThreads, int cacheSize,
                         int cacheTtlSeconds) {

  /** {@link #workerThreads}, with 0 resolved to the number of cores the JVM sees. */
  public int workerThreadCount() {
    return workerThreads > 0 ? workerThreads : Runtime.getRuntime().availableProcessors();
  }

  public Path usersFile(SpoolConfig spool) {
    return usersFile != null ? Path.of(usersFile) : DataDirectory.of(spool).resolve("users");
  }
}
