package io.hermod.tlspolicy;

import java.util.List;

/**
 * What DNSSEC says about one MX host's TLSA records at {@code _25._tcp.<host>} (RFC 7672 §2.2).
 *
 * @param security SECURE (validated), INSECURE (no DNSSEC: no DANE), or BOGUS (validation failed: defer)
 * @param usable   the SECURE records DANE may use (DANE-TA and DANE-EE, known selector and matching type);
 *                 SECURE with none usable means "encrypt without authentication" (§2.2)
 */
public record DaneAnswer(Security security, List<Tlsa> usable) {

  public enum Security { SECURE, INSECURE, BOGUS }

  public static final DaneAnswer INSECURE = new DaneAnswer(Security.INSECURE, List.of());

  public DaneAnswer {
    usable = List.copyOf(usable);
  }
}
