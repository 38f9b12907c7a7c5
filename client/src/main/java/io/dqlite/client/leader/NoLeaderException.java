package io.dqlite.client.leader;

import io.dqlite.client.model.DqliteConnectionException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The leader search gave up: no node answered as leader before the deadline or retry limit. The
 * message names every address tried and what it said last.
 */
public class NoLeaderException extends DqliteConnectionException {

  private static final long serialVersionUID = 1L;

  /**
   * What one node said in the last round it was tried.
   *
   * @param address the address dialled
   * @param outcome what happened, e.g. "dial: Connection refused" or "knows no leader"
   */
  public record Attempt(String address, String outcome) {}

  private final transient List<Attempt> attempts;

  public NoLeaderException(String summary, List<Attempt> attempts, Throwable cause) {
    super(summary + describe(attempts), null, cause);
    this.attempts = List.copyOf(attempts);
  }

  private static String describe(List<Attempt> attempts) {
    if (attempts.isEmpty()) {
      return "; no address was tried (the node store is empty)";
    }
    return "; tried: "
        + attempts.stream()
            .map(a -> a.address() + " (" + a.outcome() + ")")
            .collect(Collectors.joining(", "));
  }

  /** The addresses tried, each with its last outcome, in the order first tried. */
  public List<Attempt> attempts() {
    return attempts;
  }
}
