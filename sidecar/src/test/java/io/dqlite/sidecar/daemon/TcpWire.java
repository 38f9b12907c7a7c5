package io.dqlite.sidecar.daemon;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Hand-made dqlite requests over TCP straight to a node (no client library in between, which would
 * refuse some of them), to see what an engine does with them.
 */
final class TcpWire implements AutoCloseable {

  static final int LEADER = 0;
  static final int CLIENT = 1;
  static final int HEARTBEAT = 2;
  static final int OPEN = 3;
  static final int PREPARE = 4;
  static final int FINALIZE = 7;

  /** A response: its type and body; type -1 when the node closed the connection. */
  record Answer(int type, byte[] body) {
    boolean closed() {
      return type == -1;
    }

    /** The code of a FAILURE (type 0) answer. */
    long failureCode() {
      return ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    /** The message of a FAILURE answer. */
    String failureMessage() {
      int end = 8;
      while (end < body.length && body[end] != 0) {
        end++;
      }
      return new String(body, 8, end - 8, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  private TcpWire(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Connects, sends the protocol version and a CLIENT request, and reads the WELCOME. */
  static TcpWire client(String address, Duration timeout) throws IOException {
    int colon = address.lastIndexOf(':');
    Socket s = new Socket();
    s.connect(
        new InetSocketAddress(
            address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
        (int) timeout.toMillis());
    s.setSoTimeout((int) timeout.toMillis());
    TcpWire w = new TcpWire(s);
    w.out.write(words(1));
    w.send(CLIENT, words(0));
    Answer welcome = w.receive();
    if (welcome.type() != 2) {
      w.close();
      throw new IOException(address + " answered CLIENT with type " + welcome.type());
    }
    return w;
  }

  void send(int type, byte[] body) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(body.length / 8).put((byte) type).put((byte) 0).putShort((short) 0);
    out.write(header.array());
    out.write(body);
    out.flush();
  }

  /** The next response; type -1 on end of stream or a reset; a timeout is thrown. */
  Answer receive() throws IOException {
    byte[] header = new byte[8];
    try {
      in.readFully(header);
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) {
      return new Answer(-1, new byte[0]);
    }
    ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    int words = h.getInt();
    int type = h.get() & 0xff;
    byte[] body = new byte[words * 8];
    in.readFully(body);
    return new Answer(type, body);
  }

  /** Open database {@code name}, then prepare each SQL text; returns the last answer. */
  Answer openAndPrepare(String name, String... sql) throws IOException {
    send(OPEN, concat(text(name), words(0), text("volatile")));
    Answer a = receive();
    for (String s : sql) {
      send(PREPARE, concat(words(0), text(s)));
      a = receive();
    }
    return a;
  }

  /** FINALIZE of statement {@code id} of database 0. */
  Answer finalizeStmt(int id) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(id);
    send(FINALIZE, b.array());
    return receive();
  }

  static byte[] words(long... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  static byte[] text(String s) {
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    byte[] padded = new byte[(raw.length / 8 + 1) * 8];
    System.arraycopy(raw, 0, padded, 0, raw.length);
    return padded;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  InputStream input() {
    return in;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do: the test is done with it
    }
  }
}
