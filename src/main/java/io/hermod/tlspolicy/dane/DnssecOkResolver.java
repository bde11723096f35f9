package io.hermod.tlspolicy.dane;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;

/**
 * Puts the DO bit (RFC 3225: "send me the signatures") on every query before the project's resolver sends it, and
 * takes dnsjava's ValidatingResolver's EDNS and truncation set-up calls, which the shared resolver (configured once
 * from dns.*) refuses; other settings go to it (and are refused there). Truncated answers are never ignored: the
 * resolver underneath retries them over TCP.
 */
final class DnssecOkResolver implements Resolver {

  /** RFC 9715 / DNS flag day 2020: an EDNS buffer that avoids IP fragmentation; larger answers come over TCP. */
  static final int PAYLOAD_SIZE = 1232;

  private final Resolver resolver;

  DnssecOkResolver(Resolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    Message q = query.clone();
    OPTRecord opt = q.getOPT();
    if (opt == null || (opt.getFlags() & ExtendedFlags.DO) == 0) {
      if (opt != null) {
        q.removeRecord(opt, Section.ADDITIONAL);
      }
      q.addRecord(new OPTRecord(PAYLOAD_SIZE, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    }
    // The answer arrives on the event loop that read it; the validator's work on it (signature checks) goes on
    // the DNS executor instead.
    return resolver.sendAsync(q, executor).thenApplyAsync(Function.identity(), executor);
  }

  @Override
  public Duration getTimeout() {
    return resolver.getTimeout();
  }

  /** ValidatingResolver asks for EDNS0 with DO: that is what every query gets here anyway. */
  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    // nothing to change
  }

  /** ValidatingResolver asks never to ignore truncation: the resolver underneath never does. */
  @Override
  public void setIgnoreTruncation(boolean flag) {
    // nothing to change
  }

  @Override
  public void setPort(int port) {
    resolver.setPort(port);
  }

  @Override
  public void setTCP(boolean flag) {
    resolver.setTCP(flag);
  }

  @Override
  public void setTSIGKey(TSIG key) {
    resolver.setTSIGKey(key);
  }

  @Override
  public void setTimeout(Duration timeout) {
    resolver.setTimeout(timeout);
  }
}
