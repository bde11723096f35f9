package io.hermod.tlspolicy.rpt;

import io.hermod.tlspolicy.web.TagRecord;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code _smtp._tls.<domain>} TXT record (RFC 8460 §3): {@code v=TLSRPTv1; rua=mailto:tls@example.com,https://...}.
 * Pure.
 *
 * @param rua where reports go: {@code mailto:} and {@code https:} URIs, in the record's order
 */
public record TlsRptRecord(List<URI> rua) {

  private static final String VERSION = "v=TLSRPTv1";

  public TlsRptRecord {
    rua = List.copyOf(rua);
  }

  /**
   * The one record among {@code texts} (each TXT record's strings joined), or empty: records not starting with
   * "v=TLSRPTv1" are discarded; not exactly one left, or one without a valid rua, means no reporting (§3).
   */
  public static Optional<TlsRptRecord> select(List<String> texts) {
    return TagRecord.single(texts, VERSION).flatMap(TlsRptRecord::parse);
  }

  /** tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]; exactly one rua. */
  static Optional<TlsRptRecord> parse(String text) {
    return TagRecord.fields(text, VERSION, Set.of("rua"))
        .map(fields -> fields.get("rua"))
        .map(TlsRptRecord::uris)
        .map(TlsRptRecord::new);
  }

  /** tlsrpt-rua = "rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri); only mailto: and https: are defined (§3). */
  private static List<URI> uris(String value) {
    List<URI> uris = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      String u = TagRecord.stripWsp(item);
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
}
