package io.hermod.dkim;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies one message's DKIM signatures (RFC 6376 §6) while it streams in: once the header section is
 * complete the DKIM-Signature fields are parsed and their key lookups started, so DNS overlaps with the
 * body; the body goes through one hasher per distinct (canonicalization, l=) pair. Memory stays bounded:
 * the header section up to {@link MessageDkim#MAX_HEADER_BYTES}, the body only hashed. Used on one event loop.
 */
public final class MessageDkimVerifier {

  private final DkimDns dns;
  private final int maxSignatures;
  private final Instant now;
  private final HeaderBlock headers = new HeaderBlock(MessageDkim.MAX_HEADER_BYTES);
  private final Map<DkimSignature.BodyKey, BodyHash> bodies = new LinkedHashMap<>();
  private final Map<String, Future<List<String>>> keys = new HashMap<>();
  private final List<Object> signatures = new ArrayList<>(); // a DkimSignature, or the DkimVerdict of a bad one
  private List<HeaderField> fields;

  /**
   * @param maxSignatures verify at most this many signatures, the first ones in the message
   * @param now           the verification time, for x= expiry
   */
  public MessageDkimVerifier(DkimDns dns, int maxSignatures, Instant now) {
    this.dns = dns;
    this.maxSignatures = maxSignatures;
    this.now = now;
  }

  /** The client's content (dot-decoded), in order, in pieces of any size. */
  public void update(byte[] b, int from, int to) {
    int bodyStart = fields == null ? headers.update(b, from, to) : from;
    if (fields == null && headers.complete()) {
      startSignatures();
    }
    if (fields != null) {
      for (BodyHash body : bodies.values()) {
        body.update(b, bodyStart, to);
      }
    }
  }

  /** The verdicts, one per verified signature, or a single {@link DkimResult#NONE} without any. */
  public Future<List<DkimVerdict>> verdicts() {
    if (fields == null) {
      startSignatures(); // a message without a blank line: all header, empty body
    }
    if (headers.tooLarge()) {
      return Future.succeededFuture(List.of(new DkimVerdict(DkimResult.NEUTRAL, null, null, null, null,
          "header section too large to verify")));
    }
    if (signatures.isEmpty()) {
      return Future.succeededFuture(List.of(DkimVerdict.none()));
    }
    Map<DkimSignature.BodyKey, byte[]> hashes = new HashMap<>();
    bodies.forEach((k, body) -> hashes.put(k, body.digest()));
    List<Future<DkimVerdict>> each = new ArrayList<>();
    for (Object s : signatures) {
      each.add(s instanceof DkimSignature sig ? verdict(sig, hashes) : Future.succeededFuture((DkimVerdict) s));
    }
    return Future.join(each).transform(done -> Future.succeededFuture(each.stream().map(Future::result).toList()));
  }

  private Future<DkimVerdict> verdict(DkimSignature sig, Map<DkimSignature.BodyKey, byte[]> hashes) {
    long canonicalLength = bodies.get(sig.bodyKey()).canonicalLength();
    return keys.get(sig.keyName()).transform(lookup -> {
      if (lookup.failed()) {
        return Future.succeededFuture(DkimVerdict.of(sig, DkimResult.TEMPERROR, "key lookup failed"));
      }
      try {
        DkimKeyRecord key = firstKey(lookup.result());
        return Future.succeededFuture(SignatureCheck.verify(sig, fields, hashes.get(sig.bodyKey()), canonicalLength, key));
      } catch (DkimException e) {
        return Future.succeededFuture(DkimVerdict.of(sig, e.result, e.getMessage()));
      }
    });
  }

  /** §6.1.2: no record is a permerror ("no key for signature"); of several, the first usable one is taken. */
  private static DkimKeyRecord firstKey(List<String> records) {
    if (records.isEmpty()) {
      throw DkimException.perm("no key for signature");
    }
    DkimException first = null;
    for (String record : records) {
      try {
        return DkimKeyRecord.parse(record);
      } catch (DkimException e) {
        first = first == null ? e : first;
      }
    }
    throw first;
  }

  private void startSignatures() {
    fields = headers.tooLarge() ? List.of() : headers.fields();
    for (HeaderField f : fields) {
      if (signatures.size() == maxSignatures) {
        break;
      }
      if (f.name().strip().equalsIgnoreCase(DkimSignature.FIELD_NAME)) {
        try {
          DkimSignature sig = DkimSignature.parse(f, now);
          signatures.add(sig);
          bodies.computeIfAbsent(sig.bodyKey(), k -> k.canon().bodyHash(k.length()));
          keys.computeIfAbsent(sig.keyName(), dns::txt); // started now: DNS runs while the body streams
        } catch (DkimException e) {
          signatures.add(DkimVerdict.unparsed(e));
        }
      }
    }
  }
}
