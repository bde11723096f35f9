package io.hermod.tlspolicy.dane;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Asks DNSSEC questions (one name, one type) and says whether their answers are secure: through dnsjava's
 * {@link ValidatingResolver} from configured trust anchors, or by trusting the AD bit of validating resolvers
 * (outboundTls.dane.trustAdBit). Answers complete on the caller's Vert.x context; the validator's work on each
 * answer runs on the given executor (some of its steps on the common pool), not on an event loop.
 */
public final class DnssecQuestions {

  private final Resolver resolver;
  private final Executor executor;
  private final boolean trustAdBit;
  private final Predicate<Name> underAnchor;

  private DnssecQuestions(Resolver resolver, Executor executor, boolean trustAdBit, Predicate<Name> underAnchor) {
    this.resolver = resolver;
    this.executor = executor;
    this.trustAdBit = trustAdBit;
    this.underAnchor = underAnchor;
  }

  /**
   * Validates in Hermod: dnsjava's ValidatingResolver asks {@code resolver} (with DO and CD set) for the answer,
   * its DNSKEY and DS records, up to {@code anchors}.
   */
  public static DnssecQuestions validating(Resolver resolver, TrustAnchors anchors, Executor executor) {
    ValidatingResolver validating = new ValidatingResolver(new DnssecOkResolver(resolver));
    try {
      validating.getTrustAnchors().clear(); // only ours, never the dnsjava.dnssec.trust_anchor_file property's
      validating.loadTrustAnchors(anchors.stream());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // read once already by TrustAnchors: cannot happen
    }
    return new DnssecQuestions(validating, executor, false,
        name -> validating.getTrustAnchors().find(name, DClass.IN) != null);
  }

  /** Trusts the AD bit of {@code resolver}'s answers (RFC 6840 §5.7: AD is asked for by setting it in the query). */
  public static DnssecQuestions trustingAdBit(Resolver resolver, Executor executor) {
    return new DnssecQuestions(new DnssecOkResolver(resolver), executor, true, name -> true);
  }

  /** Never fails: errors are FAILED answers. */
  public Future<DnssecAnswer> ask(Name name, int type, Context context) {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    if (trustAdBit) {
      query.getHeader().setFlag(Flags.AD);
    }
    CompletionStage<Message> sent;
    try {
      sent = resolver.sendAsync(query, executor); // no I/O here: the query goes out on a Vert.x socket
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    CompletionStage<DnssecAnswer> answer = sent.handle((response, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return DnssecAnswer.failed("DNS lookup of " + name + " failed: " + cause);
      }
      return trustAdBit ? DnssecAnswer.ofAdBit(response, type)
          : DnssecAnswer.ofValidated(response, type, underAnchor.test(name));
    });
    return Future.fromCompletionStage(answer, context);
  }
}
