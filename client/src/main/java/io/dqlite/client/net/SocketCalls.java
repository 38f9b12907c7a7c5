package io.dqlite.client.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.nio.ByteBuffer;

/**
 * recv and send bound by JNA's direct mapping, on direct buffers: the data path of an abstract
 * socket. Interface mapping ({@link LibC}) marshals every {@code byte[]} through a fresh malloc and
 * reflective calls, which showed up in the app socket's profile; a direct-mapped call on a buffer
 * the stream keeps is one JNI call and the syscall. 64-bit Linux only (size_t as long), which
 * {@link LibC#checkSupported()} has ensured before any socket exists.
 */
final class SocketCalls {

  static {
    Native.register("c");
  }

  private SocketCalls() {}

  static native long recv(int fd, ByteBuffer buf, long len, int flags) throws LastErrorException;

  static native long send(int fd, ByteBuffer buf, long len, int flags) throws LastErrorException;
}
