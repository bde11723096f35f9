package io.hermod.tlspolicy.rpt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code _smtp._tls.<domain>} TXT record (RFC 8460 §3): {@code v=TLSRPTv1; rua=mailto:tls@example.com,https://...}.
 * Pure.
 *
 * @param rua where reports go: {@code mailto:} and {@code https:} URIs, in the record's order
 */
public record TlsRptRecord(List<URI> rua) {

  private static final String VERSION = "v=TLSRPTv1";
  // tlsrpt-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."); ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
  private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
  private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");

  public TlsRptRecord {
    rua = List.copyOf(rua);
  }

  /**
   * The one record among {@code texts} (each TXT record's strings joined), or empty: records not starting with
   * "v=TLSRPTv1" are discarded; not exactly one left, or one without a valid rua, means no reporting (§3).
   */
  public static Optional<TlsRptRecord> select(List<String> texts) {
    List<String> candidates = texts.stream().filter(t -> t.startsWith(VERSION)).toList();
    return candidates.size() == 1 ? parse(candidates.get(0)) : Optional.empty();
  }

  /** tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]; exactly one rua. */
  static Optional<TlsRptRecord> parse(String text) {
    if (!text.startsWith(VERSION)) {
      return Optional.empty();
    }
    String[] parts = text.substring(VERSION.length()).split(";", -1);
    if (parts.length < 2 || !wsp(parts[0])) {
      return Optional.empty();
    }
    List<URI> rua = null;
    for (int i = 1; i < parts.length; i++) {
      String field = strip(parts[i]);
      if (field.isEmpty()) {
        if (i == parts.length - 1) {
          continue; // the optional trailing delimiter
        }
        return Optional.empty();
      }
      int eq = field.indexOf('=');
      if (eq <= 0) {
        return Optional.empty();
      }
      String name = field.substring(0, eq);
      String value = field.substring(eq + 1);
      if (name.equals("rua")) {
        if (rua != null) {
          return Optional.empty();
        }
        rua = uris(value);
        if (rua == null) {
          return Optional.empty();
        }
      } else if (!EXT_NAME.matcher(name).matches() || !EXT_VALUE.matcher(value).matches()) {
        return Optional.empty();
      }
    }
    return rua == null ? Optional.empty() : Optional.of(new TlsRptRecord(rua));
  }

  /** tlsrpt-rua = "rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri); only mailto: and https: are defined (§3). */
  private static List<URI> uris(String value) {
    List<URI> uris = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      String u = strip(item);
      try {
        URI uri = new URI(u);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("mailto") && uri.getSchemeSpecificPart().matches("[^@\\s<>,]+@[^@\\s<>,]+")
            || scheme.equals("https") && uri.getHost() != null) {
          uris.add(uri);
        } else {
          return null;
        }
      } catch (URISyntaxException e) {
        return null;
      }
    }
    return uris.isEmpty() ? null : uris;
  }

  private static boolean wsp(String s) {
    return strip(s).isEmpty();
  }

  private static String strip(String s) {
    return s.replaceAll("^[ \\t]+|[ \\t]+$", "");
  }
}
