package io.hermod.spool;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/** Maps low-level failures to {@link SpoolException} reasons, in one place. */
final class SpoolErrors {

  private SpoolErrors() {
  }

  static SpoolException map(String what, Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof SpoolException spoolException) {
      return spoolException;
    }
    if (e instanceof RejectedExecutionException) {
      return new SpoolException(SpoolException.Reason.IO_ERROR, what + ": spool I/O queue full", e);
    }
    SpoolException.Reason reason = isNoSpace(e) ? SpoolException.Reason.FULL : SpoolException.Reason.IO_ERROR;
    return new SpoolException(reason, what + ": " + e, e);
  }

  static SpoolException closed() {
    return new SpoolException(SpoolException.Reason.CLOSED, "spool is closed", null);
  }

  /** ENOSPC or EDQUOT anywhere in the cause chain. */
  static boolean isNoSpace(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof IOException) {
        String text = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
        if (text != null && (text.contains("No space left on device") || text.contains("Disk quota exceeded"))) {
          return true;
        }
      }
    }
    return false;
  }
}
