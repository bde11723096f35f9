package io.hermod.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** A file system error in a few words for a start-up message ("permission denied"), without a stack trace. */
public final class FileProblem {

  private FileProblem() {
  }

  public static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
      return e.getMessage() + " is in the way (not a directory)";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory: " + e.getMessage();
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason().toLowerCase(java.util.Locale.ROOT) + (fse.getFile() == null ? "" : ": " + fse.getFile());
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
