package io.hermod.dkim;

import io.vertx.core.Future;
import java.util.List;

/** The one DNS query DKIM verification needs: the TXT records of a key name. */
public interface DkimDns {

  /**
   * @return the TXT records, each one's strings joined (RFC 6376 §3.6.2.2), empty when the name or its TXT
   *     records do not exist; a failed future for a DNS failure or timeout (temperror)
   */
  Future<List<String>> txt(String name);
}
