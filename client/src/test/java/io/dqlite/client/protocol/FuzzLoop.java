package io.dqlite.client.protocol;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The hostile-peer fuzz tests' client side: random calls for a bounded time, reopening the session
 * whenever a call closed it, where the one exception type the API promises is expected and anything
 * else fails the test with the seed that reproduces it. Duration {@code -Ddqlite.fuzz.millis}
 * (default 1500), seed {@code -Ddqlite.fuzz.seed}.
 */
final class FuzzLoop {

  static final long MILLIS = Long.getLong("dqlite.fuzz.millis", 1500);
  static final long SEED = Long.getLong("dqlite.fuzz.seed", System.nanoTime());

  private FuzzLoop() {}

  /** What the loop drives: a session it can (re)open, and numbered calls on it. */
  interface Target<S extends AutoCloseable> {
    S open() throws Exception;

    boolean isClosed(S session) throws Exception;

    void call(S session, int which) throws Exception;
  }

  /**
   * Calls {@code target} with a random choice among {@code choices} until {@link #MILLIS} are up.
   *
   * @return how many calls ended, in a value or in an {@code expected} exception
   */
  static <S extends AutoCloseable> int drive(
      int choices, Class<? extends Exception> expected, Target<S> target) throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    long end = System.nanoTime() + Duration.ofMillis(MILLIS).toNanos();
    int calls = 0;
    S session = null;
    try {
      while (System.nanoTime() < end) {
        try {
          if (session == null || target.isClosed(session)) {
            session = target.open();
          }
          target.call(session, random.nextInt(choices));
        } catch (Exception | Error e) {
          if (!expected.isInstance(e)) {
            throw new AssertionError("a call escaped with " + e + " (seed " + SEED + ")", e);
          }
        }
        calls++;
      }
    } finally {
      if (session != null) {
        session.close();
      }
    }
    return calls;
  }

  /** The seeds' encodings a peer may answer with when {@code wanted} is due: that or a failure. */
  static List<byte[]> fitting(List<Response> seeds, ResponseType wanted) {
    return seeds.stream()
        .filter(r -> r.type() == wanted || r.type() == ResponseType.FAILURE)
        .map(Response::encode)
        .toList();
  }
}
