package io.hermod.shaping;

/** Per-site limits configured for a site (a provider's own cap and rate), over the delivery defaults. */
public interface SiteLimits {

  /** Connections this node may have open to {@code site}, given the default {@code cap}. */
  int cap(String site, int cap);

  /** Jobs per minute to {@code site} (0 = unlimited), given the default. */
  int ratePerMinute(String site, int ratePerMinute);

  SiteLimits DEFAULTS = new SiteLimits() {
    @Override
    public int cap(String site, int cap) {
      return cap;
    }

    @Override
    public int ratePerMinute(String site, int ratePerMinute) {
      return ratePerMinute;
    }
  };
}
