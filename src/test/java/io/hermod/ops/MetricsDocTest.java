package io.hermod.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md's metrics table and the code agree: every meter built anywhere in src/main (Counter, Gauge,
 * Timer, DistributionSummary builders, and the counters io.hermod.metrics.MeterCache keeps) has a row under its
 * Prometheus name, every row names a real meter, and each row's tags are the labels the meter has in a scrape.
 */
class MetricsDocTest {

  private static final Pattern BUILDER =
      Pattern.compile("\\b(Counter|Gauge|Timer|DistributionSummary)\\.builder\\(\\s*\"([a-z.]+)\"");
  /** A counter HermodMetrics builds once through its MeterCache: {@code meters.counter("name", ...)}. */
  private static final Pattern CACHED_COUNTER = Pattern.compile("\\bmeters\\.counter\\(\\s*\"([a-z.]+)\"");
  private static final Pattern ROW = Pattern.compile("(?m)^\\| `(hermod_[a-z_]+)` \\| ([a-z]+) \\|([^|]*)\\|");
  private static final Pattern TAG_WITH_VALUES = Pattern.compile("`([a-z_]+)` =");
  private static final Pattern TAGS_ONLY = Pattern.compile("\\s*`[a-z_]+`(\\s*,\\s*`[a-z_]+`)*\\s*");

  @Test
  void everyMeterInTheCodeHasARowWithItsTags() throws Exception {
    Set<String> declared = declaredInCode();
    Map<String, Set<String>> documented = documented();
    assertTrue(declared.size() >= 15, "meters found in src/main: " + declared);
    assertEquals(declared, documented.keySet(), "meters in src/main vs rows of docs/operations.md's metrics table");

    Map<String, Set<String>> scraped = labelsInScrape(MetricsDashboardNamesTest.everyMeterOnce());
    for (String meter : declared) {
      assertEquals(scraped.get(meter), documented.get(meter), "tags of " + meter + " (scrape vs docs)");
    }
  }

  /** Prometheus names of the meters built in src/main: counters get _total, timers _seconds. */
  private static Set<String> declaredInCode() throws Exception {
    Set<String> names = new TreeSet<>();
    List<Path> sources;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path source : sources) {
      Matcher m = BUILDER.matcher(Files.readString(source));
      while (m.find()) {
        String base = m.group(2).replace('.', '_');
        names.add(switch (m.group(1)) {
          case "Counter" -> base + "_total";
          case "Timer" -> base + "_seconds";
          default -> base;
        });
      }
      Matcher cached = CACHED_COUNTER.matcher(Files.readString(source));
      while (cached.find()) {
        names.add(cached.group(1).replace('.', '_') + "_total");
      }
    }
    return names;
  }

  /** Meter → tag names of its row: the cell's first name, names followed by "= values", or a cell of bare names. */
  private static Map<String, Set<String>> documented() throws Exception {
    String doc = Files.readString(Path.of("docs/operations.md"));
    Map<String, Set<String>> rows = new TreeMap<>();
    Matcher row = ROW.matcher(doc);
    while (row.find()) {
      Set<String> tags = new TreeSet<>();
      String cell = row.group(3).strip();
      Matcher first = Pattern.compile("^`([a-z_]+)`").matcher(cell); // "`listener`, `result` = ..."
      if (first.find()) {
        tags.add(first.group(1));
      }
      if (TAGS_ONLY.matcher(cell).matches()) {
        Matcher bare = Pattern.compile("`([a-z_]+)`").matcher(cell);
        while (bare.find()) {
          tags.add(bare.group(1));
        }
      }
      Matcher named = TAG_WITH_VALUES.matcher(cell);
      while (named.find()) {
        tags.add(named.group(1));
      }
      assertTrue(rows.put(row.group(1), tags) == null, "two rows for " + row.group(1));
    }
    return rows;
  }

  /** Family → label names seen on its samples (histogram "le" left out). */
  private static Map<String, Set<String>> labelsInScrape(String scrape) {
    Map<String, Set<String>> labels = new TreeMap<>();
    Matcher family = Pattern.compile("(?m)^# TYPE (hermod_[a-z_]+) ").matcher(scrape);
    while (family.find()) {
      labels.put(family.group(1), new TreeSet<>());
    }
    Matcher sample = Pattern.compile("(?m)^(hermod_[a-z_]+)\\{([^}]*)}").matcher(scrape);
    while (sample.find()) {
      String name = sample.group(1).replaceAll("_(bucket|count|sum|max)$", "");
      Set<String> set = labels.containsKey(sample.group(1)) ? labels.get(sample.group(1)) : labels.get(name);
      if (set == null) {
        continue; // e.g. hermod_x_seconds_max is its own gauge family
      }
      Matcher label = Pattern.compile("([a-z_]+)=\"").matcher(sample.group(2));
      while (label.find()) {
        if (!label.group(1).equals("le")) {
          set.add(label.group(1));
        }
      }
    }
    return labels;
  }
}
