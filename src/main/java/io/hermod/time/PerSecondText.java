package io.hermod.time;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

/**
 * A text that is the same for every instant of one second in one zone offset (a date to the second), built by
 * its formatter once per second and reused until the second or the offset changes. Thread-safe: the last text
 * is one immutable entry in a volatile field; two threads crossing a second may both build it, never see a torn
 * one.
 */
public final class PerSecondText {

  private record Entry(long second, int offset, String text) {
  }

  private final Function<ZonedDateTime, String> format;
  private volatile Entry last = new Entry(Long.MIN_VALUE, 0, "");

  /** @param format formats an instant truncated to its second; it must print nothing finer than seconds */
  public PerSecondText(Function<ZonedDateTime, String> format) {
    this.format = format;
  }

  /** The text of {@code when}'s second in {@code when}'s offset. */
  public String of(ZonedDateTime when) {
    return of(when.toEpochSecond(), when.getOffset(), when);
  }

  /** The text of {@code epochSecond} in {@code offset}. */
  public String of(long epochSecond, ZoneOffset offset) {
    return of(epochSecond, offset, null);
  }

  private String of(long epochSecond, ZoneOffset offset, ZonedDateTime when) {
    Entry e = last;
    int seconds = offset.getTotalSeconds();
    if (e.second != epochSecond || e.offset != seconds) {
      ZonedDateTime at = when != null ? when.truncatedTo(ChronoUnit.SECONDS)
          : java.time.Instant.ofEpochSecond(epochSecond).atZone(offset);
      e = new Entry(epochSecond, seconds, format.apply(at));
      last = e;
    }
    return e.text;
  }
}
