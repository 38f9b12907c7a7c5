package io.dqlite.sidecar.node;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.dqlite.client.net.LibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGPIPE handling. libuv writes to sockets whose peer may have gone; with SIGPIPE at its default
 * disposition that write kills the process. The Go bindings ignore SIGPIPE at start-up for this
 * reason. HotSpot already installs its own SIGPIPE handler, which ignores the signal, so in a
 * normal JVM there is nothing to do; only when the disposition is still the default (a JVM started
 * differently, or a handler reset by other native code) is it set to ignore.
 */
final class Signals {

  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private static final long SIG_DFL = 0;
  private static final long SIG_IGN = 1;

  private Signals() {}

  /** The current SIGPIPE handler address: 0 default, 1 ignore, anything else a handler. */
  static long sigpipeDisposition() {
    Memory old = new Memory(LibC.SIGACTION_SIZE);
    old.clear();
    LibC.get().sigaction(LibC.SIGPIPE, null, old);
    // sa_handler is the first member of struct sigaction on Linux.
    return Pointer.nativeValue(old.getPointer(0));
  }

  static synchronized void ignoreSigpipe() {
    long disposition = sigpipeDisposition();
    if (disposition != SIG_DFL) {
      LOG.debug("SIGPIPE already handled (disposition {}), leaving it", disposition);
      return;
    }
    Memory act = new Memory(LibC.SIGACTION_SIZE);
    act.clear();
    act.setPointer(0, new Pointer(SIG_IGN));
    LibC.get().sigaction(LibC.SIGPIPE, act, null);
    LOG.debug("SIGPIPE was at its default disposition; now ignored, as go-dqlite does");
  }
}
