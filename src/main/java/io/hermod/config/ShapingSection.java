package io.hermod.config;

import io.hermod.shaping.Provider;
import io.hermod.shaping.ShapingRule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads and checks the "shaping" section (docs/config.md, docs/delivery.md "Sites"). */
final class ShapingSection {

  private static final Set<String> PROVIDER_KEYS = Set.of("name", "mxSuffixes", "maxConnections", "ratePerMinute");

  private ShapingSection() {
  }

  static ShapingConfig bind(JsonSection s) {
    List<String> own = ConfigBinder.strings(s, "ownSiteDomains", (key, text) -> HostNames.domain(text)
        .map(d -> d.toLowerCase(Locale.ROOT))
        .orElseThrow(() -> ConfigException.bad(key, "must be a domain name", text)));
    int probe = s.intIn("probeSeconds", 1, 86_400);
    int maxProbe = s.intIn("maxProbeSeconds", 1, 7 * 86_400);
    if (maxProbe < probe) {
      throw ConfigException.bad(s.key("maxProbeSeconds"), "must not be below shaping.probeSeconds (" + probe + ")",
          maxProbe);
    }
    return new ShapingConfig(providers(s), own, s.intIn("initialConnections", 0, 10_000),
        s.intIn("failedCohortLimit", 1, 1000), probe, maxProbe, s.intIn("maxParked", 0, 100_000_000),
        s.bool("defaultRules"), rules(s), s.optionalString("bounceRulesFile"));
    // The bounce rules file itself is read and checked at start (BounceClassifier.load), like DKIM keys.
  }

  /** A named element of a list of objects, parsed; its name must be unique in the list. */
  private interface Named<T> {
    T parse(String key, JsonObject element);
  }

  /** Parses each object of the list {@code name} with {@code parse}; {@code nameOf} must be unique. */
  private static <T> List<T> objects(JsonSection s, String name, String shape, Named<T> parse,
                                     java.util.function.Function<T, String> nameOf) {
    JsonArray array = s.array(name);
    List<T> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String key = s.key(name) + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw ConfigException.bad(key, "must be an object " + shape, array.getValue(i));
      }
      T element = parse.parse(key, o);
      if (!names.add(nameOf.apply(element))) {
        throw ConfigException.bad(key + ".name", "must be unique among " + name, nameOf.apply(element));
      }
      out.add(element);
    }
    return out;
  }

  private static List<ShapingRule> rules(JsonSection s) {
    return objects(s, "rules", "{\"name\", \"match\", \"action\", ...}", (key, o) -> {
      try {
        return ShapingRule.fromJson(o);
      } catch (IllegalArgumentException e) {
        throw ConfigException.bad(key, e.getMessage(), o.encode());
      }
    }, ShapingRule::name);
  }

  private static List<Provider> providers(JsonSection s) {
    return objects(s, "providers", "{\"name\", \"mxSuffixes\", ...}", (key, o) -> {
      JsonSection p = new JsonSection(o, key);
      p.onlyKeys(PROVIDER_KEYS);
      p.require("name");
      p.require("mxSuffixes");
      int max = o.containsKey("maxConnections") ? p.intIn("maxConnections", 0, Integer.MAX_VALUE) : 0;
      int rate = o.containsKey("ratePerMinute") ? p.intIn("ratePerMinute", 0, 60_000_000) : 0;
      try {
        return new Provider(p.string("name"), ConfigBinder.strings(p, "mxSuffixes", (k, t) -> t), max, rate);
      } catch (IllegalArgumentException e) {
        throw ConfigException.bad(key, e.getMessage(), o.encode());
      }
    }, Provider::name);
  }
}
