package io.hermod.config;

/**
 * Log output ("logging").
 *
 * @param format "text" (one human-readable line per record) or "json" (one JSON object per line)
 */
public record LoggingConfig(Format format) {

  public enum Format { TEXT, JSON }
}
