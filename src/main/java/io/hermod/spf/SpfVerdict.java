package io.hermod.spf;

/**
 * The outcome of one check_host() (RFC 7208 §4).
 *
 * @param result    the result
 * @param domain    the domain checked (the MAIL FROM domain, or the HELO name for the null sender)
 * @param mechanism the directive that matched ("-all", "ip4:192.0.2.0/24"), or null
 * @param problem   why it is temperror/permerror, or null
 */
public record SpfVerdict(SpfResult result, String domain, String mechanism, String problem) {

  static SpfVerdict of(SpfResult result, String domain) {
    return new SpfVerdict(result, domain, null, null);
  }

  static SpfVerdict error(SpfResult result, String domain, String problem) {
    return new SpfVerdict(result, domain, null, problem);
  }
}
