package io.dqlite.sidecar.appsocket;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Streams whose every blocking call is bounded by a {@link Deadlines.Watch} (which closes the
 * transport when the call takes too long), and whose failures are reported as one side's: the proxy
 * must tell "the application went away" from "the leader went away".
 */
final class TimedStreams {

  private TimedStreams() {}

  /** Turns a failed call into the exception the caller reports; {@code timedOut} if it expired. */
  interface Failure {
    IOException wrap(IOException cause, boolean timedOut);
  }

  /**
   * {@code in} with each read armed for {@code perRead} on {@code watch}; a null {@code perRead}
   * arms nothing (the caller holds a deadline over several reads).
   */
  static InputStream input(InputStream in, Deadlines.Watch watch, Duration perRead, Failure f) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (perRead == null) {
          try {
            return in.read(b, off, len);
          } catch (IOException e) {
            throw f.wrap(e, watch.fired());
          }
        }
        try (Deadlines.Guard g = watch.arm(perRead)) {
          try {
            return in.read(b, off, len);
          } catch (IOException e) {
            throw f.wrap(e, g.fired());
          }
        }
      }
    };
  }

  /** {@code out} with each write armed for {@code perWrite} on {@code watch}. */
  static OutputStream output(
      OutputStream out, Deadlines.Watch watch, Duration perWrite, Failure f) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try (Deadlines.Guard g = watch.arm(perWrite)) {
          try {
            out.write(b, off, len);
            out.flush();
          } catch (IOException e) {
            throw f.wrap(e, g.fired());
          }
        }
      }

      @Override
      public void flush() {
        // Every write is flushed.
      }
    };
  }
}
