package io.dqlite.sidecar.appsocket;

import io.dqlite.client.net.AbstractUnixServerSocket;
import io.dqlite.client.net.ChannelTransport;
import io.dqlite.client.net.Transport;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** The listening side of the app socket: an abstract {@code @name} or a socket file. */
interface SocketListener extends AutoCloseable {

  /** Waits for the next client; fails once closed. */
  Transport accept() throws IOException;

  /** The address clients dial, as they write it. */
  String address();

  @Override
  void close();

  /**
   * Listens on {@code address}: {@code @name} (Linux abstract socket) or an absolute path, made a
   * socket file with mode 0660 (a stale socket file is replaced; any other file is an error).
   */
  static SocketListener open(String address) throws IOException {
    if (address.startsWith("@")) {
      return new Abstract(AbstractUnixServerSocket.bind(address.substring(1), 128));
    }
    return PathListener.bind(Path.of(address));
  }

  /** An abstract socket, through the client module's JNA listener. */
  final class Abstract implements SocketListener {
    private final AbstractUnixServerSocket socket;

    Abstract(AbstractUnixServerSocket socket) {
      this.socket = socket;
    }

    @Override
    public Transport accept() throws IOException {
      return socket.accept();
    }

    @Override
    public String address() {
      return socket.address();
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /** A socket file, with the JDK's unix domain channels. */
  final class PathListener implements SocketListener {
    private final ServerSocketChannel channel;
    private final Path path;

    private PathListener(ServerSocketChannel channel, Path path) {
      this.channel = channel;
      this.path = path;
    }

    static PathListener bind(Path path) throws IOException {
      path = path.toAbsolutePath();
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path)) {
          throw new IOException(
              "app socket "
                  + path
                  + ": a file or directory is in the way; remove it or choose"
                  + " another --app-socket");
        }
        Files.delete(path); // A stale socket from an earlier run.
      }
      Files.createDirectories(path.getParent());
      // Bind under a temporary name, restrict it, then rename: never reachable with wider mode.
      Path tmp =
          path.resolveSibling("." + path.getFileName() + "." + ProcessHandle.current().pid());
      Files.deleteIfExists(tmp);
      ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.bind(UnixDomainSocketAddress.of(tmp), 128);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-rw----"));
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
        return new PathListener(ch, path);
      } catch (IOException | RuntimeException e) {
        ch.close();
        Files.deleteIfExists(tmp);
        throw new IOException("listen on app socket " + path + ": " + e.getMessage(), e);
      }
    }

    @Override
    public Transport accept() throws IOException {
      SocketChannel accepted = channel.accept();
      return new ChannelTransport(accepted, accepted::shutdownOutput, path.toString());
    }

    @Override
    public String address() {
      return path.toString();
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // Closed either way.
      }
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // Replaced as stale at the next start.
      }
    }
  }
}
